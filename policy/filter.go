package policy

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

// FilterSpec says which syscalls a compiled filter notifies
// (SECCOMP_RET_USER_NOTIF) and which it allows (SECCOMP_RET_ALLOW).
// The zero value notifies nothing but exempts sendmsg on fd 0: set
// ExemptFD to -1 when there is no hand-off.
type FilterSpec struct {
	// All notifies every syscall of every arch in the filter, including
	// numbers no table names (the filter's default action is
	// SECCOMP_RET_USER_NOTIF), except the syscalls in Except.
	All bool
	// Names, when All is false, are exactly the syscalls notified (names as
	// libseccomp spells them); everything else is allowed. A name that
	// exists only on an arch the filter does not cover is ignored.
	Names []string
	// Except, when All is true, lists syscalls that are allowed instead.
	// It is how a negated trace set ("!openat") is compiled; ignored
	// when All is false.
	Except []string

	// ExemptFD and ExemptFlags describe the launcher's hand-off: on the
	// native arch, sendmsg(ExemptFD, *, ExemptFlags) — arg0 == ExemptFD and
	// arg2 == ExemptFlags, both compared as full 64-bit values — is always
	// allowed, even with All or when sendmsg is in Names, because the
	// launcher sends the listener fd to the supervisor with it and nobody
	// could answer a notification yet. ExemptFD < 0 disables it.
	ExemptFD    int
	ExemptFlags uint32
}

// Notify makes sure the filter notifies the named syscalls, whatever the
// trace set: it adds them to Names, or removes them from Except when All.
func (s *FilterSpec) Notify(names ...string) {
	for _, n := range names {
		if s.All {
			s.Except = slices.DeleteFunc(s.Except, func(e string) bool { return e == n })
		} else if !slices.Contains(s.Names, n) {
			s.Names = append(s.Names, n)
		}
	}
}

// maxInsns is BPF_MAXINSNS (linux/bpf_common.h): the kernel rejects longer
// classic BPF programs.
const maxInsns = 4096

// notifyStandIn is the action rules are compiled with in place of
// SCMP_ACT_NOTIFY; CompileFilter rewrites its return instructions to
// SECCOMP_RET_USER_NOTIF after export.
//
// Why not ActNotify directly: libseccomp 2.5 accepts SCMP_ACT_NOTIFY only
// after probing the running kernel (seccomp(SECCOMP_GET_NOTIF_SIZES)), and —
// because libseccomp-golang's NewFilter switches SCMP_FLTATR_CTL_TSYNC on
// with no way to switch it off — only when the kernel also has
// SECCOMP_FILTER_FLAG_TSYNC_ESRCH (Linux 5.7; see db_col_action_valid in
// libseccomp's src/db.c). Neither changes the exported instructions, and
// this package only compiles: the supervisor loads the program itself,
// without TSYNC. SECCOMP_RET_TRACE with this data is accepted everywhere and
// is otherwise never used, so the rewrite is exact (TestStandInMatchesNotify
// checks it against a real ActNotify build where the kernel allows one).
var notifyStandIn = seccomp.ActTrace.SetReturnCode(0x0cae)

// standInRet is the SECCOMP_RET_TRACE|data value notifyStandIn exports as.
const standInRet = unix.SECCOMP_RET_TRACE | 0x0cae

