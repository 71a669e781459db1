package supervisor

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The ioctl numbers encode the struct sizes the kernel expects (_IOWR).
func TestABISizes(t *testing.T) {
	size := func(ioc uint) uintptr { return uintptr(ioc>>16) & 0x3fff }
	if got, want := unsafe.Sizeof(seccompNotif{}), size(unix.SECCOMP_IOCTL_NOTIF_RECV); got != want {
		t.Errorf("sizeof(seccomp_notif) = %d, ioctl says %d", got, want)
	}
	if got, want := unsafe.Sizeof(seccompNotifResp{}), size(unix.SECCOMP_IOCTL_NOTIF_SEND); got != want {
		t.Errorf("sizeof(seccomp_notif_resp) = %d, ioctl says %d", got, want)
	}
	if got := unsafe.Sizeof(seccompData{}); got != 64 {
		t.Errorf("sizeof(seccomp_data) = %d, want 64", got)
	}
}
