package supervisor

/*
#include "launcher.h"
*/
import "C"

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// HandoffFlags are the sendmsg flags the launcher uses on the hand-off fd;
// the filter must allow exactly sendmsg(HandoffFD(), *, HandoffFlags)
// (launcher.h).
const HandoffFlags = C.SYSCAGE_HANDOFF_FLAGS

const (
	launchEnv   = C.SYSCAGE_LAUNCH_ENV
	launchMagic = C.SYSCAGE_LAUNCH_MAGIC
)

// HandoffFD is the launcher's fd number for the hand-off socket: the lowest
// number above every fd this process inherited without close-on-exec, so
// that those reach the tracee unchanged (fd 3 of a socket-activated service,
// say). The filter must exempt sendmsg on it (policy.FilterSpec.ExemptFD).
// It is computed once, before syscage opens files of its own (which are
// close-on-exec anyway).
var HandoffFD = sync.OnceValue(func() int {
	fd := 3
	for _, i := range inheritedFDs() {
		if i >= fd {
			fd = i + 1
		}
	}
	return fd
})

// inheritedFDs lists the fds above 2 that are open without FD_CLOEXEC.
func inheritedFDs() []int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil
	}
	var fds []int
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 {
			continue
		}
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			fds = append(fds, fd)
		}
	}
	return fds
}

// ErrNested is returned when the kernel refuses a second listener: the
// calling process already runs under a filter with a listener (syscage under
// syscage, or another seccomp supervisor). seccomp(2): EBUSY.
var ErrNested = errors.New("this process already runs under a seccomp user-notification supervisor (a second listener is refused: EBUSY)")

// LaunchError is a failure of the launcher before the target program ran.
type LaunchError struct {
	Stage string // "seccomp", "execve", ...
	Err   error  // a syscall.Errno
}

func (e *LaunchError) Error() string { return e.Stage + ": " + e.Err.Error() }
func (e *LaunchError) Unwrap() error { return e.Err }

// closedStdio reports whether fd (0, 1 or 2) was closed when this process
// started, before the Go runtime put /dev/null there.
func closedStdio(fd int) bool { return C.syscage_closed_stdio&(1<<fd) != 0 }

var stageNames = map[uint32]string{
	C.SYSCAGE_STAGE_READ:         "launcher hand-off",
	C.SYSCAGE_STAGE_PDEATHSIG:    "prctl(PR_SET_PDEATHSIG)",
	C.SYSCAGE_STAGE_NO_NEW_PRIVS: "prctl(PR_SET_NO_NEW_PRIVS)",
	C.SYSCAGE_STAGE_SECCOMP:      "seccomp",
	C.SYSCAGE_STAGE_EXECVE:       "execve",
}

// launcherProc is the started launcher: its pid and a pidfd (clone(2)
// CLONE_PIDFD, Linux 5.2), so that a signal never reaches a reused pid. It
// is started with syscall.ForkExec rather than os.StartProcess, whose first
// call checks pidfd support with an extra fork, pidfd_open, waitid and
// pidfd_send_signal: a process more on every run.
// Release closes the pidfd; reaping is the caller's (reap, Wait).
type launcherProc struct {
	Pid   int
	pidfd int // -1 when the kernel has no CLONE_PIDFD
}

// Signal sends sig through the pidfd, or by pid without one.
func (p *launcherProc) Signal(sig os.Signal) error {
	s, ok := sig.(syscall.Signal)
	if !ok {
		return fmt.Errorf("unsupported signal %v", sig)
	}
	if p.pidfd >= 0 {
		return unix.PidfdSendSignal(p.pidfd, s, nil, 0)
	}
	return unix.Kill(p.Pid, s)
}

// Kill sends SIGKILL.
func (p *launcherProc) Kill() error { return p.Signal(syscall.SIGKILL) }

// Wait reaps the launcher (wait4(2)), retrying on EINTR.
func (p *launcherProc) Wait() {
	for {
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(p.Pid, &ws, 0, nil); err != syscall.EINTR {
			return
		}
	}
}

// Release closes the pidfd.
func (p *launcherProc) Release() {
	if p.pidfd >= 0 {
		unix.Close(p.pidfd)
		p.pidfd = -1
	}
}

// startLauncher forks and execs path with a pidfd, falling back to none on
// a kernel without CLONE_PIDFD (EINVAL).
func startLauncher(path string, argv, env []string, files []uintptr) (*launcherProc, error) {
	pidfd := -1
	attr := &syscall.ProcAttr{Env: env, Files: files, Sys: &syscall.SysProcAttr{PidFD: &pidfd}}
	pid, err := syscall.ForkExec(path, argv, attr)
	if err == syscall.EINVAL {
		attr.Sys.PidFD, pidfd = nil, -1
		pid, err = syscall.ForkExec(path, argv, attr)
	}
	if err != nil {
		return nil, err
	}
	return &launcherProc{Pid: pid, pidfd: pidfd}, nil
}

// launched is a started launcher that has handed over its listener fd.
type launched struct {
	proc     *launcherProc
	listener int    // the listener fd; the supervisor closes it
	flags    uint32 // the SECCOMP_FILTER_FLAG_* the filter was loaded with
	sock     int    // parent end of the hand-off socket, for the execve report
}