// CompileFilter builds a classic BPF seccomp program from spec: raw
// instructions in native byte order, ready for seccomp(2)
// SECCOMP_SET_MODE_FILTER (struct sock_fprog's filter). It covers the native
// arch plus, on x86_64, i386: int 0x80 calls from a 64-bit process arrive
// with AUDIT_ARCH_I386 and i386 numbers (i386 200 is getgid32, x86_64 200 is
// tkill), and a rule for one arch never matches the other's same number.
// Calls of any arch not in the filter, and x32 calls (nr with bit
// 0x40000000) on x86_64, are allowed: libseccomp's bad-arch action is set to
// allow, never kill.
//
// Syscalls the filter does not notify are decided on seccomp_data.nr and
// .arch alone, so the kernel's action cache (Linux 5.11) applies to them;
// only sendmsg's hand-off exemption loads arguments. On i386, libseccomp
// also matches the multiplexed form of socket and SysV IPC syscalls:
// notifying sendmsg notifies socketcall(SYS_SENDMSG, args) (nr 102, arg0 16)
// too, as strace traces it (the notification then carries nr 102, to be
// decoded as the subcall), and the socketcall (ipc) path loads arg0.
// Return values are SECCOMP_RET_ALLOW and SECCOMP_RET_USER_NOTIF
// (linux/seccomp.h); arches are AUDIT_ARCH_* values (linux/audit.h).
//
// Errors carry no "compile filter" prefix (callers add it): a name in
// Names or Except that no supported arch has (wrapping ErrInvalidSyscall),
// an unsupported native arch, libseccomp failures, a program longer than
// 4096 instructions. CompileFilter loads nothing and is safe for
// concurrent use.
func CompileFilter(spec FilterSpec) ([]unix.SockFilter, error) {
	return compile(spec, notifyStandIn)
}

// compile builds the program with notify as the notifying action
// (notifyStandIn, or seccomp.ActNotify in tests).
func compile(spec FilterSpec, notify seccomp.ScmpAction) ([]unix.SockFilter, error) {
	arches, err := filterArches()
	if err != nil {
		return nil, err
	}
	list := spec.Names
	def, act := seccomp.ActAllow, notify
	if spec.All {
		list = spec.Except
		def, act = notify, seccomp.ActAllow
	}
	list = slices.Clone(list)
	slices.Sort(list)
	list = slices.Compact(list)
	for _, n := range list {
		if !IsSyscall(n) {
			return nil, fmt.Errorf("%w '%s'", ErrInvalidSyscall, n)
		}
	}

	var f *seccomp.ScmpFilter
	defer func() {
		if f != nil {
			f.Release()
		}
	}()
	native := arches[0].arch
	for _, at := range arches {
		af, err := archFilter(def, native, at.arch)
		if err != nil {
			return nil, err
		}
		if err := addRules(af, spec, list, act, at, at.arch == native); err != nil {
			af.Release()
			return nil, fmt.Errorf("%v: %w", at.arch, err)
		}
		if f == nil {
			f = af
			continue
		}
		if err := f.Merge(af); err != nil {
			af.Release()
			return nil, fmt.Errorf("merge %v: %w", at.arch, err)
		}
	}

	raw, err := exportBPF(f)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	prog, err := decodeProgram(raw, notify == notifyStandIn)
	if err != nil {
		return nil, err
	}
	if len(prog) > maxInsns {
		return nil, fmt.Errorf("%d instructions, the kernel takes at most %d", len(prog), maxInsns)
	}
	return prog, nil
}

// archFilter returns an empty libseccomp filter for arch alone, with
// default action def and bad-arch action allow. Each arch gets its own
// filter (merged later) because libseccomp applies a rule to every arch of
// a filter, and the sendmsg exemption is for the native arch only.
func archFilter(def seccomp.ScmpAction, native, arch seccomp.ScmpArch) (*seccomp.ScmpFilter, error) {
	f, err := seccomp.NewFilter(def)
	if err != nil {
		return nil, fmt.Errorf("new filter: %w", err)
	}
	if arch != native {
		if err := f.AddArch(arch); err != nil {
			f.Release()
			return nil, fmt.Errorf("add arch %v: %w", arch, err)
		}
		if err := f.RemoveArch(native); err != nil {
			f.Release()
			return nil, fmt.Errorf("remove arch %v: %w", native, err)
		}
	}
	if err := f.SetBadArchAction(seccomp.ActAllow); err != nil {
		f.Release()
		return nil, fmt.Errorf("set bad arch action: %w", err)
	}
	return f, nil
}

