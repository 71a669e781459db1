package decode

import (
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// maxErrno is MAX_ERRNO (include/linux/err.h): a syscall returns -1..-4095
// for an error.
const maxErrno = 4095

// straceErrnoNames are the names strace 6.1's errno table
// (src/linux/generic/errnoent.h) gives where golang.org/x/sys/unix names
// the number differently (both names are the same number on Linux).
var straceErrnoNames = map[unix.Errno]string{
	unix.EOPNOTSUPP: "EOPNOTSUPP", // unix.ErrnoName says ENOTSUP
	unix.EUCLEAN:    "EUCLEAN",    // unix.ErrnoName says EFSCORRUPTED
}

// kernelErrnos are the kernel-internal codes (include/linux/errno.h, not in
// the UAPI and so not in x/sys/unix) that strace's errno table names. They
// reach a tracee only when a tool injects them.
var kernelErrnos = map[int]string{
	512: "ERESTARTSYS",
	513: "ERESTARTNOINTR",
	514: "ERESTARTNOHAND",
	515: "ENOIOCTLCMD",
	516: "ERESTART_RESTARTBLOCK",
	517: "EPROBE_DEFER",
	518: "EOPENSTALE",
	521: "EBADHANDLE",
	522: "ENOTSYNC",
	523: "EBADCOOKIE",
	524: "ENOTSUPP",
	525: "ETOOSMALL",
	526: "ESERVERFAULT",
	527: "EBADTYPE",
	528: "EJUKEBOX",
	529: "EIOCBQUEUED",
	530: "ERECALLCONFLICT",
}

// restartResults are what strace prints instead of "-1 NAME (message)" for
// the four restart codes (src/syscall.c, syscall_exiting_trace).
var restartResults = map[int]string{
	512: "? ERESTARTSYS (To be restarted if SA_RESTART is set)",
	513: "? ERESTARTNOINTR (To be restarted)",
	514: "? ERESTARTNOHAND (To be restarted if no handler)",
	516: "? ERESTART_RESTARTBLOCK (Interrupted by signal)",
}

// glibcMessages are glibc's strerror texts for the errnos whose message Go's
// syscall package lacks.
var glibcMessages = map[unix.Errno]string{
	unix.EHWPOISON: "Memory page has hardware error",
}

// errnoName returns strace's name for errno e (positive), "" if it has none.
func errnoName(e int) string {
	if name, ok := kernelErrnos[e]; ok {
		return name
	}
	// strace's table ends at EHWPOISON; x/sys/unix has a name or two past it
	// that are not Linux errnos.
	if e <= 0 || e > int(unix.EHWPOISON) {
		return ""
	}
	if name, ok := straceErrnoNames[unix.Errno(e)]; ok {
		return name
	}
	return unix.ErrnoName(unix.Errno(e))
}

// errnoMessage returns glibc's strerror(e): Go's message for e with its
// first letter upper-cased (Go's table is generated from glibc's, which
// lower-cased it), or "Unknown error e" as glibc says for a number it does
// not know.
func errnoMessage(e int) string {
	if m, ok := glibcMessages[unix.Errno(e)]; ok {
		return m
	}
	msg := syscall.Errno(e).Error()
	if msg == "" || strings.HasPrefix(msg, "errno ") {
		return "Unknown error " + strconv.Itoa(e)
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// ErrnoResult returns what strace prints after " = " for a call that
// failed with errno e (positive, as in errno(3), not the kernel's negated
// return value): "-1 ENOENT (No such file or directory)". A number strace
// has no name for prints as "-1 (errno 1234)", and the kernel's restart
// codes as strace shows them ("? ERESTARTSYS (To be restarted if SA_RESTART
// is set)").
func ErrnoResult(e int) string {
	if r, ok := restartResults[e]; ok {
		return r
	}
	name := errnoName(e)
	if name == "" {
		return "-1 (errno " + strconv.FormatUint(uint64(uint32(e)), 10) + ")"
	}
	return "-1 " + name + " (" + errnoMessage(e) + ")"
}

// ErrnoByName parses an errno name ("ENOENT", as strace or x/sys/unix
// spells it, aliases such as EWOULDBLOCK included) or a decimal number
// ("2") into a positive errno. ok is false for an unknown name or a number
// outside 1..4095 (MAX_ERRNO).
func ErrnoByName(s string) (errno int, ok bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxErrno {
			return 0, false
		}
		return n, true
	}
	e, ok := errnoByName()[s]
	return e, ok
}

// errnoByName maps every name errnoName gives, the names x/sys/unix gives,
// and the usual aliases, to their numbers.
var errnoByName = sync.OnceValue(func() map[string]int {
	m := map[string]int{
		"EWOULDBLOCK":  int(unix.EWOULDBLOCK),
		"EDEADLOCK":    int(unix.EDEADLOCK),
		"ENOTSUP":      int(unix.ENOTSUP),
		"EFSCORRUPTED": int(unix.EUCLEAN),
	}
	for e := 1; e <= maxErrno; e++ {
		if name := unix.ErrnoName(unix.Errno(e)); name != "" && e <= int(unix.EHWPOISON) {
			m[name] = e
		}
		if name := errnoName(e); name != "" {
			m[name] = e
		}
	}
	return m
})
