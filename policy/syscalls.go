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

// archTable is libseccomp's syscall table for one arch. Membership is asked
// of libseccomp name by name (has), which is a hash lookup; the whole
// number → name table (full) is read only when something needs every name
// (trace=all, a regexp, a negated set, a number): reading it costs a
// thousand linear scans of libseccomp's table, most of syscage's start-up
// when it was read every time.
type archTable struct {
	arch  seccomp.ScmpArch
	audit uint32 // AUDIT_ARCH_* value seen in seccomp_data.arch (linux/audit.h)

	once  sync.Once
	byNr  map[int32]string // every number libseccomp names, after full
	names map[string]bool  // every name, after full
}

// full reads the arch's whole table from libseccomp, once.
func (at *archTable) full() *archTable {
	at.once.Do(func() {
		at.byNr, at.names = map[int32]string{}, map[string]bool{}
		for nr := int32(0); nr < maxSyscallNr; nr++ {
			name, err := seccomp.ScmpSyscall(nr).GetNameByArch(at.arch)
			if err != nil {
				continue // no syscall with this number on this arch
			}
			at.byNr[nr] = name
			at.names[name] = true
		}
	})
	return at
}

// has reports whether the arch has a syscall called name: whether some
// number of the arch's table is called name. libseccomp resolves a name
// the arch lacks to a pseudo number (__PNR_*, seccomp-syscalls.h) at or
// below -10000; the socketcall and ipc pseudo numbers (-101 to -224) it
// gives on i386 stand both for a multiplexed call and, for some names
// (sendmsg, not send), a direct one, so for those the full table answers.
func (at *archTable) has(name string) bool {
	nr, err := seccomp.GetSyscallFromNameByArch(name, at.arch)
	switch {
	case err != nil:
		return false
	case nr >= 0:
		return true
	case nr > -10000:
		return at.full().names[name]
	}
	return false
}

// tables holds the tables of the supported arches.
type tables struct {
	arches []*archTable // x86_64, i386, aarch64

	once     sync.Once
	universe []string // sorted union of the names of all supported arches, after all
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
	t := &tables{}
	for _, sa := range supportedArches {
		at := &archTable{arch: sa.arch, audit: sa.audit}
		if _, err := seccomp.ScmpSyscall(0).GetNameByArch(sa.arch); err != nil {
			// Every supported arch names its syscall 0 (read, io_setup).
			return nil, fmt.Errorf("libseccomp knows no syscall 0 for arch %v: %w", sa.arch, err)
		}
		t.arches = append(t.arches, at)
	}
	return t, nil
})

// all returns the sorted names of every supported arch, reading the full
// tables on first use.
func (t *tables) all() []string {
	t.once.Do(func() {
		known := map[string]bool{}
		for _, at := range t.arches {
			for name := range at.full().names {
				known[name] = true
			}
		}
		for name := range known {
			t.universe = append(t.universe, name)
		}
		slices.Sort(t.universe)
	})
	return t.universe
}

// known reports whether some supported arch has a syscall called name.
func (t *tables) known(name string) bool {
	for _, at := range t.arches {
		if at.has(name) {
			return true
		}
	}
	return false
}

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
	return mustTables().known(name)
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