// launch starts the launcher: a re-exec of this binary whose constructor
// (launcher.c) loads prog with flags and execs path with argv and env.
// It returns once the listener fd has arrived.
func launch(path string, argv, env []string, prog []unix.SockFilter, flags uint32, files []*os.File) (*launched, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("hand-off socketpair: %w", err)
	}
	parent, child := pair[0], pair[1]
	childFile := os.NewFile(uintptr(child), "syscage-handoff")
	defer childFile.Close()

	msg := encodeRequest(flags, prog, path, argv, env)
	// One datagram carries the request: make room for large environments.
	_ = unix.SetsockoptInt(parent, unix.SOL_SOCKET, unix.SO_SNDBUF, len(msg)+4096)
	_ = unix.SetsockoptInt(parent, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, len(msg)+4096)
	if err := unix.Send(parent, msg, 0); err != nil {
		unix.Close(parent)
		return nil, fmt.Errorf("hand-off request (%d bytes): %w", len(msg), err)
	}

	// The launcher gets the inherited fds where they are, and the socket
	// above them all.
	hfd := HandoffFD()
	var rl unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &rl) == nil && uint64(hfd)+1 >= rl.Cur {
		// The fd was opened before the limit was lowered (ulimit -n): the
		// socket's number, and the one the fork moves it through, would
		// be beyond it (EBADF).
		unix.Close(parent)
		return nil, fmt.Errorf("start launcher: fd %d is open and inherited, at or near the fd limit %d (ulimit -n): syscage passes the command every inherited fd and needs two fd numbers above them; close fd %d or raise the limit", hfd-1, rl.Cur, hfd-1)
	}
	attrFiles := make([]uintptr, hfd+1)
	for i := range attrFiles {
		attrFiles[i] = ^uintptr(0) // -1: closed in the launcher
	}
	for i, f := range files[:3] {
		if f != nil {
			attrFiles[i] = f.Fd()
		}
	}
	for _, fd := range inheritedFDs() {
		if fd < hfd {
			attrFiles[fd] = uintptr(fd)
		}
	}
	attrFiles[hfd] = childFile.Fd()
	proc, err := startLauncher(self, []string{argv[0]}, []string{launchEnv + "=" + strconv.Itoa(hfd)}, attrFiles)
	for _, f := range files[:3] {
		runtime.KeepAlive(f)
	}
	if err != nil {
		unix.Close(parent)
		return nil, fmt.Errorf("start launcher: %w", err)
	}
	childFile.Close()

	status, lflags, stage, fd, err := readReply(parent)
	if err != nil || status != 0 {
		unix.Close(parent)
		proc.Kill()
		proc.Wait()
		proc.Release()
		if err != nil {
			return nil, fmt.Errorf("launcher hand-off: %w", err)
		}
		errno := syscall.Errno(status)
		if stage == C.SYSCAGE_STAGE_SECCOMP && errno == unix.EBUSY {
			return nil, ErrNested
		}
		return nil, &LaunchError{Stage: stageNames[stage], Err: errno}
	}
	return &launched{proc: proc, listener: fd, flags: lflags, sock: parent}, nil
}

// execResult waits for the launcher's execve: nil once it succeeded (the
// hand-off socket closes on exec), or the errno it failed with.
func (l *launched) execResult() error {
	defer unix.Close(l.sock)
	status, _, stage, fd, err := readReply(l.sock)
	if fd >= 0 {
		unix.Close(fd)
	}
	if err != nil {
		return nil // EOF: closed by a successful execve
	}
	return &LaunchError{Stage: stageNames[stage], Err: syscall.Errno(status)}
}

func encodeRequest(flags uint32, prog []unix.SockFilter, path string, argv, env []string) []byte {
	b := make([]byte, 0, 4096)
	u32 := func(v uint32) { b = binary.NativeEndian.AppendUint32(b, v) }
	str := func(s string) { u32(uint32(len(s))); b = append(b, s...) }
	u32(launchMagic)
	u32(flags)
	u32(uint32(os.Getpid()))
	b = binary.NativeEndian.AppendUint64(b, uint64(C.syscage_ignored_signals))
	b = binary.NativeEndian.AppendUint64(b, uint64(C.syscage_blocked_signals))
	u32(uint32(len(prog)))
	for _, ins := range prog {
		b = binary.NativeEndian.AppendUint16(b, ins.Code)
		b = append(b, ins.Jt, ins.Jf)
		u32(ins.K)
	}
	str(path)
	u32(uint32(len(argv)))
	for _, a := range argv {
		str(a)
	}
	u32(uint32(len(env)))
	for _, e := range env {
		str(e)
	}
	return b
}

// readReply reads one launcher reply; fd is -1 unless one was passed.
// err is io.EOF-like (errShortReply) when the launcher closed the socket.
func readReply(sock int) (status, flags, stage uint32, fd int, err error) {
	fd = -1
	buf := make([]byte, 12)
	oob := make([]byte, unix.CmsgSpace(4))
	for {
		var n, oobn int
		n, oobn, _, _, err = unix.Recvmsg(sock, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, 0, 0, -1, err
		}
		if oobn > 0 {
			if cms, perr := unix.ParseSocketControlMessage(oob[:oobn]); perr == nil {
				for _, cm := range cms {
					if fds, rerr := unix.ParseUnixRights(&cm); rerr == nil && len(fds) > 0 {
						fd = fds[0]
					}
				}
			}
		}
		if n < 12 {
			if fd >= 0 {
				unix.Close(fd)
			}
			return 0, 0, 0, -1, errShortReply
		}
		return binary.NativeEndian.Uint32(buf), binary.NativeEndian.Uint32(buf[4:]), binary.NativeEndian.Uint32(buf[8:]), fd, nil
	}
}

var errShortReply = errors.New("launcher exited without a reply")
