package inject

import (
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
)

// Action is what the supervisor does with a notified call.
type Action int

const (
	// Continue lets the call run (SECCOMP_USER_NOTIF_FLAG_CONTINUE),
	// after Decision.Delay and Decision.Signal if set.
	Continue Action = iota
	// Error fails the call with Decision.Errno without running it.
	Error
	// Retval returns Decision.Retval without running the call.
	Retval
	// Kill kills the calling process with SIGKILL; the call never
	// returns.
	Kill
)

// String returns "continue", "error", "retval" or "kill".
func (a Action) String() string {
	switch a {
	case Continue:
		return "continue"
	case Error:
		return "error"
	case Retval:
		return "retval"
	case Kill:
		return "kill"
	}
	return "Action(" + strconv.Itoa(int(a)) + ")"
}

// Decision is the answer to one call. The supervisor carries it out in
// this order: wait Delay plus DelayExit, send Signal to the calling thread,
// answer as Action says.
type Decision struct {
	Action Action
	// Errno is positive (ENOENT is 2) when Action is Error, else 0. The
	// seccomp response carries it negated.
	Errno int
	// Retval is the value to return when Action is Retval, else 0.
	Retval int64
	// Delay is how long to hold the call before answering it (strace's
	// delay_enter); 0 for none. It holds only the calling thread.
	Delay time.Duration
	// DelayExit is strace's delay_exit, which holds a thread after its
	// call returns. The supervisor has no exit hook: it adds DelayExit to
	// Delay before answering, so a call that runs takes effect after the
	// whole delay. 0 for none.
	DelayExit time.Duration
	// Signal is sent to the calling thread (tgkill) after Delay and before
	// the answer; 0 for none.
	Signal syscall.Signal
	// Log is true when a log rule fired: print the call as matched, and
	// let it run (Action is Continue).
	Log bool
	// Rule is the rule that fired, nil when none did.
	Rule *Rule
}

// Event is what the supervisor knows about one notified call. Fields a
// rule does not need may be left zero: a rule whose matcher needs a field
// that is not filled never matches.
type Event struct {
	// Pid is the caller's thread group id (tgid) and Tid its thread id;
	// 0 when not visible in the supervisor's pid namespace (0 is then one
	// more process, or thread, to the counters).
	Pid, Tid int
	// Name is the syscall name as decode gives it ("openat").
	Name string
	// Args are the raw argument registers (seccomp_data.args), for flags
	// and args matchers.
	Args [6]uint64
	// Path is the call's first path argument made absolute and cleaned by
	// the supervisor (resolved against the dirfd, cwd and root); HasPath
	// is false when the call has none or it could not be read.
	Path    string
	HasPath bool
	// FDPath is what is behind the call's fd argument (argument 0 of
	// read, write, pwrite64, writev, fsync, fdatasync, ftruncate,
	// fallocate, ...): an absolute path for a file, "socket:[123]",
	// "pipe:[456]", "anon_inode:[eventfd]" otherwise, as
	// /proc/PID/fd/N reads. The supervisor fills it only when
	// Engine.NeedsFDPath is true.
	FDPath    string
	HasFDPath bool
	// Sockaddr is the call's address argument (connect, bind, sendto,
	// sendmsg), nil when it has none or it could not be read.
	Sockaddr *decode.Sockaddr
	// Comm and Exe are the caller's /proc/PID/comm and executable path;
	// filled only when Engine.NeedsProcess is true.
	Comm, Exe string
	// Elapsed is the time since the run started, for after and for.
	Elapsed time.Duration
	// Text is the decoded call (decode.Decoded.Text), kept in the report
	// for the first and last call a rule fired on.
	Text string
}

// Options tune an engine.
type Options struct {
	// Seed, when not nil, overrides every scenario's seed (--seed).
	Seed *int64
}

// Engine decides calls by the rules of a list of scenarios. Build it with
// NewEngine or NewEngineWithOptions; it is then read-only except for its
// counters and statistics, and safe for concurrent use by many
// goroutines. A nil *Engine has no rules.
type Engine struct {
	scenarios []*Scenario
	rules     []*Rule
	stats     []ruleStats      // by rule index
	bySyscall map[string][]ref // syscall name -> rules naming it, in order
	fdPathFor map[string]bool  // syscalls some fd_path rule names
	syscalls  []string
	slots     int // counters per scope key
	seed      int64
	needFD    bool
	needProc  bool
	scopes    [3]bool // which scopes rules use, by Scope

	mu      sync.RWMutex
	procs   map[int]*counters         // ScopeProcess, by tgid
	threads map[int]map[int]*counters // ScopeThread, by tgid then tid
	global  *counters                 // ScopeGlobal
	ords    uint64                    // counters made so far, under mu
}

