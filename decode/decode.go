// Package decode turns one syscall entry (seccomp_data plus a view of the
// tracee's memory) into the text strace prints before " = ", and into the
// structured values that scenario rules match on (path, sockaddr).
//
// It makes no kernel calls: memory comes through the Memory interface, which
// the supervisor implements over process_vm_readv or /proc/PID/mem. Decoding
// never fails: a pointer that cannot be read prints as a hex address, NULL as
// NULL, as strace does.
package decode

import "net/netip"

// Memory reads tracee memory.
//
// ReadAt reads up to len(p) bytes at the tracee virtual address addr. It may
// return fewer bytes than asked when the range crosses into unmapped memory;
// n > 0 with a non-nil error means the first n bytes are good.
type Memory interface {
	ReadAt(p []byte, addr uint64) (n int, err error)
}

// Call is one syscall entry as the kernel reports it in struct seccomp_data
// (include/uapi/linux/seccomp.h).
type Call struct {
	// Arch is the AUDIT_ARCH_* value of the calling ABI (include/uapi/linux/audit.h),
	// for example unix.AUDIT_ARCH_X86_64 or unix.AUDIT_ARCH_I386 for an int 0x80
	// call from a 64-bit process. Syscall numbers are only meaningful with it.
	Arch uint32
	// Nr is the syscall number in Arch's table.
	Nr int32
	// Args are the six raw argument registers.
	Args [6]uint64
}

// Options tune the text output, as strace's flags of the same meaning.
type Options struct {
	// StringLimit is strace's -s: the most bytes of a string printed before
	// it ends with `"...`. Zero means the default, 32; a negative value
	// means strace's -s 0.
	StringLimit int
}

// Sockaddr is a decoded struct sockaddr argument (connect, bind, sendto).
type Sockaddr struct {
	// Family is the AF_* value (sys/socket.h).
	Family uint16
	// Addr and Port are set for AF_INET and AF_INET6; Port is in host order.
	Addr netip.AddrPort
	// Path is the AF_UNIX path; for an abstract socket it is the name
	// without its leading NUL and Abstract is true.
	Path     string
	Abstract bool
}

// Decoded is what Decode found in one call.
type Decoded struct {
	// Name is the syscall's name in its arch's table ("openat"), or
	// "syscall_0x1ff" for a number that table does not know.
	Name string
	// Text is the call as strace prints it up to, not including, " = ".
	Text string
	// Path is the first pathname argument as the tracee passed it (not
	// resolved). HasPath is false when the call has none or it could not be read.
	Path    string
	HasPath bool
	// PathDirFD is the directory fd the Path is relative to: AT_FDCWD (-100)
	// for calls without a dirfd argument.
	PathDirFD int
	// Sockaddr is the decoded address argument, nil when the call has none
	// or it could not be read.
	Sockaddr *Sockaddr
}