// addRules adds act for each name of list that at has, and the sendmsg
// hand-off exemption when native.
func addRules(f *seccomp.ScmpFilter, spec FilterSpec, list []string, act seccomp.ScmpAction, at *archTable, native bool) error {
	exempt := native && spec.ExemptFD >= 0 && at.has("sendmsg")
	for _, name := range list {
		if !at.has(name) {
			continue
		}
		// Rule numbers are native numbers; libseccomp gives names the native
		// arch lacks negative pseudo numbers and translates them per arch.
		nr, err := seccomp.GetSyscallFromName(name)
		if err != nil {
			return fmt.Errorf("resolve %s: %w", name, err)
		}
		if name == "sendmsg" && exempt && !spec.All {
			// Notify unless arg0 == fd && arg2 == flags:
			// notify if arg0 != fd, notify if arg2 != flags.
			for _, c := range []struct {
				arg uint
				val uint64
			}{{0, uint64(spec.ExemptFD)}, {2, uint64(spec.ExemptFlags)}} {
				cond, err := seccomp.MakeCondition(c.arg, seccomp.CompareNotEqual, c.val)
				if err != nil {
					return err
				}
				if err := f.AddRuleConditional(nr, act, []seccomp.ScmpCondition{cond}); err != nil {
					return fmt.Errorf("rule sendmsg arg%d: %w", c.arg, err)
				}
			}
			continue
		}
		if err := f.AddRule(nr, act); err != nil {
			return fmt.Errorf("rule %s: %w", name, err)
		}
	}
	if exempt && spec.All && !slices.Contains(list, "sendmsg") {
		nr, err := seccomp.GetSyscallFromName("sendmsg")
		if err != nil {
			return fmt.Errorf("resolve sendmsg: %w", err)
		}
		c0, err := seccomp.MakeCondition(0, seccomp.CompareEqual, uint64(spec.ExemptFD))
		if err != nil {
			return err
		}
		c2, err := seccomp.MakeCondition(2, seccomp.CompareEqual, uint64(spec.ExemptFlags))
		if err != nil {
			return err
		}
		if err := f.AddRuleConditional(nr, seccomp.ActAllow, []seccomp.ScmpCondition{c0, c2}); err != nil {
			return fmt.Errorf("rule sendmsg exemption: %w", err)
		}
	}
	return nil
}

// exportBPF returns the filter's program as libseccomp writes it
// (seccomp_export_bpf, through a pipe: seccomp_export_bpf_mem needs
// libseccomp 2.6).
func exportBPF(f *seccomp.ScmpFilter) ([]byte, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(r)
		r.Close()
		done <- result{b, err}
	}()
	err = f.ExportBPF(w)
	w.Close()
	res := <-done
	if err != nil {
		return nil, err
	}
	return res.b, res.err
}

// decodeProgram splits raw (struct sock_filter, 8 bytes each, native byte
// order) into instructions, checks that every return is ALLOW or the
// notifying action, and, when standIn, rewrites notifyStandIn's returns to
// SECCOMP_RET_USER_NOTIF.
func decodeProgram(raw []byte, standIn bool) ([]unix.SockFilter, error) {
	if len(raw) == 0 || len(raw)%8 != 0 {
		return nil, fmt.Errorf("libseccomp exported %d bytes, not a whole number of 8-byte instructions", len(raw))
	}
	prog := make([]unix.SockFilter, len(raw)/8)
	for i := range prog {
		b := raw[i*8:]
		prog[i] = unix.SockFilter{
			Code: binary.NativeEndian.Uint16(b[0:]),
			Jt:   b[2],
			Jf:   b[3],
			K:    binary.NativeEndian.Uint32(b[4:]),
		}
	}
	for i := range prog {
		in := &prog[i]
		if in.Code&0x07 != unix.BPF_RET {
			continue
		}
		if in.Code != unix.BPF_RET|unix.BPF_K {
			return nil, fmt.Errorf("instruction %d: return code %#x not BPF_RET|BPF_K", i, in.Code)
		}
		switch {
		case in.K == unix.SECCOMP_RET_ALLOW:
		case standIn && in.K == standInRet:
			in.K = unix.SECCOMP_RET_USER_NOTIF
		case !standIn && in.K == unix.SECCOMP_RET_USER_NOTIF:
		default:
			return nil, fmt.Errorf("instruction %d: unexpected action %#x", i, in.K)
		}
	}
	return prog, nil
}
