package policy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

const (
	allow  = unix.SECCOMP_RET_ALLOW
	notify = unix.SECCOMP_RET_USER_NOTIF

	archX86_64  = unix.AUDIT_ARCH_X86_64
	archI386    = unix.AUDIT_ARCH_I386
	archAArch64 = unix.AUDIT_ARCH_AARCH64

	x32Bit = 0x40000000 // __X32_SYSCALL_BIT
)

// seccompData returns struct seccomp_data (linux/seccomp.h: int nr;
// __u32 arch; __u64 instruction_pointer; __u64 args[6]) laid out as the
// kernel's filter sees it, native-endian, but with each 32-bit word stored
// big-endian: the kernel's BPF_LD|BPF_W|BPF_ABS on seccomp_data reads a
// native u32, x/net/bpf's LoadAbsolute reads a big-endian one.
func seccompData(nr int32, arch uint32, args ...uint64) []byte {
	b := make([]byte, 64)
	binary.NativeEndian.PutUint32(b[0:], uint32(nr))
	binary.NativeEndian.PutUint32(b[4:], arch)
	binary.NativeEndian.PutUint64(b[8:], 0x7f0000001000) // instruction_pointer: never looked at
	for i, a := range args {
		binary.NativeEndian.PutUint64(b[16+8*i:], a)
	}
	for i := 0; i < len(b); i += 4 {
		binary.BigEndian.PutUint32(b[i:], binary.NativeEndian.Uint32(b[i:]))
	}
	return b
}

func disassemble(prog []unix.SockFilter) string {
	raw := make([]bpf.RawInstruction, len(prog))
	for i, in := range prog {
		raw[i] = bpf.RawInstruction{Op: in.Code, Jt: in.Jt, Jf: in.Jf, K: in.K}
	}
	insns, _ := bpf.Disassemble(raw)
	var b strings.Builder
	for i, in := range insns {
		fmt.Fprintf(&b, "%4d  %v\n", i, in)
	}
	return b.String()
}

func newVM(t *testing.T, prog []unix.SockFilter) *bpf.VM {
	t.Helper()
	raw := make([]bpf.RawInstruction, len(prog))
	for i, in := range prog {
		raw[i] = bpf.RawInstruction{Op: in.Code, Jt: in.Jt, Jf: in.Jf, K: in.K}
	}
	insns, ok := bpf.Disassemble(raw)
	if !ok {
		t.Fatalf("program has instructions x/net/bpf cannot decode:\n%s", disassemble(prog))
	}
	vm, err := bpf.NewVM(insns)
	if err != nil {
		t.Fatalf("bpf.NewVM: %v\n%s", err, disassemble(prog))
	}
	return vm
}

func compileOrFatal(t *testing.T, spec FilterSpec) []unix.SockFilter {
	t.Helper()
	prog, err := CompileFilter(spec)
	if err != nil {
		t.Fatalf("CompileFilter(%+v): %v", spec, err)
	}
	return prog
}

func actionName(a uint32) string {
	switch a {
	case allow:
		return "ALLOW"
	case notify:
		return "USER_NOTIF"
	case 0:
		return "KILL (or the program read past seccomp_data)"
	}
	return fmt.Sprintf("%#x", a)
}

type vmCase struct {
	desc string
	nr   int32
	arch uint32
	args []uint64
	want uint32
}

func runCases(t *testing.T, spec FilterSpec, cases []vmCase) {
	t.Helper()
	prog := compileOrFatal(t, spec)
	vm := newVM(t, prog)
	failed := false
	for _, c := range cases {
		got, err := vm.Run(seccompData(c.nr, c.arch, c.args...))
		if err != nil {
			t.Fatalf("%s: vm: %v", c.desc, err)
		}
		if uint32(got) != c.want {
			t.Errorf("%s (nr %d arch %#x args %#x): %s, want %s", c.desc, c.nr, c.arch, c.args, actionName(uint32(got)), actionName(c.want))
			failed = true
		}
	}
	if failed {
		t.Logf("spec %+v, program:\n%s", spec, disassemble(prog))
	}
}

// x86_64 and i386 numbers, from golang.org/x/sys/unix where it has them
// (unix.SYS_* is the build's arch, x86_64 here).
const (
	i386Open       = 5
	i386Getpid     = 20
	i386Socketcall = 102
	i386Getgid32   = 200
	i386Tkill      = 238
	i386Openat     = 295
	i386Sendmsg    = 370
	sysSendmsg     = 16 // SYS_SENDMSG, socketcall's call number (linux/net.h)
	sysSocket      = 1  // SYS_SOCKET
	aarch64Openat  = 56
)

const (
	exemptFD    = 3
	exemptFlags = unix.MSG_NOSIGNAL
)

