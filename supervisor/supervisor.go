// Package supervisor runs a command under a seccomp user-notification filter
// and answers its notified syscalls. It is the only package of syscage that
// talks to the kernel: it starts the launcher (launcher.c), receives the
// listener fd, reads tracee memory and /proc, and sends each response.
//
// Linux 5.0 is the minimum (SECCOMP_RET_USER_NOTIF); CONTINUE needs 5.5,
// SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV 5.19 and the sync wake-up 6.6, each
// used when the kernel has it.
package supervisor

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/inject"
)

// ExecNotified are the syscalls every filter must notify whatever the trace
// set (policy.FilterSpec.Notify): the supervisor must see every execve,
// after which the memory it keeps open for the process is stale. A
// container's profile (syscage profile) notifies these.
var ExecNotified = []string{"execve", "execveat"}

// AlwaysNotified are what a filter syscage loads itself notifies whatever
// the trace set: ExecNotified, and exit_group and exit, after which the
// process's (or thread's) id may be reused: its rule counters and cached
// thread group go with it. (A process killed by a signal makes neither
// call; its counters stay until the id comes back. A container's profile
// leaves them out, so the agent keeps counters by pid for the container's
// life.)
var AlwaysNotified = append(slices.Clone(ExecNotified), "exit_group", "exit")

// Config is one run.
type Config struct {
	// Path is the executable to run, already resolved (as strace resolves
	// it against PATH); Argv its argument vector, Argv[0] included; Env its
	// environment.
	Path string
	Argv []string
	Env  []string
	// Stdio are the tracee's fds 0, 1 and 2; nil entries mean syscage's own.
	Stdio [3]*os.File
	// Filter is the compiled seccomp program (policy.CompileFilter). It must
	// allow sendmsg(HandoffFD, *, HandoffFlags).
	Filter []unix.SockFilter
	// Print reports whether a call to the named syscall is printed (the
	// trace set). Nil prints nothing.
	Print func(name string) bool
	// Engine decides injected faults; nil lets every call run.
	Engine *inject.Engine
	// Decode tunes the decoded text.
	Decode decode.Options
	// Sink receives the trace (an *Output, JSON, a summary, or Sinks of
	// them); nil when nothing is reported.
	Sink Sink
	// DecodeFDs prints fds with what they refer to: FDPaths (strace -y) or
	// FDSockets (-yy).
	DecodeFDs int
	// TracePaths, when set, print only calls whose path argument, as given
	// or resolved, or whose fd argument's file is one of them (strace -P).
	TracePaths []string
	// OnlyInjected prints only the calls syscage changed, or with DryRun
	// would have changed (strace -e status=injected).
	OnlyInjected bool
	// Cancel, when closed, kills the launched command (SIGKILL); the run
	// then ends as for any other death. Closed after the command has
	// exited, it ends the wait for the command's remaining descendants.
	// Nil never cancels.
	Cancel <-chan struct{}
	// DryRun decides but injects nothing: every call runs, and a call a
	// rule would have answered prints its would-be result marked
	// "(WOULD INJECT)".
	DryRun bool
	// Subreaper makes this process the child subreaper
	// (PR_SET_CHILD_SUBREAPER) for the run and reaps every orphaned
	// descendant, so that daemons are reaped even under an init that does
	// not reap (the listener hangs up only once every task that used the
	// filter has been reaped). It waits for any child (wait4(-1)): leave it
	// off when the process has other children of its own, as a test does.
	Subreaper bool
	// Signals, when set, carries the signals to pass on to the command
	// (as forwardSignal decides), and the caller owns their registration:
	// a CLI that exits after the run registers ForwardedSignals once and
	// never stops, which saves Stop's round trips to os/signal's thread
	// (0.2-0.4 ms a run). Nil: Run notifies and stops ForwardedSignals
	// itself.
	Signals <-chan os.Signal
	// Warn, when set, is told once per run what the supervisor cannot do
	// and the trace therefore lacks: today, that the tracee's memory
	// cannot be read (no ptrace access: another user's process, Yama,
	// AppArmor), so strings and paths print as addresses and path rules
	// never match. One line, no newline.
	Warn func(msg string)
}

// ForwardedSignals are the signals Run passes on to the command: SIGINT,
// SIGTERM, SIGHUP, SIGQUIT, and SIGUSR1 and SIGUSR2 (which services take
// as "reopen your logs" and the like). Once the command has exited, one of
// the first four ends Run's wait for the command's remaining descendants
// instead; SIGUSR1 and SIGUSR2 are then ignored.
var ForwardedSignals = []os.Signal{unix.SIGINT, unix.SIGTERM, unix.SIGHUP, unix.SIGQUIT, unix.SIGUSR1, unix.SIGUSR2}

// userSignal reports whether sig is SIGUSR1 or SIGUSR2: never sent by a
// terminal, and no request to stop.
func userSignal(sig os.Signal) bool { return sig == unix.SIGUSR1 || sig == unix.SIGUSR2 }

