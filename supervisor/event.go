package supervisor

import (
	"syscall"
	"time"

	"github.com/syscage/syscage/decode"

	"github.com/syscage/syscage/inject"
)

// Event is one printed call: what the tracee asked and how syscage answered.
type Event struct {
	// Time is when the notification was received; Duration runs from then
	// to the answer, an injected delay included (strace -T).
	Time     time.Time
	Duration time.Duration
	// Pid is the calling thread's process (thread group) id, Tid the thread;
	// 0 when not visible in syscage's pid namespace.
	Pid, Tid int
	// Arch is the AUDIT_ARCH_* value of the call's ABI; Nr its number there.
	Arch uint32
	Nr   int32
	// Name is the syscall's name; Text the call as strace prints it up to
	// " = "; Args the printed arguments one by one.
	Name string
	Text string
	Args []decode.Arg
	// Result is what strace prints after " = ": "?" for a call that was let
	// through, "-1 ENOENT (No such file or directory) (INJECTED)", ...
	Result string
	// Decision is what the rules decided; DryRun says it was not carried out.
	Decision inject.Decision
	DryRun   bool
}

// Injected reports whether syscage changed the call: an error, a return
// value, a kill, a delay or a signal (strace's -e status=injected).
func (e *Event) Injected() bool { return !e.DryRun && e.Changes() }

// Changes reports whether the decision changes the call, carried out or,
// in a dry run, only printed "(WOULD INJECT)": what -e status=injected
// keeps.
func (e *Event) Changes() bool {
	d := e.Decision
	return d.Action != inject.Continue || d.Delay+d.DelayExit > 0 || d.Signal != 0
}

// Sink receives what a run reports. The supervisor makes one call at a
// time (it holds a lock around each), from any goroutine.
type Sink interface {
	// Start names the launched command's process id.
	Start(leader int)
	// Call reports a call. ev, and the strings and slices it holds, are
	// valid only during Call: the supervisor reuses them for the worker's
	// next call, so a Sink copies what it keeps.
	Call(ev *Event)
	// Signal reports a signal syscage sent to thread tid of process pid with
	// tgkill(2), as sender (syscage's pid and uid).
	Signal(pid, tid int, sig syscall.Signal, sender, uid int)
	// Exit reports that process pid ended with status ws; last says no
	// other traced process remains.
	Exit(pid int, ws syscall.WaitStatus, last bool)
	// Flush writes out what is buffered and reports the first error.
	Flush() error
}

// Sinks sends everything to each of its sinks in turn.
type Sinks []Sink

func (m Sinks) Start(leader int) {
	for _, s := range m {
		s.Start(leader)
	}
}

func (m Sinks) Call(ev *Event) {
	for _, s := range m {
		s.Call(ev)
	}
}

func (m Sinks) Signal(pid, tid int, sig syscall.Signal, sender, uid int) {
	for _, s := range m {
		s.Signal(pid, tid, sig, sender, uid)
	}
}

func (m Sinks) Exit(pid int, ws syscall.WaitStatus, last bool) {
	for _, s := range m {
		s.Exit(pid, ws, last)
	}
}

func (m Sinks) Flush() error {
	var first error
	for _, s := range m {
		if err := s.Flush(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