func skipUnlessAMD64(t *testing.T) {
	t.Helper()
	if !isAMD64(t) {
		t.Skip("table written for an x86_64 native arch")
	}
}

func TestFilterNames(t *testing.T) {
	skipUnlessAMD64(t)
	spec := FilterSpec{Names: []string{"openat", "sendmsg"}, ExemptFD: exemptFD, ExemptFlags: exemptFlags}
	runCases(t, spec, []vmCase{
		{"traced openat", unix.SYS_OPENAT, archX86_64, nil, notify},
		{"untraced getpid", unix.SYS_GETPID, archX86_64, nil, allow},
		{"untraced open (not openat)", unix.SYS_OPEN, archX86_64, nil, allow},
		{"unknown number 999", 999, archX86_64, nil, allow},
		{"nr -1", -1, archX86_64, nil, allow},
		{"x32 openat", x32Bit | unix.SYS_OPENAT, archX86_64, nil, allow},
		{"x32 0x40000001", x32Bit | 1, archX86_64, nil, allow},
		{"foreign arch aarch64 openat", aarch64Openat, archAArch64, nil, allow},
		{"foreign arch aarch64 x86_64's openat number", unix.SYS_OPENAT, archAArch64, nil, allow},
		{"i386 openat", i386Openat, archI386, nil, notify},
		{"i386 open", i386Open, archI386, nil, allow},
		{"i386 257 (x86_64 openat's number)", unix.SYS_OPENAT, archI386, nil, allow},
		{"sendmsg hand-off exempt", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0x7ffd0000, exemptFlags}, allow},
		{"sendmsg hand-off, other args ignored", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0, exemptFlags, 9, 9, 9}, allow},
		{"sendmsg other fd", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD + 1, 0x7ffd0000, exemptFlags}, notify},
		{"sendmsg fd 0", unix.SYS_SENDMSG, archX86_64, []uint64{0, 0x7ffd0000, exemptFlags}, notify},
		{"sendmsg no flags", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0x7ffd0000, 0}, notify},
		{"sendmsg more flags", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0x7ffd0000, exemptFlags | unix.MSG_DONTWAIT}, notify},
		{"sendmsg fd high bits", unix.SYS_SENDMSG, archX86_64, []uint64{1<<32 | exemptFD, 0x7ffd0000, exemptFlags}, notify},
		{"sendmsg flags high bits", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0x7ffd0000, 1<<32 | exemptFlags}, notify},
		{"sendmsg flags in arg1", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, exemptFlags, 0}, notify},
		{"i386 sendmsg, exemption is native only", i386Sendmsg, archI386, []uint64{exemptFD, 0x1000, exemptFlags}, notify},
		{"i386 socketcall(SYS_SENDMSG)", i386Socketcall, archI386, []uint64{sysSendmsg, 0x1000}, notify},
		{"i386 socketcall(SYS_SOCKET)", i386Socketcall, archI386, []uint64{sysSocket, 0x1000}, allow},
	})
}

func TestFilterArchNumbers(t *testing.T) {
	skipUnlessAMD64(t)
	runCases(t, FilterSpec{Names: []string{"getgid32"}, ExemptFD: -1}, []vmCase{
		{"i386 getgid32 (200)", i386Getgid32, archI386, nil, notify},
		{"x86_64 tkill (200)", unix.SYS_TKILL, archX86_64, nil, allow},
		{"i386 tkill (238)", i386Tkill, archI386, nil, allow},
	})
	runCases(t, FilterSpec{Names: []string{"tkill"}, ExemptFD: -1}, []vmCase{
		{"x86_64 tkill (200)", unix.SYS_TKILL, archX86_64, nil, notify},
		{"i386 getgid32 (200)", i386Getgid32, archI386, nil, allow},
		{"i386 tkill (238)", i386Tkill, archI386, nil, notify},
		{"x86_64 238 (set_tid_address)", i386Tkill, archX86_64, nil, allow},
	})
}