// Result is how the run ended.
type Result struct {
	// Pid is the launched command's process id.
	Pid int
	// Status is the wait status of the traced command.
	Status syscall.WaitStatus
	// Flags are the SECCOMP_FILTER_FLAG_* the filter was loaded with.
	Flags uint32
}

// ExitCode is the exit status syscage reports for the command: its own exit
// status, or 128+N when signal N killed it (as a shell reports it).
func (r Result) ExitCode() int {
	switch {
	case r.Status.Exited():
		return r.Status.ExitStatus()
	case r.Status.Signaled():
		return 128 + int(r.Status.Signal())
	}
	return 1
}

// Run starts cfg.Path under the filter, supervises every process and thread
// that inherits it until the last one has exited, and returns the command's
// status. SIGINT, SIGTERM and SIGHUP sent to syscage meanwhile are passed to
// the command. Errors before the command ran are *LaunchError or ErrNested.
func Run(cfg Config) (Result, error) {
	stdio := []*os.File{os.Stdin, os.Stdout, os.Stderr}
	for i, f := range cfg.Stdio {
		if f != nil {
			stdio[i] = f
		} else if closedStdio(i) {
			stdio[i] = nil // closed when syscage started: closed in the tracee too
		}
	}
	flags := uint32(unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
	// PR_SET_PDEATHSIG fires when the thread that forked the launcher exits:
	// fork from a thread that stays for the whole run.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if cfg.Subreaper {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return Result{}, fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %w", err)
		}
	}
	// Signals for the tracee, from before it exists: one that arrives
	// during the launch is passed on once it runs.
	sigs := cfg.Signals
	if sigs == nil {
		c := make(chan os.Signal, 4)
		signal.Notify(c, ForwardedSignals...)
		defer signal.Stop(c)
		sigs = c
	}
	l, err := launch(cfg.Path, cfg.Argv, cfg.Env, cfg.Filter, flags, stdio)
	if err != nil {
		return Result{}, err
	}
	defer unix.Close(l.listener)
	// We reap the command ourselves (reap); Release frees the Process's pidfd.
	defer l.proc.Release()
	if cfg.Sink != nil {
		cfg.Sink.Start(l.proc.Pid)
	}
	s := newSupervisor(cfg, l.listener, l.flags&unix.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV != 0)
	s.leader = l.proc.Pid
	s.launching.Store(true)
	defer s.mem.Close()

	go func() {
		s.execErr = l.execResult()
		close(s.execDone)
	}()

	s.startWorkers()
	defer s.stopWorkers()
	hup := make(chan error, 1)
	stopHup := make(chan struct{})
	defer close(stopHup)
	go func() { hup <- waitHangup(l.listener, stopHup) }()

	waited := make(chan syscall.WaitStatus, 1)
	go reap(l.proc.Pid, cfg.Subreaper, waited)
	defer s.flushEvery(100 * time.Millisecond)()

	var (
		status   syscall.WaitStatus
		exited   bool
		lastGone bool
		detached bool // lastGone by a signal or Cancel: tasks remain
	)
	cancel := cfg.Cancel
	for !exited || !lastGone {
		select {
		case <-cancel:
			cancel = nil
			if !exited {
				_ = l.proc.Kill()
			} else {
				lastGone, detached = true, true // stop waiting for its descendants
			}
		case sig := <-sigs:
			if exited && userSignal(sig) {
				break
			}
			if exited {
				// The command is gone and its descendants run on: stop
				// waiting for them, as strace detaches. Their notified
				// calls fail with ENOSYS once the listener is closed.
				lastGone, detached = true, true
			} else if forwardSignal(sig.(syscall.Signal), l.proc.Pid) {
				_ = l.proc.Signal(sig)
			}
		case status = <-waited:
			exited = true
			<-s.execDone
			if s.execErr != nil {
				break
			}
			// strace prefixes the exit line with the pid only while other
			// processes remain: give the listener a moment to hang up.
			if !lastGone {
				select {
				case err := <-hup:
					if err != nil {
						return Result{}, fmt.Errorf("wait for the listener to hang up: %w", err)
					}
					lastGone = true
				case <-time.After(100 * time.Millisecond):
				}
			}
			if s.cfg.Sink != nil {
				s.emitMu.Lock()
				s.abandon(l.proc.Pid, lastGone)
				s.cfg.Sink.Exit(l.proc.Pid, status, lastGone)
				s.emitMu.Unlock()
			}
		case err := <-hup:
			if err != nil {
				return Result{}, fmt.Errorf("wait for the listener to hang up: %w", err)
			}
			lastGone = true
		}
	}
	// Every task is gone: the workers finish what they hold and stop;
	// delayed answers to tasks killed meanwhile are dropped. Detached, the
	// workers still in RECV are left to end with the remaining tasks.
	if detached {
		s.leaveWorkers()
	} else {
		s.stopWorkers()
	}
	if s.cfg.Sink != nil {
		// Delayed calls of the command's descendants, after its exit line
		// as strace -f prints their lines.
		s.emitMu.Lock()
		s.abandon(0, true)
		s.emitMu.Unlock()
	}
	s.dropDelayed()
	res := Result{Pid: l.proc.Pid, Status: status, Flags: l.flags}
	return res, s.execErr
}

