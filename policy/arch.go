package policy

import (
	"sync"

	"golang.org/x/sys/unix"
)

// This file answers "can this syscall happen here?" for scenario checks
// (inject.Warnings): a rule on a name the machine's ABIs do not have can
// never fire.

// archNames are the names of the supported arches as uname -m and strace
// print them, by AUDIT_ARCH_* value.
var archNames = map[uint32]string{
	unix.AUDIT_ARCH_X86_64:  "x86_64",
	unix.AUDIT_ARCH_I386:    "i386",
	unix.AUDIT_ARCH_AARCH64: "aarch64",
}

// cachedFilterArches is filterArches, asked once: the machine does not change.
var cachedFilterArches = sync.OnceValues(filterArches)

// NativeArch returns the name of this machine's native arch as uname -m
// prints it ("x86_64", "aarch64"), or "" when libseccomp cannot tell or
// the arch is not supported.
func NativeArch() string {
	as, err := cachedFilterArches()
	if err != nil {
		return ""
	}
	return archNames[as[0].audit]
}

// NativeHas reports whether name is a syscall of the native ABI
// (libseccomp's table for x86_64 on an x86_64 machine, aarch64 on arm64).
// "open" is false on aarch64, "getgid32" false on x86_64. It is false for
// every name when the native arch is not supported.
func NativeHas(name string) bool {
	as, err := cachedFilterArches()
	if err != nil {
		return false
	}
	return as[0].has(name)
}

// FilterHas reports whether a filter compiled on this machine can notify
// the syscall called name on some ABI it covers: the native one and, on
// x86_64, i386 (a 64-bit process can make int 0x80 calls). "mmap2" is true
// on x86_64 (an i386 call) and false on aarch64.
func FilterHas(name string) bool {
	as, err := cachedFilterArches()
	if err != nil {
		return false
	}
	for _, at := range as {
		if at.has(name) {
			return true
		}
	}
	return false
}