func TestFilterAll(t *testing.T) {
	skipUnlessAMD64(t)
	runCases(t, FilterSpec{All: true, ExemptFD: exemptFD, ExemptFlags: exemptFlags}, []vmCase{
		{"getpid", unix.SYS_GETPID, archX86_64, nil, notify},
		{"openat", unix.SYS_OPENAT, archX86_64, nil, notify},
		{"unknown number 999", 999, archX86_64, nil, notify},
		{"i386 getgid32", i386Getgid32, archI386, nil, notify},
		{"i386 999", 999, archI386, nil, notify},
		{"x32 0x40000001", x32Bit | 1, archX86_64, nil, allow},
		{"foreign arch aarch64", aarch64Openat, archAArch64, nil, allow},
		{"sendmsg hand-off exempt", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0x7ffd0000, exemptFlags}, allow},
		{"sendmsg other fd", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD + 1, 0x7ffd0000, exemptFlags}, notify},
		{"sendmsg other flags", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0x7ffd0000, 0}, notify},
		{"sendmsg fd high bits", unix.SYS_SENDMSG, archX86_64, []uint64{1<<32 | exemptFD, 0x7ffd0000, exemptFlags}, notify},
		{"i386 sendmsg, exemption is native only", i386Sendmsg, archI386, []uint64{exemptFD, 0x1000, exemptFlags}, notify},
	})
	runCases(t, FilterSpec{All: true, ExemptFD: -1}, []vmCase{
		{"sendmsg, no exemption", unix.SYS_SENDMSG, archX86_64, []uint64{exemptFD, 0x7ffd0000, exemptFlags}, notify},
	})
	runCases(t, FilterSpec{All: true, Except: []string{"getpid", "sendmsg", "getgid32"}, ExemptFD: exemptFD, ExemptFlags: exemptFlags}, []vmCase{
		{"except getpid", unix.SYS_GETPID, archX86_64, nil, allow},
		{"except getpid, i386", i386Getpid, archI386, nil, allow},
		{"except getgid32, i386", i386Getgid32, archI386, nil, allow},
		{"x86_64 tkill (200) still notified", unix.SYS_TKILL, archX86_64, nil, notify},
		{"except sendmsg, any args", unix.SYS_SENDMSG, archX86_64, []uint64{7, 0, 0}, allow},
		{"openat", unix.SYS_OPENAT, archX86_64, nil, notify},
		{"unknown number 999", 999, archX86_64, nil, notify},
	})
}

func TestFilterEmpty(t *testing.T) {
	skipUnlessAMD64(t)
	runCases(t, FilterSpec{ExemptFD: -1}, []vmCase{
		{"openat", unix.SYS_OPENAT, archX86_64, nil, allow},
		{"i386 openat", i386Openat, archI386, nil, allow},
		{"999", 999, archX86_64, nil, allow},
	})
}

// TestFilterNative runs on any supported native arch.
func TestFilterNative(t *testing.T) {
	native, err := seccomp.GetNativeArch()
	if err != nil {
		t.Fatal(err)
	}
	at := mustTables().arch(native)
	if at == nil {
		t.Skipf("native arch %v not supported", native)
	}
	nr, err := seccomp.GetSyscallFromName("openat")
	if err != nil {
		t.Fatal(err)
	}
	gp, _ := seccomp.GetSyscallFromName("getpid")
	runCases(t, FilterSpec{Names: []string{"openat"}, ExemptFD: -1}, []vmCase{
		{"openat", int32(nr), at.audit, nil, notify},
		{"getpid", int32(gp), at.audit, nil, allow},
		{"999", 999, at.audit, nil, allow},
	})
}

// TestUntracedPathsLoadOnlyNrAndArch runs every syscall number of every
// filter arch through the program twice: with the full seccomp_data and
// with only its first 8 bytes (nr, arch). A load of anything else
// (instruction_pointer, args) from the short input stops x/net/bpf's VM
// with result 0, so the same verdict proves the path reads nr and arch
// alone — what the kernel's action cache needs. Only sendmsg (hand-off
// exemption) and i386 socketcall (libseccomp matches socket calls by
// socketcall's arg0) may read arguments.
func TestUntracedPathsLoadOnlyNrAndArch(t *testing.T) {
	arches, err := filterArches()
	if err != nil {
		t.Fatal(err)
	}
	specs := []struct {
		desc string
		spec FilterSpec
	}{
		{"openat,sendmsg", FilterSpec{Names: []string{"openat", "sendmsg"}, ExemptFD: exemptFD, ExemptFlags: exemptFlags}},
		{"openat,close,getgid32,connect", FilterSpec{Names: []string{"openat", "close", "getgid32", "connect"}, ExemptFD: exemptFD, ExemptFlags: exemptFlags}},
		{"all", FilterSpec{All: true, ExemptFD: exemptFD, ExemptFlags: exemptFlags}},
		{"all but read,write,sendmsg", FilterSpec{All: true, Except: []string{"read", "write", "sendmsg"}, ExemptFD: exemptFD, ExemptFlags: exemptFlags}},
		{"every known name", FilterSpec{Names: mustTables().all(), ExemptFD: exemptFD, ExemptFlags: exemptFlags}},
	}
	for _, sc := range specs {
		prog := compileOrFatal(t, sc.spec)
		vm := newVM(t, prog)
		bad := 0
		for _, at := range arches {
			for nr := int32(0); nr < maxSyscallNr; nr++ {
				name := at.full().byNr[nr]
				if name == "sendmsg" || name == "socketcall" {
					continue
				}
				full, _ := vm.Run(seccompData(nr, at.audit, 1, 2, 3, 4, 5, 6))
				short, _ := vm.Run(seccompData(nr, at.audit)[:8])
				if full != short {
					bad++
					t.Errorf("%s: %v nr %d (%s): %s with args, %s with nr and arch only",
						sc.desc, at.arch, nr, name, actionName(uint32(full)), actionName(uint32(short)))
				}
			}
		}
		if bad > 0 {
			t.Logf("program:\n%s", disassemble(prog))
		}
	}
	if !isAMD64(t) {
		return
	}
	// The case from the brief, by hand: getpid with Names = [openat, sendmsg].
	vm := newVM(t, compileOrFatal(t, specs[0].spec))
	if got, _ := vm.Run(seccompData(unix.SYS_GETPID, archX86_64)[:8]); uint32(got) != allow {
		t.Errorf("getpid reading only nr and arch: %s, want ALLOW", actionName(uint32(got)))
	}
	// And sendmsg does need its arguments.
	if got, _ := vm.Run(seccompData(unix.SYS_SENDMSG, archX86_64)[:8]); got != 0 {
		t.Errorf("sendmsg decided without its arguments: %s", actionName(uint32(got)))
	}
}