// Supervise answers the notifications of a listener fd that a container
// runtime handed over (the OCI runtime spec's listenerPath) until every
// task that uses the filter has exited, or until cfg.Cancel is closed.
// There is no launched command: no exit line is reported and Path, Argv,
// Env, Stdio, Filter and Subreaper are unused. The caller keeps the
// listener fd and closes it after Supervise returns.
func Supervise(listener int, cfg Config) error {
	if cfg.Sink != nil {
		cfg.Sink.Start(0)
	}
	// A runtime loads the filter with flags of its own; the kernel does not
	// tell which. Without WAIT_KILLABLE_RECV, answering a signal before the
	// reply is wrong only in that the signal is sent after the answer.
	s := newSupervisor(cfg, listener, false)
	close(s.execDone)
	defer s.mem.Close()
	s.startWorkers()
	defer s.stopWorkers()
	defer s.flushEvery(100 * time.Millisecond)()
	hup := make(chan error, 1)
	stopHup := make(chan struct{})
	defer close(stopHup)
	go func() { hup <- waitHangup(listener, stopHup) }()
	select {
	case err := <-hup:
		if err != nil {
			return fmt.Errorf("wait for the listener to hang up: %w", err)
		}
	case <-cfg.Cancel:
	}
	s.stopWorkers()
	if cfg.Sink != nil {
		s.emitMu.Lock()
		s.abandon(0, true)
		s.emitMu.Unlock()
	}
	s.dropDelayed()
	return nil
}

// newSupervisor prepares the state of one listener's supervision.
func newSupervisor(cfg Config, listener int, killable bool) *supervisor {
	s := &supervisor{
		cfg:      cfg,
		listener: listener,
		killable: killable,
		mem:      &memFiles{warn: cfg.Warn},
		execDone: make(chan struct{}),
		start:    time.Now(),
		pid:      os.Getpid(),
		uid:      os.Getuid(),
	}
	if cfg.Engine != nil {
		s.needsProcess = cfg.Engine.NeedsProcess()
		s.inject = make(map[string]bool)
		for _, name := range cfg.Engine.Syscalls() {
			s.inject[name] = true
		}
	}
	// Sync wake-up (Linux 6.6): the tracee and the supervisor hand the CPU
	// to each other directly; receiving turns it off while several tracee
	// threads make calls at once. Harmless to lack.
	s.syncFD = -1
	if setFlags(listener, unix.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == nil {
		s.syncFD = listener
	}
	return s
}

// startWorkers starts the receiving threads: as many as CPUs, 2 to 4, of
// which receiving lets as many wait in RECV as suit how the tracee's
// threads make their calls.
func (s *supervisor) startWorkers() {
	cpus := runtime.NumCPU()
	workers := cpus
	if workers > maxWorkers {
		workers = maxWorkers
	}
	if workers < 2 {
		workers = 2
	}
	s.recv = newReceiving(workers, cpus, s.syncFD)
	s.recv.spawn = func(id int) {
		// Only while every started worker is stuck on a call, so the
		// WaitGroup's counter is above zero even if the workers are
		// being stopped: Add may race with Wait then.
		s.workers.Add(1)
		go s.worker(id)
	}
	go s.recv.watch()
	s.workers.Add(workers)
	for i := 0; i < workers; i++ {
		go s.worker(i)
	}
}

// flushEvery writes the sink's buffered lines out regularly, whole lines
// only, so that tail -f follows a trace file. It returns the stop function.
func (s *supervisor) flushEvery(d time.Duration) func() {
	if s.cfg.Sink == nil {
		return func() {}
	}
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.emitMu.Lock()
				_ = s.cfg.Sink.Flush()
				s.emitMu.Unlock()
			case <-stop:
				return
			}
		}
	}()
	return func() { close(stop) }
}

// forwardSignal reports whether a signal syscage received should be passed
// to the tracee. A terminal sends SIGINT, SIGQUIT and SIGHUP to its whole
// foreground process group: when the tracee is in syscage's group and that
// group is in the foreground, it has its own copy already, and a second
// one would count twice (a second Ctrl-C often means "force quit").
func forwardSignal(sig syscall.Signal, pid int) bool {
	if sig == unix.SIGTERM || userSignal(sig) {
		return true
	}
	pgid, err := unix.Getpgid(pid)
	if err != nil || pgid != unix.Getpgrp() {
		return true
	}
	for fd := 0; fd < 3; fd++ {
		if fg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil {
			return fg != pgid
		}
	}
	return true
}

// reap waits for the launched command pid and sends its status. As the
// subreaper (all) it also reaps every orphaned descendant until none is left.
func reap(pid int, all bool, status chan<- syscall.WaitStatus) {
	wpid := pid
	if all {
		wpid = -1
	}
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(wpid, &ws, 0, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return // ECHILD: no child left
		}
		if got == pid && (ws.Exited() || ws.Signaled()) {
			status <- ws
		}
	}
}

