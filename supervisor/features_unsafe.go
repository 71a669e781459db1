package supervisor

import (
	"os"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Features is what this kernel offers a seccomp supervisor and what syscage
// uses of it. Kernel versions are those that added each feature.
type Features struct {
	Kernel string `json:"kernel"` // uname -r
	// UserNotif: SECCOMP_RET_USER_NOTIF and SECCOMP_FILTER_FLAG_NEW_LISTENER (5.0).
	UserNotif bool `json:"user_notif"`
	// Continue: SECCOMP_USER_NOTIF_FLAG_CONTINUE, letting a call run (5.5).
	Continue bool `json:"continue"`
	// AddFD: SECCOMP_IOCTL_NOTIF_ADDFD, installing an fd in the tracee (5.9).
	AddFD bool `json:"addfd"`
	// TSyncESRCH: SECCOMP_FILTER_FLAG_TSYNC_ESRCH (5.7).
	TSyncESRCH bool `json:"tsync_esrch"`
	// WaitKillableRecv: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19): a
	// received call is only cancelled by a fatal signal.
	WaitKillableRecv bool `json:"wait_killable_recv"`
	// SyncWakeUp: SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP through
	// SECCOMP_IOCTL_NOTIF_SET_FLAGS (6.6).
	SyncWakeUp bool `json:"sync_wake_up"`
	// ProcessVMReadv: process_vm_readv(2) is allowed here (Docker's default
	// profile refuses it without CAP_SYS_PTRACE); otherwise /proc/PID/mem.
	ProcessVMReadv bool `json:"process_vm_readv"`
	// PidfdGetfd: pidfd_getfd(2) is allowed here (5.6; ptrace access rights).
	PidfdGetfd bool `json:"pidfd_getfd"`
	// Arches are the ABIs whose calls the filter notifies and decodes.
	Arches []string `json:"arches"`
	// Uses lists what syscage will use on this kernel.
	Uses []string `json:"uses"`
	// Error says why a probe that needed a listener could not run
	// (inside another seccomp supervisor, say: EBUSY). Unknown then names
	// the features it leaves untold ("continue", "addfd", "sync_wake_up"):
	// their false means unknown, not absent.
	Error   string   `json:"error,omitempty"`
	Unknown []string `json:"unknown,omitempty"`
}

// flagKnown reports whether seccomp(2) accepts the filter flags: with a
// NULL program the kernel validates the flags (EINVAL) before it copies the
// program (EFAULT), so nothing is installed.
func flagKnown(flags uint32) bool {
	_, _, e := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER, uintptr(flags), 0)
	return e == unix.EFAULT
}

// seccompNotifAddfd is struct seccomp_notif_addfd (linux/seccomp.h).
type seccompNotifAddfd struct {
	ID         uint64
	Flags      uint32
	SrcFD      uint32
	NewFD      uint32
	NewFDFlags uint32
}

// ProbeFeatures asks the kernel what it offers. The listener ioctls need a
// listener: a launcher runs /bin/true under a filter that notifies nothing.
func ProbeFeatures() Features {
	var f Features
	var uts unix.Utsname
	if unix.Uname(&uts) == nil {
		f.Kernel = unix.ByteSliceToString(uts.Release[:])
	}
	f.UserNotif = Probe() == nil
	f.TSyncESRCH = flagKnown(unix.SECCOMP_FILTER_FLAG_TSYNC | unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | unix.SECCOMP_FILTER_FLAG_TSYNC_ESRCH)
	f.WaitKillableRecv = flagKnown(unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)

	var buf [8]byte
	if _, err := readMem(os.Getpid(), buf[:], uint64(uintptr(unsafe.Pointer(&f)))); err == nil {
		f.ProcessVMReadv = true
	}
	if pidfd, err := unix.PidfdOpen(os.Getpid(), 0); err == nil {
		if fd, err := unix.PidfdGetfd(pidfd, pidfd, 0); err == nil {
			f.PidfdGetfd = true
			unix.Close(fd)
		}
		unix.Close(pidfd)
	}
	switch runtime.GOARCH {
	case "amd64":
		f.Arches = []string{"x86_64", "i386"}
	case "arm64":
		f.Arches = []string{"aarch64"}
	default:
		f.Arches = []string{runtime.GOARCH}
	}

	if f.UserNotif {
		if err := probeListener(&f); err != nil {
			f.Error = err.Error()
			f.Unknown = []string{"continue", "addfd", "sync_wake_up"}
		}
	}
	if f.UserNotif && f.Continue {
		f.Uses = append(f.Uses, "SECCOMP_RET_USER_NOTIF with CONTINUE")
	}
	if f.WaitKillableRecv {
		f.Uses = append(f.Uses, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV")
	}
	if f.SyncWakeUp {
		f.Uses = append(f.Uses, "SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP")
	}
	if f.ProcessVMReadv {
		f.Uses = append(f.Uses, "process_vm_readv")
	} else {
		f.Uses = append(f.Uses, "/proc/PID/mem")
	}
	return f
}

// probeListener fills the features that only a listener fd can tell.
func probeListener(f *Features) error {
	l, err := launch("/bin/true", []string{"true"}, nil, notifyNothing(), unix.SECCOMP_FILTER_FLAG_NEW_LISTENER, []*os.File{nil, nil, nil})
	if err != nil {
		return err
	}
	defer unix.Close(l.listener)
	defer l.proc.Release()
	defer l.proc.Wait()
	defer l.execResult()
	// Each probe names notification id 0, which never exists: a kernel that
	// knows the request answers ENOENT, one that does not EINVAL.
	resp := seccompNotifResp{Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
	f.Continue = sendResp(l.listener, &resp) == unix.ENOENT
	add := seccompNotifAddfd{SrcFD: uint32(l.listener)}
	f.AddFD = ioctl(l.listener, unix.SECCOMP_IOCTL_NOTIF_ADDFD, unsafe.Pointer(&add)) == unix.ENOENT
	f.SyncWakeUp = setFlags(l.listener, unix.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == nil
	return nil
}

// notifyNothing is a filter that allows every call: RET ALLOW.
func notifyNothing() []unix.SockFilter {
	return []unix.SockFilter{{Code: unix.BPF_RET | unix.BPF_K, K: unix.SECCOMP_RET_ALLOW}}
}
