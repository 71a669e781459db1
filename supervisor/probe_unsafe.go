package supervisor

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Probe reports whether this kernel can return SECCOMP_RET_USER_NOTIF, asking
// seccomp(2) SECCOMP_GET_ACTION_AVAIL (Linux 5.0). The error wraps
// ErrNotSupported when it cannot.
func Probe() error {
	action := uint32(unix.SECCOMP_RET_USER_NOTIF)
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_GET_ACTION_AVAIL, 0, uintptr(unsafe.Pointer(&action)))
	if e != 0 {
		return fmt.Errorf("%w: SECCOMP_GET_ACTION_AVAIL: %v", ErrNotSupported, e)
	}
	return nil
}
