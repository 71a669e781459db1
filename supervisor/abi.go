package supervisor

// Kernel ABI of seccomp user notification, from include/uapi/linux/seccomp.h
// (Linux 5.0 and later). The ioctl numbers and flags come from
// golang.org/x/sys/unix; the structs are not in it, so they are laid out
// here, and sizes are checked against the ioctl numbers in abi_test.go.

// seccompData is struct seccomp_data.
type seccompData struct {
	Nr                 int32
	Arch               uint32
	InstructionPointer uint64
	Args               [6]uint64
}

// seccompNotif is struct seccomp_notif, filled by SECCOMP_IOCTL_NOTIF_RECV.
// Pid is the calling thread's id in the listener's pid namespace, 0 when the
// thread is not visible there.
type seccompNotif struct {
	ID    uint64
	Pid   uint32
	Flags uint32
	Data  seccompData
}

// seccompNotifResp is struct seccomp_notif_resp, sent with
// SECCOMP_IOCTL_NOTIF_SEND. Error is a negated errno (or 0); Val is the
// return value when Error is 0.
type seccompNotifResp struct {
	ID    uint64
	Val   int64
	Error int32
	Flags uint32
}
