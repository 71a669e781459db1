package policy

import (
	"fmt"
	"slices"
	"sync"

	seccomp "github.com/seccomp/libseccomp-golang"
	"golang.org/x/sys/unix"
)

// maxSyscallNr bounds the syscall numbers enumerated per arch. Every
// supported arch numbers its syscalls below 1024 (x86_64 marks x32 calls
// with bit 0x40000000 instead, and x32 is not a supported arch).
const maxSyscallNr = 1024

// archTable is libseccomp's syscall table for one arch.
type archTable struct {
	arch  seccomp.ScmpArch
	audit uint32 // AUDIT_ARCH_* value seen in seccomp_data.arch (linux/audit.h)
	byNr  map[int32]string
	names map[string]bool
}

// tables holds the tables of the supported arches, read once from libseccomp.
type tables struct {
	arches   []*archTable // x86_64, i386, aarch64
	universe []string     // sorted union of the names of all supported arches
	known    map[string]bool
}

// supportedArches are the arches whose names ParseTrace, ExpandNames and
// IsSyscall accept, with their AUDIT_ARCH_* values from linux/audit.h.
var supportedArches = []struct {
	arch  seccomp.ScmpArch
	audit uint32
}{
	{seccomp.ArchAMD64, unix.AUDIT_ARCH_X86_64},
	{seccomp.ArchX86, unix.AUDIT_ARCH_I386},
	{seccomp.ArchARM64, unix.AUDIT_ARCH_AARCH64},
}

var loadTables = sync.OnceValues(func() (*tables, error) {
	t := &tables{known: map[string]bool{}}
	for _, sa := range supportedArches {
		at := &archTable{arch: sa.arch, audit: sa.audit, byNr: map[int32]string{}, names: map[string]bool{}}
		for nr := int32(0); nr < maxSyscallNr; nr++ {
			name, err := seccomp.ScmpSyscall(nr).GetNameByArch(sa.arch)
			if err != nil {
				continue // no syscall with this number on this arch
			}
			at.byNr[nr] = name
			at.names[name] = true
			t.known[name] = true
		}
		if len(at.byNr) == 0 {
			return nil, fmt.Errorf("libseccomp knows no syscalls for arch %v", sa.arch)
		}
		t.arches = append(t.arches, at)
	}
	for name := range t.known {
		t.universe = append(t.universe, name)
	}
	slices.Sort(t.universe)
	return t, nil
})

// mustTables returns the syscall tables. libseccomp's tables are compiled
// into the library, so failing to read them means a broken installation.
func mustTables() *tables {
	t, err := loadTables()
	if err != nil {
		panic("policy: " + err.Error())
	}
	return t
}

func (t *tables) arch(a seccomp.ScmpArch) *archTable {
	for _, at := range t.arches {
		if at.arch == a {
			return at
		}
	}
	return nil
}

// IsSyscall reports whether name is a syscall on any supported arch
// (x86_64, i386, aarch64) according to libseccomp's tables.
func IsSyscall(name string) bool {
	return mustTables().known[name]
}

// filterArches returns the arches a compiled filter covers, native first:
// x86_64 and i386 on amd64 (a 64-bit process can make int 0x80 calls),
// otherwise the native arch alone.
func filterArches() ([]*archTable, error) {
	native, err := seccomp.GetNativeArch()
	if err != nil {
		return nil, fmt.Errorf("native arch: %w", err)
	}
	t := mustTables()
	nt := t.arch(native)
	if nt == nil {
		return nil, fmt.Errorf("native arch %v is not supported (x86_64, i386, aarch64 are)", native)
	}
	if native == seccomp.ArchAMD64 {
		return []*archTable{nt, t.arch(seccomp.ArchX86)}, nil
	}
	return []*archTable{nt}, nil
}