// ref is a rule as one syscall sees it.
type ref struct {
	rule *Rule
	idx  int // index in Engine.rules and Engine.stats
	slot int // counter index in counters.n
	// salt identifies the rule (and the syscall, for PerSyscall rules)
	// in random draws, independent of the other rules loaded.
	salt uint64
	// flagArg is the index of the syscall's flags argument, -1 when the
	// flags are implied (creat); implied are those flags.
	flagArg int
	implied uint64
}

// counters holds one scope key's count of matching calls per slot.
type counters struct {
	// ord is the order in which the engine made these counters (0 for
	// the global ones), mixed into random draws so that processes do
	// not all draw the same numbers.
	ord uint64
	n   []atomic.Uint64
}

// ruleStats are one rule's numbers for the report.
type ruleStats struct {
	matched, fired atomic.Uint64
	mu             sync.Mutex // guards first, last and lastCall
	first, last    Hit        // last.Call is empty: it is in lastCall
	lastCall       []byte     // the last hit's Call, reused from hit to hit
	hit            bool
}

// NewEngine is NewEngineWithOptions with no options.
func NewEngine(scenarios []*Scenario) *Engine {
	return NewEngineWithOptions(scenarios, Options{})
}

// NewEngineWithOptions returns an engine over the rules of scenarios,
// tried in order: scenarios in the order given, each one's rules in file
// order. Nil scenarios and rules are skipped. The scenarios must not be
// changed after.
//
// The engine draws random numbers (probability) from one seed: opt.Seed
// when set, else the first seed key among the scenarios in order, else one
// picked from the clock (1..2^31-1). Seed returns it; the report records
// it, so --seed with that number replays the run's decisions.
func NewEngineWithOptions(scenarios []*Scenario, opt Options) *Engine {
	e := &Engine{
		bySyscall: map[string][]ref{},
		fdPathFor: map[string]bool{},
		procs:     map[int]*counters{},
		threads:   map[int]map[int]*counters{},
	}
	seed, seeded := int64(0), false
	if opt.Seed != nil {
		seed, seeded = *opt.Seed, true
	}
	for _, s := range scenarios {
		if s == nil {
			continue
		}
		e.scenarios = append(e.scenarios, s)
		if !seeded && s.Seed != nil {
			seed, seeded = *s.Seed, true
		}
		for _, r := range s.Rules {
			if r == nil {
				continue
			}
			idx := len(e.rules)
			e.rules = append(e.rules, r)
			e.scopes[r.scope()] = true
			e.needProc = e.needProc || r.Comm != "" || r.Exe != ""
			base := fnv.New64a()
			base.Write([]byte(s.Name))
			base.Write([]byte{0})
			base.Write([]byte(r.Name))
			salt := base.Sum64()
			slot := e.slots
			if !r.PerSyscall {
				e.slots++
			}
			seen := map[string]bool{}
			for _, name := range r.Syscalls {
				if seen[name] {
					continue
				}
				seen[name] = true
				rf := ref{rule: r, idx: idx, slot: slot, salt: salt, flagArg: -1}
				if r.PerSyscall {
					rf.slot = e.slots
					e.slots++
					h := fnv.New64a()
					h.Write([]byte(strconv.FormatUint(salt, 16)))
					h.Write([]byte(name))
					rf.salt = h.Sum64()
				}
				if fa, ok := flagArgs[name]; ok {
					rf.flagArg, rf.implied = fa.arg, fa.implied
				}
				if r.FDPath != "" {
					e.needFD = true
					e.fdPathFor[name] = true
				}
				e.bySyscall[name] = append(e.bySyscall[name], rf)
			}
		}
	}
	if !seeded {
		seed = time.Now().UnixNano()%math.MaxInt32 + 1
	}
	e.seed = seed
	e.stats = make([]ruleStats, len(e.rules))
	for name := range e.bySyscall {
		e.syscalls = append(e.syscalls, name)
	}
	sort.Strings(e.syscalls)
	if e.scopes[ScopeGlobal] {
		e.global = &counters{n: make([]atomic.Uint64, e.slots)}
	}
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

// Seed returns the seed the engine draws random numbers from.
func (e *Engine) Seed() int64 {
	if e == nil {
		return 0
	}
	return e.seed
}

// NeedsFDPath reports whether some rule matches on Event.FDPath, so the
// supervisor must fill it (for the syscalls NeedsFDPathFor names).
func (e *Engine) NeedsFDPath() bool {
	return e != nil && e.needFD
}

// NeedsFDPathFor reports whether some rule on syscall name matches on
// Event.FDPath: the supervisor can skip reading /proc/PID/fd/N for other
// calls.
func (e *Engine) NeedsFDPathFor(name string) bool {
	return e != nil && e.fdPathFor[name]
}

// NeedsProcess reports whether some rule matches on Event.Comm or
// Event.Exe, so the supervisor must fill them.
func (e *Engine) NeedsProcess() bool {
	return e != nil && e.needProc
}

// Decide returns what to do with one call. Rules naming ev.Name are tried
// in order. A rule matches when all its matchers hold and ev.Elapsed is in
// its window; its counter (for the rule's scope: ev.Pid, ev.Tid or the
// whole run) then advances, and it fires when its When selects the count
// and, for a rule with a probability, the draw for that count says so.
// The first rule that fires decides; later rules are not tried. When no
// rule fires the answer is Continue with nothing else set.
//
// It costs one map lookup and no allocation when no rule names ev.Name,
// and no allocation when rules match (a rule's first firing copies
// ev.Text for the report). Decide keeps none of ev's strings: the caller
// may reuse them once it returns. Safe for concurrent use.
func (e *Engine) Decide(ev Event) Decision {
	if e == nil {
		return Decision{}
	}
	refs := e.bySyscall[ev.Name]
	if len(refs) == 0 {
		return Decision{}
	}
	var cs [3]*counters // by Scope, made on first use
	for i := range refs {
		rf := &refs[i]
		r := rf.rule
		if !r.matches(&ev, rf) {
			continue
		}
		sc := r.scope()
		c := cs[sc]
		if c == nil {
			c = e.counters(sc, ev.Pid, ev.Tid)
			cs[sc] = c
		}
		n := c.n[rf.slot].Add(1)
		st := &e.stats[rf.idx]
		st.matched.Add(1)
		if !r.When.Fires(n) {
			continue
		}
		if r.Probability > 0 && r.Probability < 1 && draw(e.seed, rf.salt, c.ord, n) >= r.Probability {
			continue
		}
		st.fired.Add(1)
		st.record(&ev)
		d := Decision{Delay: r.Delay, DelayExit: r.DelayExit, Signal: r.Signal, Rule: r}
		switch {
		case r.Kill:
			d.Action = Kill
		case r.HasRetval:
			d.Action, d.Retval = Retval, r.Retval
		case r.Errno != 0:
			d.Action, d.Errno = Error, r.Errno
		case r.Log:
			d.Log = true
		}
		return d
	}
	return Decision{}
}

// record notes a fired call as the rule's last hit, and first if none. It
// copies ev.Text, which is the caller's (Decide), into a buffer it reuses,
// so that only the first hit allocates.
func (st *ruleStats) record(ev *Event) {
	h := Hit{Elapsed: ev.Elapsed, Time: time.Now(), Pid: ev.Pid, Tid: ev.Tid}
	st.mu.Lock()
	if !st.hit {
		st.first, st.hit = h, true
		st.first.Call = strings.Clone(ev.Text)
	}
	st.last = h
	st.lastCall = append(st.lastCall[:0], ev.Text...)
	st.mu.Unlock()
}

// hits returns the first and last hits; ok is false before the first.
func (st *ruleStats) hits() (first, last Hit, ok bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	last = st.last
	last.Call = string(st.lastCall)
	return st.first, last, st.hit
}

// draw returns a number in [0, 1) that depends only on its arguments:
// the seed, the rule (and syscall), the counters' order of creation and
// the count. The same seed and the same sequence of calls therefore give
// the same draws, whatever other threads and processes do in between.
func draw(seed int64, salt, ord, n uint64) float64 {
	h := mix64(uint64(seed) ^ 0x9e3779b97f4a7c15)
	h = mix64(h ^ salt)
	h = mix64(h ^ ord)
	h = mix64(h ^ n)
	return float64(h>>11) / (1 << 53)
}

// mix64 is splitmix64's finaliser.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Forget drops the counters of process pid and of its threads, so that a
// later process with the same pid starts at 1. The supervisor calls it
// when a process calls exit_group. Statistics are kept.
func (e *Engine) Forget(pid int) {
	if e == nil {
		return
	}
	e.mu.Lock()
	delete(e.procs, pid)
	delete(e.threads, pid)
	e.mu.Unlock()
}

// ForgetThread drops the thread-scope counters of thread tid of process
// pid (the supervisor calls it when the thread calls exit), so that a
// later thread with the same tid starts at 1.
func (e *Engine) ForgetThread(pid, tid int) {
	if e == nil {
		return
	}
	e.mu.Lock()
	if m := e.threads[pid]; m != nil {
		delete(m, tid)
		if len(m) == 0 {
			delete(e.threads, pid)
		}
	}
	e.mu.Unlock()
}

// counters returns the counters of a scope key, made on first use.
func (e *Engine) counters(scope Scope, pid, tid int) *counters {
	if scope == ScopeGlobal {
		return e.global
	}
	e.mu.RLock()
	var c *counters
	if scope == ScopeThread {
		c = e.threads[pid][tid]
	} else {
		c = e.procs[pid]
	}
	e.mu.RUnlock()
	if c != nil {
		return c
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if scope == ScopeThread {
		m := e.threads[pid]
		if m == nil {
			m = map[int]*counters{}
			e.threads[pid] = m
		}
		if c = m[tid]; c == nil {
			e.ords++
			c = &counters{ord: e.ords, n: make([]atomic.Uint64, e.slots)}
			m[tid] = c
		}
		return c
	}
	if c = e.procs[pid]; c == nil {
		e.ords++
		c = &counters{ord: e.ords, n: make([]atomic.Uint64, e.slots)}
		e.procs[pid] = c
	}
	return c
}

// scope is r.Scope, ScopeProcess for a value out of range.
func (r *Rule) scope() Scope {
	if r.Scope > ScopeGlobal {
		return ScopeProcess
	}
	return r.Scope
}

// matches reports whether all of r's matchers hold for ev and ev is in
// r's window. The syscall name is checked by the caller (Engine.bySyscall).
func (r *Rule) matches(ev *Event, rf *ref) bool {
	if ev.Elapsed < r.After || (r.For > 0 && ev.Elapsed-r.After >= r.For) {
		return false
	}
	if r.Pid != 0 && ev.Pid != r.Pid {
		return false
	}
	for _, a := range r.Args {
		if !a.Holds(ev.Args[a.Index]) {
			return false
		}
	}
	if r.flags.set {
		v := rf.implied
		if rf.flagArg >= 0 {
			v = ev.Args[rf.flagArg]
		}
		if !r.flags.holds(v) {
			return false
		}
	}
	if r.HasFamily || r.HasAddress || r.Network.IsValid() || r.Port != 0 || r.UnixPath != "" || r.HasAbstract {
		if !r.matchSockaddr(ev.Sockaddr) {
			return false
		}
	}
	// Globs last: they cost the most. Patterns were validated by Parse;
	// an error cannot happen and would mean no match.
	if r.Path != "" {
		if !ev.HasPath {
			return false
		}
		if ok, _ := doublestar.Match(r.Path, ev.Path); !ok {
			return false
		}
	}
	if r.FDPath != "" {
		if !ev.HasFDPath {
			return false
		}
		if ok, _ := doublestar.Match(r.FDPath, ev.FDPath); !ok {
			return false
		}
	}
	if r.Comm != "" {
		if ok, _ := doublestar.Match(r.Comm, ev.Comm); !ok || ev.Comm == "" {
			return false
		}
	}
	if r.Exe != "" {
		if ok, _ := doublestar.Match(r.Exe, ev.Exe); !ok || ev.Exe == "" {
			return false
		}
	}
	return true
}

// matchSockaddr checks the family, address and port matchers.
func (r *Rule) matchSockaddr(sa *decode.Sockaddr) bool {
	if sa == nil {
		return false
	}
	if r.HasFamily && sa.Family != r.Family {
		return false
	}
	if r.HasAddress || r.Network.IsValid() || r.Port != 0 {
		if sa.Family != unix.AF_INET && sa.Family != unix.AF_INET6 {
			return false
		}
		a := sa.Addr.Addr().Unmap().WithZone("")
		if r.HasAddress && a != r.Address.Unmap() {
			return false
		}
		if r.Network.IsValid() && !r.Network.Contains(a) {
			return false
		}
		if r.Port != 0 {
			p, last := int(sa.Addr.Port()), max(r.PortLast, r.Port)
			if p < r.Port || p > last {
				return false
			}
		}
	}
	if r.UnixPath != "" || r.HasAbstract {
		if sa.Family != unix.AF_UNIX || sa.Abstract != r.HasAbstract {
			return false
		}
		if r.HasAbstract {
			ok, _ := doublestar.Match(r.Abstract, sa.Path)
			return ok
		}
		if sa.Path == "" {
			return false
		}
		ok, _ := doublestar.Match(r.UnixPath, sa.Path)
		return ok
	}
	return true
}
