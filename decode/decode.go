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
	// means strace's -s 0. It also bounds the elements printed of an
	// array (argv, iovecs, pollfds), as in strace.
	StringLimit int

	// Hex is strace's --strings-in-hex: how strings (data, paths, socket
	// paths) escape their bytes.
	//   0: strace's default: \n \t ... and octal for other non-printable bytes.
	//   1: strace -x: a string that holds any byte other than printable
	//      ASCII and \t \n \v \f \r prints wholly as \xNN, every byte;
	//      other strings print as with 0 (this is strace 6.1's rule:
	//      `write(1, "ab\001c", 4)` prints "\x61\x62\x01\x63").
	//   2: strace -xx: every byte of every string as \xNN.
	//   3: strace --strings-in-hex=non-ascii-chars: only the bytes 0 with
	//      would print in octal print as \xNN ("ab\x01c").
	// Other values act as 0.
	Hex int

	// FD, when non-nil, is strace's -y/-yy: for every argument that is a
	// file descriptor (fd arguments, dirfds, and the fds inside pollfd
	// arrays and epoll_ctl/poll structures), Decode calls FD with the
	// descriptor and, when it returns true, prints `3<TEXT>` with the
	// returned TEXT as is; false prints the bare number. A dirfd of
	// AT_FDCWD is also passed (as unix.AT_FDCWD, -100): strace 6.1 -y
	// prints `AT_FDCWD</current/dir>`; return the tracee's cwd or false.
	// TEXT should be quoted the way strace quotes it (see FDPathText). A
	// TEXT that ends in " (deleted)" (the kernel's mark on the link of an
	// unlinked file) prints as strace prints it, `3</tmp/x>(deleted)`: leave
	// that suffix unquoted. Negative fds other than AT_FDCWD are never
	// passed. FD is called from
	// the goroutine calling Decode, at most once per printed fd.
	FD func(fd int32) (string, bool)
}

// Arg is one printed argument of a call.
type Arg struct {
	// Raw is the argument register the text stands for, as the ABI
	// passes it (zero-extended from 32 bits on a 32-bit ABI). For a value
	// split over two registers on a 32-bit ABI (i386's pread64 offset) it
	// is the joined 64-bit value; for clone's keyword arguments it is the
	// register the keyword names (child_stack= is the second register).
	Raw uint64 `json:"raw"`
	// Text is exactly what strace prints for the argument.
	Text string `json:"text"`
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
	// It is always Name + "(" + the Args' Texts joined by ", " + ")".
	Text string
	// Args are the printed arguments in order: as many as strace prints,
	// which is not always the number of registers the call takes (open
	// prints its mode only with O_CREAT or O_TMPFILE; fcntl(fd, F_GETFD)
	// prints two; clone prints keyword=value texts in its own order; an
	// undecoded call prints strace's argument count in hex). Comments
	// strace puts inside an argument (execve's `/* 25 vars */`) are part
	// of that argument's Text.
	Args []Arg
	// Path is the first pathname argument as the tracee passed it (not
	// resolved). HasPath is false when the call has none or it could not be read.
	Path    string
	HasPath bool
	// PathDirFD is the directory fd the Path is relative to: AT_FDCWD (-100)
	// for calls without a dirfd argument.
	PathDirFD int
	// Path2 is the second pathname argument, with HasPath2 and Path2DirFD
	// as above: the new name of rename, renameat, renameat2, link and
	// linkat. (symlink's and symlinkat's first argument is the link's
	// content, not a file the call touches: their Path is the link.)
	Path2      string
	HasPath2   bool
	Path2DirFD int
	// Sockaddr is the decoded address argument, nil when the call has none
	// or it could not be read.
	Sockaddr *Sockaddr
}

// QuoteText quotes s as strace prints a string argument: in double quotes,
// with \" \\ \n ... escaped and other non-printable bytes in octal,
// honoring opt.Hex (strace's string_quote; -yy prints unix socket paths so).
func QuoteText(s string, opt Options) string {
	var p printer
	p.reset(Call{}, nil, opt)
	text, _ := p.quote([]byte(s), len(s), 0)
	return text
}

// FDPathText quotes a path for Options.FD's text as strace -y quotes it
// inside the angle brackets: escaped as a string (with '<' and '>' also
// escaped, as octal) without the surrounding quotes, honoring opt.Hex.
func FDPathText(path string, opt Options) string {
	p := printer{}
	switch opt.Hex {
	case 1:
		p.hexStyle = quoteHexNonASCII
	case 2:
		p.hexStyle = quoteHex
	case 3:
		p.hexStyle = quoteHexChars
	}
	s, _ := p.quote([]byte(path), len(path), quoteEscapeAngle)
	return s
}