// hungUp reports whether the listener has hung up, without waiting.
func hungUp(fd int) bool {
	fds := []unix.PollFd{{Fd: int32(fd)}}
	n, err := unix.Poll(fds, 0)
	return err == nil && n > 0 && fds[0].Revents&(unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0
}

// waitHangup blocks until the listener reports POLLHUP: every task that
// used the filter has exited and been reaped. Asking for no events means
// new notifications do not wake it. It gives up when stop is closed,
// looking every 100 ms, so that no goroutine outlives its run.
func waitHangup(fd int, stop <-chan struct{}) error {
	fds := []unix.PollFd{{Fd: int32(fd)}}
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		n, err := unix.Poll(fds, 100)
		if err == unix.EINTR || (err == nil && n == 0) {
			continue
		}
		if err != nil {
			return err
		}
		if fds[0].Revents&(unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0 {
			return nil
		}
	}
}

type supervisor struct {
	recv     *receiving // workers and sync wake-up, by the tracee's concurrency
	syncFD   int        // the listener when it took sync wake-up, else -1
	cfg      Config
	listener int
	killable bool
	inject   map[string]bool
	mem      *memFiles

	// Worker threads, so that stopWorkers can interrupt their RECV.
	workers sync.WaitGroup
	stop    atomic.Bool
	tidMu   sync.Mutex
	tids    map[int]bool

	// The launcher's execve: the first notification of leader, answered in
	// order with the trace (launchExec).
	leader       int
	launching    atomic.Bool
	execSeen     atomic.Bool
	launchFailed atomic.Bool
	execDone     chan struct{}
	execErr      error // set before execDone is closed

	start        time.Time      // the launch, for rules' after: and for: windows
	pending      sync.WaitGroup // delayed answers not sent yet
	timersMu     sync.Mutex
	delayed      map[*delayedAnswer]bool // until finished or dropped
	needsProcess bool                    // rules match on comm or exe
	pid, uid     int                     // ours, for the signal lines

	emitMu sync.Mutex // one Sink call at a time, in order

	tgidMu sync.Mutex
	tgids  map[int]int
}

// stopWorkers ends the workers and waits for them. A RECV with nothing to
// receive blocks until a notification comes or the last task using the
// filter is gone (it then fails with ENOENT), and closing the listener does
// not wake it. A signal does where the kernel's wait returns EINTR (the
// semaphore of older kernels); SIGURG is what the Go runtime itself sends
// to preempt a thread, so its handler is already there and harmless. Where
// the wait returns ERESTARTSYS (recv_wait_event, Linux 6.x), Go's SA_RESTART
// handlers restart it: there only the hang-up ends it, which is why Run
// stops the workers after the hang-up, or leaves them (leaveWorkers).
func (s *supervisor) stopWorkers() {
	if s.stop.Swap(true) {
		return
	}
	s.recv.stop()
	s.waitWorkers()
}

// leaveWorkers ends the workers without waiting for those blocked in RECV
// while tasks remain under the filter: they return once those tasks are
// gone, and end without handling what they received.
func (s *supervisor) leaveWorkers() {
	if s.stop.Swap(true) {
		return
	}
	s.recv.stop()
	s.interruptWorkers()
}

// interruptWorkers sends SIGURG to every worker thread, to end a RECV where
// the kernel does not restart it.
func (s *supervisor) interruptWorkers() {
	pid := unix.Getpid()
	s.tidMu.Lock()
	for tid := range s.tids {
		_ = unix.Tgkill(pid, tid, unix.SIGURG)
	}
	s.tidMu.Unlock()
}

// waitWorkers interrupts the workers' RECVs until every worker has ended.
func (s *supervisor) waitWorkers() {
	done := make(chan struct{})
	go func() { s.workers.Wait(); close(done) }()
	for {
		s.interruptWorkers()
		select {
		case <-done:
			return
		case <-time.After(time.Millisecond):
		}
	}
}

// worker receives and answers notifications on its own OS thread: a blocking
// RECV there is cheaper than the netpoller (DESIGN.md).
func (s *supervisor) worker(id int) {
	defer s.workers.Done()
	runtime.LockOSThread()
	// Never let this thread die locked: if it forked the launcher, the
	// tracee's PR_SET_PDEATHSIG would fire.
	defer runtime.UnlockOSThread()
	tid := unix.Gettid()
	s.tidMu.Lock()
	if s.tids == nil {
		s.tids = make(map[int]bool)
	}
	s.tids[tid] = true
	s.tidMu.Unlock()
	defer func() {
		s.tidMu.Lock()
		delete(s.tids, tid)
		s.tidMu.Unlock()
	}()
	var n seccompNotif
	sc := new(scratch)
	pfd := []unix.PollFd{{Fd: int32(s.listener), Events: unix.POLLIN}}
	for !s.stop.Load() {
		if !s.recv.park(id) {
			return
		}
		n = seccompNotif{}
		err := recvNotif(s.listener, &n)
		if err == nil && s.stop.Load() {
			return // left (leaveWorkers): the listener may be closed already
		}
		if err != nil {
			if err == unix.ENOENT && hungUp(s.listener) {
				// Once the last task is gone, RECV fails at once with
				// ENOENT instead of blocking: stop rather than spin.
				return
			}
			if err == unix.EINTR || err == unix.ENOENT {
				continue
			}
			return
		}
		if s.recv.look() {
			// While this call is held, is another one waiting? Only if
			// another thread made it meanwhile.
			k, err := unix.Poll(pfd, 0)
			s.recv.waited(err == nil && k > 0 && pfd[0].Revents&unix.POLLIN != 0)
		}
		s.recv.received(id, n.Pid)
		s.handle(&n, sc)
		s.recv.done(id)
	}
}

// scratch is what one worker reuses from call to call, so that a traced
// call allocates nothing: its Decoder, the Memory the Decoder reads
// through, and the Event it prints.
type scratch struct {
	dc  decode.Decoder
	mem procMem
	ev  Event
}

func (s *supervisor) handle(n *seccompNotif, sc *scratch) {
	call := decode.Call{Arch: n.Data.Arch, Nr: n.Data.Nr, Args: n.Data.Args}
	name := decode.Name(call.Arch, call.Nr)
	print := s.cfg.Sink != nil && s.cfg.Print != nil && s.cfg.Print(name)
	injectable := s.inject[name]
	if s.cfg.OnlyInjected && !injectable {
		print = false // never injected, never printed
	}
	resp := seccompNotifResp{ID: n.ID, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
	tid := int(n.Pid)
	exec := name == "execve" || name == "execveat"
	if name == "exit_group" || name == "exit" {
		// Once answered: a later call from this id is another task's.
		defer s.exiting(tid, name == "exit_group")
	}
	if tid == s.leader && s.launching.Load() {
		if exec && !s.execSeen.Swap(true) {
			s.launchExec(n, call, print, time.Now(), sc)
			return
		}
		// The new program's first calls can arrive before the hand-off
		// socket has told whether the execve worked.
		<-s.execDone
		if s.launchFailed.Load() {
			// What the launcher does after a failed execve (its exit) is
			// not the command's.
			_ = sendResp(s.listener, &resp)
			return
		}
	}
	if !print && !injectable {
		if exec {
			s.execFence(tid)
		}
		_ = sendResp(s.listener, &resp)
		return
	}
	received := time.Now()
	d := s.decode(sc, call, tid)
	var ev inject.Event
	if injectable {
		ev = s.event(tid, name, call, d)
	}
	var dec inject.Decision
	if injectable {
		dec = s.cfg.Engine.Decide(ev)
	}
	// What was read may belong to another task if this one died and its
	// pid was reused. An answer to a call that is gone fails, and its line
	// is not printed (finish); but a kill or a signal goes by pid, so it
	// needs the call to stand first. (A call that dies after it was read
	// may still advance the rules' counters, as it could after an ID_VALID
	// check too.)
	if (dec.Action == inject.Kill || dec.Signal != 0) && !idValid(s.listener, n.ID) {
		return
	}
	if print && len(s.cfg.TracePaths) > 0 && !s.touches(tid, call, d) {
		print = false
	}
	a := answer{id: n.ID, tid: tid, pid: ev.Pid, print: print || dec.Log, exec: exec, dec: dec, received: received}
	delay := dec.Delay + dec.DelayExit
	delayed := delay > 0 && !s.cfg.DryRun
	if a.print {
		if a.pid == 0 {
			a.pid = s.tgid(tid)
		}
		a.ev = &sc.ev
		if delayed {
			// The answer outlives this worker's next call.
			d = d.Clone()
			a.ev = new(Event)
		}
		*a.ev = Event{Time: received, Pid: a.pid, Tid: tid, Arch: call.Arch, Nr: call.Nr, Name: name, Text: d.Text, Args: d.Args, Decision: dec, DryRun: s.cfg.DryRun}
	}
	if delayed {
		// The worker goes back to RECV: a delay on one thread never
		// holds up another.
		s.delay(delay, a)
		return
	}
	s.finish(a, nil)
}

// delayedAnswer is an answer held back for a delay, and its timer.
type delayedAnswer struct {
	answer
	timer *time.Timer
	// reported: its line is out (under emitMu). abandon reports the
	// answers of a process before its exit line, whether their timers
	// have fired or not; the answer's finish then prints nothing.
	reported bool
}

// delay answers a after d, from a timer.
func (s *supervisor) delay(d time.Duration, a answer) {
	s.pending.Add(1)
	s.timersMu.Lock()
	defer s.timersMu.Unlock()
	if s.delayed == nil {
		s.delayed = make(map[*delayedAnswer]bool)
	}
	da := &delayedAnswer{answer: a}
	da.timer = time.AfterFunc(d, func() {
		defer s.pending.Done()
		s.finish(da.answer, da)
		s.timersMu.Lock()
		delete(s.delayed, da)
		s.timersMu.Unlock()
	})
	s.delayed[da] = true
}

// abandon reports the calls of process pid (of every process with all)
// whose delayed answer has not been reported, and drops the answers whose
// timers have not fired: the process is gone, and the threads they held
// with it. Each prints as strace prints a call its process did not live to
// finish, with the result "?", and " (DELAYED)". The caller holds emitMu,
// and calls abandon before the process's exit line.
func (s *supervisor) abandon(pid int, all bool) {
	s.timersMu.Lock()
	var gone []*delayedAnswer
	for da := range s.delayed {
		if (all || da.pid == pid) && !da.reported {
			if da.timer.Stop() {
				delete(s.delayed, da)
				s.pending.Done()
			}
			da.reported = true
			gone = append(gone, da)
		}
	}
	s.timersMu.Unlock()
	slices.SortFunc(gone, func(x, y *delayedAnswer) int { return x.received.Compare(y.received) })
	for _, da := range gone {
		s.unfinishedLocked(da.answer)
	}
}

// unfinishedLocked reports a delayed call whose thread died before its
// answer: "= ? (DELAYED)", and in the Event's Decision only the delay
// and the rule, since the error, return value or signal never reached the
// program (-c counts no error, JSON shows a delay). emitMu is held.
func (s *supervisor) unfinishedLocked(a answer) {
	d := a.dec
	a.dec = inject.Decision{Delay: d.Delay, DelayExit: d.DelayExit, Log: d.Log, Rule: d.Rule}
	if a.ev != nil {
		a.ev.Decision = a.dec
	}
	s.lineLocked(a, "? (DELAYED)", 0)
}

// dropDelayed ends the run's pending delays: once the listener has hung
// up, the threads they were holding are gone (a fatal signal or the
// process's exit took them). Their calls were reported by abandon.
func (s *supervisor) dropDelayed() {
	s.timersMu.Lock()
	for da := range s.delayed {
		if da.timer.Stop() {
			s.pending.Done()
		}
		delete(s.delayed, da)
	}
	s.timersMu.Unlock()
	s.pending.Wait()
}

// answer is a decided notification waiting to be answered.
type answer struct {
	id       uint64
	tid, pid int
	print    bool
	exec     bool
	dec      inject.Decision
	ev       *Event    // when printed
	received time.Time // when the notification was received
}

// finish carries out a decision: signal, kill, the answer, the trace line.
// The emit lock is taken before the answer and the line written under it
// after, so the line precedes anything the answer lets happen, the
// process's exit line among them. SEND's result is what tells a call that
// still stands from one whose thread died, and whose memory, read before,
// may then belong to another task that reused its pid (ID_VALID is asked
// only before a kill or a signal, in handle). The line is printed when
// SEND took the answer; when SEND failed, only for
// a call syscage sent a signal with (the signal may be what killed it), or
// a delayed one, with " = ? (DELAYED)" (da, nil for an answer that was not
// delayed, says whether abandon reported it already). With
// WAIT_KILLABLE_RECV a received call is never re-issued.
func (s *supervisor) finish(a answer, da *delayedAnswer) {
	dec := a.dec
	resp := seccompNotifResp{ID: a.id, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
	result := "?"
	switch dec.Action {
	case inject.Error:
		resp = seccompNotifResp{ID: a.id, Error: -int32(dec.Errno)}
		result = injectedErrno(dec.Errno)
	case inject.Retval:
		resp = seccompNotifResp{ID: a.id, Val: dec.Retval}
		result = strconv.FormatInt(dec.Retval, 10) + " (INJECTED)"
	case inject.Kill:
		result = "? (INJECTED)"
	}
	if dec.Delay+dec.DelayExit > 0 {
		result += " (DELAYED)"
	}
	s.emitMu.Lock()
	defer s.emitMu.Unlock()
	if da != nil && da.reported {
		_ = sendResp(s.listener, &resp) // fails: its process is gone
		return
	}
	if da != nil {
		da.reported = true
	}
	if s.cfg.DryRun {
		if dec.Action != inject.Continue || dec.Signal != 0 || dec.Delay+dec.DelayExit > 0 {
			result = strings.TrimSuffix(strings.TrimSuffix(result, " (DELAYED)"), " (INJECTED)") + " (WOULD INJECT)"
		}
		if a.exec {
			s.execFence(a.tid)
		}
		if sendResp(s.listener, &seccompNotifResp{ID: a.id, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}) == nil {
			s.lineLocked(a, result, 0)
		}
		return
	}
	if dec.Action == inject.Kill {
		// The call never runs: the process dies while it waits. The line
		// goes out first: no answer will tell whether the call stood.
		s.lineLocked(a, result, 0)
		if a.pid > 0 { // 0: not in syscage's pid namespace, and kill(0) is the process group
			_ = unix.Kill(a.pid, unix.SIGKILL)
		}
	}
	// With WAIT_KILLABLE_RECV a signal sent now waits until the answer and
	// is delivered as the call returns, as strace delivers it. Without it,
	// the signal would cancel the notification and the call would come
	// again: send it after the answer then.
	early := dec.Signal != 0 && s.killable
	if early {
		_ = unix.Tgkill(a.pid, a.tid, dec.Signal)
	}
	if a.exec {
		s.execFence(a.tid)
	}
	switch err := sendResp(s.listener, &resp); {
	case dec.Action == inject.Kill:
	case err == nil || dec.Signal != 0:
		s.lineLocked(a, result, dec.Signal)
	case da != nil:
		s.unfinishedLocked(a)
	}
	if dec.Signal != 0 && !early {
		_ = unix.Tgkill(a.pid, a.tid, dec.Signal)
	}
}

// injectedTexts caches injectedErrno's texts by errno (1..4095, the range
// the kernel's error returns take).
var injectedTexts [4096]atomic.Pointer[string]

// injectedErrno is the result strace prints for a call whose errno e (a
// positive errno.h value) was injected: "-1 ENOENT (No such file or
// directory) (INJECTED)". Built once per errno.
func injectedErrno(e int) string {
	if e <= 0 || e >= len(injectedTexts) {
		return decode.ErrnoResult(e) + " (INJECTED)"
	}
	if p := injectedTexts[e].Load(); p != nil {
		return *p
	}
	s := decode.ErrnoResult(e) + " (INJECTED)"
	injectedTexts[e].Store(&s)
	return s
}

// lineLocked reports a's call, and a signal syscage sends with it; the
// caller holds emitMu.
func (s *supervisor) lineLocked(a answer, result string, sig syscall.Signal) {
	if !a.print || s.cfg.Sink == nil {
		return
	}
	ev := a.ev
	if s.cfg.OnlyInjected && !ev.Changes() {
		return
	}
	ev.Result = result
	ev.Duration = time.Since(ev.Time)
	s.cfg.Sink.Call(ev)
	if sig != 0 {
		s.cfg.Sink.Signal(a.pid, a.tid, sig, s.pid, s.uid)
	}
}

// decode decodes one call of tid with the worker's Decoder, with fds
// described for -y/-yy and -P. The result holds until the worker's next
// decode.
func (s *supervisor) decode(sc *scratch, call decode.Call, tid int) decode.Decoded {
	opt := s.cfg.Decode
	if s.cfg.DecodeFDs > FDNumbers {
		opt.FD = fdFunc(tid, s.cfg.DecodeFDs, opt)
	}
	sc.mem = procMem{tid: tid, files: s.mem}
	return sc.dc.Decode(call, &sc.mem, opt)
}

// touches reports whether a call touches one of the -P paths: one of its
// path arguments as given or resolved, or the file behind one of its fds.
func (s *supervisor) touches(tid int, call decode.Call, d decode.Decoded) bool {
	var cands []string
	if d.HasPath {
		cands = append(cands, d.Path)
		if p, ok := resolvePath(tid, d.PathDirFD, d.Path); ok {
			cands = append(cands, p)
		}
	}
	if d.HasPath2 { // a rename's or a link's new name
		cands = append(cands, d.Path2)
		if p, ok := resolvePath(tid, d.Path2DirFD, d.Path2); ok {
			cands = append(cands, p)
		}
	}
	// The decoder names the fds; decoding again to collect them costs only
	// with -P.
	opt := s.cfg.Decode
	opt.FD = func(fd int32) (string, bool) {
		if fd >= 0 {
			if p, ok := fdPath(tid, int(fd)); ok {
				cands = append(cands, p)
			}
		}
		return "", false
	}
	decode.Decode(call, procMem{tid: tid, files: s.mem}, opt)
	for _, c := range cands {
		for _, p := range s.cfg.TracePaths {
			if c == p {
				return true
			}
		}
	}
	return false
}

// event gathers what scenario rules match on for one call.
func (s *supervisor) event(tid int, name string, call decode.Call, d decode.Decoded) inject.Event {
	ev := inject.Event{
		Pid: s.tgid(tid), Tid: tid, Name: name, Args: call.Args,
		Sockaddr: d.Sockaddr, Elapsed: time.Since(s.start), Text: d.Text,
	}
	if d.HasPath {
		ev.Path, ev.HasPath = resolvePath(tid, d.PathDirFD, d.Path)
	}
	if s.cfg.Engine.NeedsFDPathFor(name) {
		ev.FDPath, ev.HasFDPath = fdPath(tid, int(int32(call.Args[fdArg(name)])))
	}
	if s.needsProcess {
		ev.Comm, ev.Exe = procIdentity(tid, ev.Pid)
	}
	return ev
}

// fdPath is the path behind the tracee's fd, as /proc/TID/fd/FD names it
// ("/var/lib/db/x", "socket:[123]", "pipe:[4]").
func fdPath(tid, fd int) (string, bool) {
	if fd < 0 {
		return "", false
	}
	p, err := os.Readlink("/proc/" + strconv.Itoa(tid) + "/fd/" + strconv.Itoa(fd))
	if err != nil {
		return "", false
	}
	return p, true
}

// procIdentity reads a thread's comm (/proc/TID/comm) and its process's
// executable (/proc/PID/exe).
func procIdentity(tid, pid int) (comm, exe string) {
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/comm"); err == nil {
		comm = strings.TrimSuffix(string(b), "\n")
	}
	exe, _ = os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	return comm, exe
}

// launchExec answers the launcher's execve, the first notification the
// leader makes. The result is known here, as strace knows it: the hand-off
// socket closes when the execve succeeds and carries the errno when it
// fails. The output is held from the answer until the line is written, so
// nothing the new program does is printed before its execve.
func (s *supervisor) launchExec(n *seccompNotif, call decode.Call, print bool, received time.Time, sc *scratch) {
	tid := int(n.Pid)
	var ev *Event
	if print {
		d := s.decode(sc, call, tid)
		ev = &Event{Time: received, Pid: tid, Tid: tid, Arch: call.Arch, Nr: call.Nr, Name: d.Name, Text: d.Text, Args: d.Args}
		if len(s.cfg.TracePaths) > 0 && !s.touches(tid, call, d) {
			ev = nil
		}
		s.emitMu.Lock()
		defer s.emitMu.Unlock()
	}
	s.execFence(tid)
	resp := seccompNotifResp{ID: n.ID, Flags: unix.SECCOMP_USER_NOTIF_FLAG_CONTINUE}
	_ = sendResp(s.listener, &resp)
	<-s.execDone
	result := "0"
	var le *LaunchError
	if errors.As(s.execErr, &le) {
		s.launchFailed.Store(true)
		if errno, ok := le.Err.(syscall.Errno); ok {
			result = decode.ErrnoResult(int(errno))
		}
	} else {
		s.launching.Store(false)
	}
	if ev != nil && !s.cfg.OnlyInjected {
		ev.Result = result
		ev.Duration = time.Since(received)
		s.cfg.Sink.Call(ev)
	}
}

// execFence runs before the answer to an execve or execveat lets it
// proceed: the address space is about to change, so kept /proc/PID/mem files
// go stale, and an execve from a thread that is not the leader leaves the
// process under the leader's id (tid may then be reused).
func (s *supervisor) execFence(tid int) {
	s.mem.forget(tid, s.tgid(tid))
	s.forgetTgid(tid)
}

// tgid maps a thread id to its process id (the Tgid line of
// /proc/TID/status), for per-process counters. 0 (not visible in our pid
// namespace) maps to 0.
func (s *supervisor) tgid(tid int) int {
	if tid == 0 {
		return 0
	}
	s.tgidMu.Lock()
	defer s.tgidMu.Unlock()
	if s.tgids == nil {
		s.tgids = make(map[int]int)
	}
	if g, ok := s.tgids[tid]; ok {
		return g
	}
	g := tid
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(tid) + "/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "Tgid:"); ok {
				if x, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
					g = x
				}
				break
			}
		}
	}
	s.tgids[tid] = g
	return g
}