// TestStandInMatchesNotify checks that compiling with the stand-in action
// and rewriting gives the same program as libseccomp's own SCMP_ACT_NOTIFY,
// where this kernel lets libseccomp use it.
func TestStandInMatchesNotify(t *testing.T) {
	specs := []FilterSpec{
		{Names: []string{"openat", "sendmsg", "getgid32"}, ExemptFD: exemptFD, ExemptFlags: exemptFlags},
		{All: true, Except: []string{"getpid"}, ExemptFD: exemptFD, ExemptFlags: exemptFlags},
		{All: true, ExemptFD: -1},
	}
	api, _ := seccomp.GetAPI()
	for _, spec := range specs {
		want, err := compile(spec, seccomp.ActNotify)
		if err != nil {
			if api < 6 {
				t.Skipf("libseccomp API level %d: no SCMP_ACT_NOTIFY with TSYNC here (%v)", api, err)
			}
			t.Fatalf("compile with ActNotify at API level %d: %v", api, err)
		}
		got := compileOrFatal(t, spec)
		if !slices.Equal(got, want) {
			t.Errorf("spec %+v: stand-in program differs from ActNotify program\nstand-in:\n%s\nActNotify:\n%s",
				spec, disassemble(got), disassemble(want))
		}
	}
}

func TestFilterSize(t *testing.T) {
	u := mustTables().all()
	for _, spec := range []FilterSpec{
		{Names: u, ExemptFD: exemptFD, ExemptFlags: exemptFlags},
		{All: true, Except: u, ExemptFD: exemptFD, ExemptFlags: exemptFlags},
	} {
		prog := compileOrFatal(t, spec)
		if len(prog) > maxInsns {
			t.Errorf("%d instructions", len(prog))
		}
		t.Logf("All=%v, %d names: %d instructions", spec.All, len(u), len(prog))
	}
}

func TestFilterErrors(t *testing.T) {
	for _, spec := range []FilterSpec{
		{Names: []string{"openat", "foo"}, ExemptFD: -1},
		{All: true, Except: []string{"%file"}, ExemptFD: -1},
	} {
		_, err := CompileFilter(spec)
		if err == nil || !errors.Is(err, ErrInvalidSyscall) {
			t.Errorf("CompileFilter(%+v) error %v, want ErrInvalidSyscall", spec, err)
		}
	}
}

func TestNotifySpec(t *testing.T) {
	s, _ := ParseTrace("openat")
	if got := s.NotifySpec([]string{"connect", "openat"}); got.All || !slices.Equal(got.Names, []string{"connect", "openat"}) || got.ExemptFD != -1 {
		t.Errorf("openat + connect: %+v", got)
	}
	s, _ = ParseTrace("!openat,close,connect")
	if got := s.NotifySpec([]string{"connect"}); !got.All || !slices.Equal(got.Except, []string{"close", "openat"}) {
		t.Errorf("!openat,close,connect + connect: %+v", got)
	}
	s, _ = ParseTrace("none")
	if got := s.NotifySpec(nil); got.All || got.Names != nil {
		t.Errorf("none: %+v", got)
	}
	s, _ = ParseTrace("all")
	if got := s.NotifySpec([]string{"openat"}); !got.All || got.Except != nil {
		t.Errorf("all: %+v", got)
	}
}
