package inject

import (
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/bmatcuk/doublestar/v4"
	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
)

// Action is what the supervisor does with a notified call.
type Action int

const (
	// Continue lets the call run (SECCOMP_USER_NOTIF_FLAG_CONTINUE).
	Continue Action = iota
	// Error fails the call with Decision.Errno without running it.
	Error
	// Retval returns Decision.Retval without running the call.
	Retval
)

// String returns "continue", "error" or "retval".
func (a Action) String() string {
	switch a {
	case Continue:
		return "continue"
	case Error:
		return "error"
	case Retval:
		return "retval"
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Decision is the answer to one call.
type Decision struct {
	Action Action
	// Errno is positive (ENOENT is 2) when Action is Error, else 0. The
	// seccomp response carries it negated.
	Errno int
	// Retval is the value to return when Action is Retval, else 0.
	Retval int64
	// Rule is the rule that fired, nil for Continue.
	Rule *Rule
}

// Event is what the supervisor knows about one notified call.
type Event struct {
	// Pid is the thread group id (tgid) of the caller. Rules count calls
	// per Pid: a forked child starts again at 1. 0 (caller not visible in
	// the supervisor's pid namespace) is one more process to the counters.
	Pid int
	// Name is the syscall name as decode gives it ("openat").
	Name string
	// Path is the call's first path argument made absolute and cleaned by
	// the supervisor; HasPath is false when the call has none or it could
	// not be read. A rule with a path glob never matches without it.
	Path    string
	HasPath bool
	// Sockaddr is the call's address argument, nil when it has none or it
	// could not be read.
	Sockaddr *decode.Sockaddr
}

// Engine decides calls by the rules of a list of scenarios. Build it with
// NewEngine; it is then read-only except for the per-process counters, and
// safe for concurrent use by many goroutines. A nil *Engine has no rules.
type Engine struct {
	rules     []*Rule
	bySyscall map[string][]ref // syscall name -> rules naming it, in order
	syscalls  []string

	mu    sync.RWMutex
	procs map[int]*counters
}

// ref is a rule and its index in Engine.rules (its counter's index).
type ref struct {
	rule *Rule
	idx  int
}

// counters holds one process's count of matching calls per rule.
type counters struct {
	n []atomic.Uint64
}

// NewEngine returns an engine over the rules of scenarios, tried in order:
// scenarios in the order given, each one's rules in file order. Nil
// scenarios and rules are skipped. The scenarios must not be changed after.
func NewEngine(scenarios []*Scenario) *Engine {
	e := &Engine{bySyscall: map[string][]ref{}, procs: map[int]*counters{}}
	for _, s := range scenarios {
		if s == nil {
			continue
		}
		for _, r := range s.Rules {
			if r == nil {
				continue
			}
			idx := len(e.rules)
			e.rules = append(e.rules, r)
			seen := map[string]bool{}
			for _, name := range r.Syscalls {
				if seen[name] {
					continue
				}
				seen[name] = true
				e.bySyscall[name] = append(e.bySyscall[name], ref{rule: r, idx: idx})
			}
		}
	}
	for name := range e.bySyscall {
		e.syscalls = append(e.syscalls, name)
	}
	sort.Strings(e.syscalls)
	return e
}

// Syscalls returns the sorted union of all rules' syscall names: the calls
// the supervisor must be notified of for the rules to see them. The slice
// is the caller's.
func (e *Engine) Syscalls() []string {
	if e == nil {
		return nil
	}
	return append([]string(nil), e.syscalls...)
}

// Empty reports whether the engine has no rules (Decide always continues).
func (e *Engine) Empty() bool {
	return e == nil || len(e.rules) == 0
}

// Decide returns what to do with one call. Rules naming ev.Name are tried
// in order; each one that matches counts the call for ev.Pid and, if its
// When fires on that count, decides. When no rule fires the answer is
// Continue. It costs one map lookup and no allocation when no rule names
// ev.Name. Safe for concurrent use.
func (e *Engine) Decide(ev Event) Decision {
	if e == nil {
		return Decision{}
	}
	refs := e.bySyscall[ev.Name]
	if len(refs) == 0 {
		return Decision{}
	}
	var c *counters
	for _, rf := range refs {
		r := rf.rule
		if !r.matches(ev) {
			continue
		}
		if c == nil {
			c = e.counters(ev.Pid)
		}
		if !r.When.Fires(c.n[rf.idx].Add(1)) {
			continue
		}
		if r.HasRetval {
			return Decision{Action: Retval, Retval: r.Retval, Rule: r}
		}
		return Decision{Action: Error, Errno: r.Errno, Rule: r}
	}
	return Decision{}
}

// Forget drops the counters of process pid, so that a later process with
// the same pid starts at 1. The supervisor calls it when a process exits.
func (e *Engine) Forget(pid int) {
	if e == nil {
		return
	}
	e.mu.Lock()
	delete(e.procs, pid)
	e.mu.Unlock()
}

// counters returns pid's counters, made on first use.
func (e *Engine) counters(pid int) *counters {
	e.mu.RLock()
	c := e.procs[pid]
	e.mu.RUnlock()
	if c != nil {
		return c
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if c = e.procs[pid]; c == nil {
		c = &counters{n: make([]atomic.Uint64, len(e.rules))}
		e.procs[pid] = c
	}
	return c
}

// matches reports whether all of r's matchers hold for ev. The syscall name
// is checked by the caller (Engine.bySyscall).
func (r *Rule) matches(ev Event) bool {
	if r.Path != "" {
		if !ev.HasPath {
			return false
		}
		// The glob was validated by Parse; an error cannot happen and
		// would mean no match.
		if ok, _ := doublestar.Match(r.Path, ev.Path); !ok {
			return false
		}
	}
	if r.HasAddress || r.Port != 0 {
		sa := ev.Sockaddr
		if sa == nil || (sa.Family != unix.AF_INET && sa.Family != unix.AF_INET6) {
			return false
		}
		if r.HasAddress && sa.Addr.Addr().Unmap().WithZone("") != r.Address.Unmap() {
			return false
		}
		if r.Port != 0 && int(sa.Addr.Port()) != r.Port {
			return false
		}
	}
	return true
}
