// Package policy turns strace-style trace expressions and scenario syscall
// lists into the set of syscalls to notify, and compiles that set into a
// classic BPF seccomp program whose notified syscalls return
// SECCOMP_RET_USER_NOTIF.
//
// The package makes no seccomp(2) call of its own and never loads a filter:
// it parses, resolves names through libseccomp (github.com/seccomp/libseccomp-golang,
// cgo against libseccomp ≥ 2.5) and exports the program as raw instructions
// for the supervisor to load. Syscall names are libseccomp's ("openat",
// i386 "getgid32"). The supported arches are x86_64, i386 and aarch64; a
// filter covers the native arch plus, on x86_64, i386.
//
// Syscall classes (%file, %network, ...) follow strace's syscall tables; see
// zclasses.go for the release and the files they come from. Regenerate with
//
//	STRACE_SRC=/path/to/strace STRACE_VERSION=v7.2 go generate ./policy/
//
// where STRACE_SRC is a strace source tree checked out at tag STRACE_VERSION.
//
// All functions are safe for concurrent use.
package policy

//go:generate go run gen_classes.go -strace $STRACE_SRC -version $STRACE_VERSION -o zclasses.go
