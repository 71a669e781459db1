package decode

import (
	"sync/atomic"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

// abi describes one syscall ABI: the AUDIT_ARCH_* value seccomp_data.arch
// carries for it (include/uapi/linux/audit.h), libseccomp's name for it, and
// the facts the decoder needs that differ between ABIs.
type abi struct {
	audit uint32
	scmp  seccomp.ScmpArch
	// wordSize is the size in bytes of a pointer and of a long: argument
	// registers and array elements (argv) are this wide.
	wordSize int
	// cloneTLSBeforeCTID is true for the CLONE_BACKWARDS argument order of
	// clone(2) (flags, stack, parent_tid, tls, child_tid: i386, arm,
	// aarch64, riscv64) and false for x86_64's (flags, stack, parent_tid,
	// child_tid, tls). See kernel/fork.c SYSCALL_DEFINE5(clone).
	cloneTLSBeforeCTID bool
	// nargs maps a syscall name to the number of arguments strace prints
	// for it on this ABI (generated, zsyscalls.go); nil when strace's table
	// for the ABI is not included, in which case the x86_64 table is used.
	nargs func() map[string]uint8

	// names caches libseccomp's name for each number below maxScanNr as it
	// is first asked for: nil not yet asked, noName for a number libseccomp
	// does not know.
	names [maxScanNr]atomic.Pointer[string]
}

// noName marks a cached number libseccomp has no name for.
var noName = new(string)

// maxScanNr bounds the syscall numbers whose names are cached per ABI. The
// tables in libseccomp end below 500 for every ABI listed in abis (arm's
// private calls at 0xf0000+ are left out: they print as syscall_0x...).
const maxScanNr = 1024

var abis = []*abi{
	{audit: unix.AUDIT_ARCH_X86_64, scmp: seccomp.ArchAMD64, wordSize: 8, nargs: nargsX86_64},
	{audit: unix.AUDIT_ARCH_I386, scmp: seccomp.ArchX86, wordSize: 4, cloneTLSBeforeCTID: true, nargs: nargsI386},
	{audit: unix.AUDIT_ARCH_AARCH64, scmp: seccomp.ArchARM64, wordSize: 8, cloneTLSBeforeCTID: true, nargs: nargsAArch64},
	{audit: unix.AUDIT_ARCH_ARM, scmp: seccomp.ArchARM, wordSize: 4, cloneTLSBeforeCTID: true},
	{audit: unix.AUDIT_ARCH_RISCV64, scmp: seccomp.ArchRISCV64, wordSize: 8, cloneTLSBeforeCTID: true, nargs: nargsAArch64},
}

// lookupABI returns the ABI for an AUDIT_ARCH_* value, or nil.
func lookupABI(arch uint32) *abi {
	for _, a := range abis {
		if a.audit == arch {
			return a
		}
	}
	return nil
}

// name returns the name of syscall nr in the ABI's table, or "" when
// libseccomp does not know the number. The first call for a number asks
// libseccomp (a linear scan of its table, about a microsecond); later calls
// are an atomic load. Safe for concurrent use.
func (a *abi) name(nr int32) string {
	if nr < 0 || nr >= maxScanNr {
		return ""
	}
	p := a.names[nr].Load()
	if p == nil {
		p = noName
		if name, err := seccomp.ScmpSyscall(nr).GetNameByArch(a.scmp); err == nil {
			p = &name
		}
		a.names[nr].Store(p)
	}
	return *p
}

// Name returns the syscall's name in arch's table (arch is an AUDIT_ARCH_*
// value, nr the number in that ABI), as libseccomp names it, or strace's
// name for an unknown number, "syscall_" and C's %#x of nr as a uint32
// ("syscall_0x1ff", "syscall_0xffffffff" for -1, "syscall_0" for 0), when
// the table does not know the number or the arch is not one of x86_64,
// i386, aarch64, arm and riscv64.
//
// The first call for a number asks libseccomp; later calls are an atomic
// load. Safe for concurrent use.
func Name(arch uint32, nr int32) string {
	if a := lookupABI(arch); a != nil {
		if name := a.name(nr); name != "" {
			return name
		}
	}
	return unknownName(nr)
}

func unknownName(nr int32) string {
	return "syscall_" + hex(uint64(uint32(nr)))
}

// nargsFor returns how many arguments strace prints for the named call on
// ABI a (nil for an unknown arch): from the ABI's strace table, else the
// x86_64 one, else 6, as strace prints an unknown call.
func nargsFor(a *abi, name string) int {
	if a != nil && a.nargs != nil {
		if n, ok := a.nargs()[name]; ok {
			return int(n)
		}
	}
	if n, ok := nargsX86_64()[name]; ok {
		return int(n)
	}
	if n, ok := nargsNewer[name]; ok {
		return int(n)
	}
	return 6
}

// nargsNewer counts the arguments of syscalls added after strace 6.1 (so
// missing from zsyscalls.go), which libseccomp may already name: from their
// SYSCALL_DEFINEn in the kernel sources (Linux 6.5 to 6.17; same on every
// arch).
var nargsNewer = map[string]uint8{
	"cachestat":         4, // mm/filemap.c
	"fchmodat2":         4, // fs/open.c
	"map_shadow_stack":  3, // arch/x86/kernel/shstk.c
	"futex_wake":        4, // kernel/futex/syscalls.c
	"futex_wait":        6, // kernel/futex/syscalls.c
	"futex_requeue":     4, // kernel/futex/syscalls.c
	"statmount":         4, // fs/namespace.c
	"listmount":         4, // fs/namespace.c
	"lsm_get_self_attr": 4, // security/lsm_syscalls.c
	"lsm_set_self_attr": 4, // security/lsm_syscalls.c
	"lsm_list_modules":  3, // security/lsm_syscalls.c
	"mseal":             3, // mm/mseal.c
	"setxattrat":        6, // fs/xattr.c
	"getxattrat":        6, // fs/xattr.c
	"listxattrat":       5, // fs/xattr.c
	"removexattrat":     4, // fs/xattr.c
	"open_tree_attr":    5, // fs/namespace.c
	"file_getattr":      5, // fs/file_attr.c
	"file_setattr":      5, // fs/file_attr.c
}