// forgetTgid drops tid's cached thread group id: after an execve from a
// thread that is not the leader, tid is gone and may be reused.
func (s *supervisor) forgetTgid(tid int) {
	s.tgidMu.Lock()
	delete(s.tgids, tid)
	s.tgidMu.Unlock()
}

// fdArg is the argument that holds the fd a rule's fd_path looks at: the
// first, but for mmap and mmap2, whose fd is the fifth (mmap(2); strace's
// pathtrace looks there too).
func fdArg(name string) int {
	if name == "mmap" || name == "mmap2" {
		return 4
	}
	return 0
}

// exiting forgets what syscage keeps by the id of a thread that called
// exit, or of a process whose thread called exit_group (all), once the call
// is answered: its rule counters (a new process or thread that reuses the
// id starts at 1, as docs/scenarios.md says) and its cached thread group.
func (s *supervisor) exiting(tid int, all bool) {
	if s.cfg.Engine.Empty() {
		s.forgetTgid(tid)
		return
	}
	pid := s.tgid(tid)
	if all {
		s.cfg.Engine.Forget(pid)
	} else {
		s.cfg.Engine.ForgetThread(pid, tid)
	}
	s.forgetTgid(tid)
}

// resolvePath makes a tracee's path argument absolute, as the tracee sees
// it: a relative path is joined to the directory behind dirfd, or to the
// thread's cwd for AT_FDCWD. Those links read from outside a chroot (or a
// container's root) carry the root's own path: it is cut off again, so that
// a rule on /etc/x matches whether the tracee wrote /etc/x or cd /etc; x.
// The result is cleaned lexically: symlinks are not followed. ok is false
// when the base directory cannot be read.
func resolvePath(tid, dirfd int, path string) (string, bool) {
	if filepath.IsAbs(path) {
		return filepath.Clean(path), true
	}
	proc := "/proc/" + strconv.Itoa(tid)
	link := proc + "/cwd"
	if dirfd != unix.AT_FDCWD {
		link = proc + "/fd/" + strconv.Itoa(dirfd)
	}
	base, err := os.Readlink(link)
	if err != nil || !filepath.IsAbs(base) {
		return "", false
	}
	if root, err := os.Readlink(proc + "/root"); err == nil && root != "/" {
		if rest, ok := strings.CutPrefix(base, root); ok && (rest == "" || rest[0] == '/') {
			base = "/" + rest
		}
	}
	return filepath.Join(base, path), true
}

// ErrNotSupported is returned by Probe when the kernel lacks seccomp user
// notification (Linux < 5.0, or seccomp compiled out).
var ErrNotSupported = errors.New("seccomp user notification is not supported by this kernel")
