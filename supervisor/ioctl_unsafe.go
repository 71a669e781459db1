package supervisor

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// recvNotif blocks in SECCOMP_IOCTL_NOTIF_RECV until a notification arrives.
// n must be zeroed: the kernel rejects a non-zero buffer (EINVAL).
// Errors: EINTR (retry), ENOENT (the caller died before it was read: go on).
func recvNotif(fd int, n *seccompNotif) error {
	return ioctl(fd, unix.SECCOMP_IOCTL_NOTIF_RECV, unsafe.Pointer(n))
}

// sendResp answers a notification with SECCOMP_IOCTL_NOTIF_SEND. ENOENT means
// the call is gone: its task died, or (without WAIT_KILLABLE_RECV) a signal
// interrupted it and it will be notified again.
func sendResp(fd int, r *seccompNotifResp) error {
	return ioctl(fd, unix.SECCOMP_IOCTL_NOTIF_SEND, unsafe.Pointer(r))
}

// idValid reports whether the notification id still stands
// (SECCOMP_IOCTL_NOTIF_ID_VALID): the task is still blocked in that call,
// so what was read from its memory belongs to it.
func idValid(fd int, id uint64) bool {
	return ioctl(fd, unix.SECCOMP_IOCTL_NOTIF_ID_VALID, unsafe.Pointer(&id)) == nil
}

// setFlags sets listener flags with SECCOMP_IOCTL_NOTIF_SET_FLAGS (Linux 6.6):
// SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP makes the kernel wake the supervisor and
// the tracee on the same CPU. Older kernels answer EINVAL or ENOTTY.
func setFlags(fd int, flags uint64) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SECCOMP_IOCTL_NOTIF_SET_FLAGS, uintptr(flags))
	if e != 0 {
		return e
	}
	return nil
}

func ioctl(fd int, req uint, arg unsafe.Pointer) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(req), uintptr(arg))
	if e != 0 {
		return e
	}
	return nil
}

// readMem reads tracee memory at addr with process_vm_readv(2).
func readMem(pid int, p []byte, addr uint64) (int, error) {
	local := []unix.Iovec{{Base: &p[0]}}
	local[0].SetLen(len(p))
	remote := []unix.RemoteIovec{{Base: uintptr(addr), Len: len(p)}}
	return unix.ProcessVMReadv(pid, local, remote, 0)
}
