package inject

import (
	"strconv"
	"time"
)

// Report is a run's account of its rules, for --report FILE (JSON). The
// engine fills everything but ExitStatus and Signal, which the supervisor
// adds when the tracee has ended.
type Report struct {
	// Scenarios are the names of the engine's scenarios, in order.
	Scenarios []string `json:"scenarios"`
	// Seed is the seed random draws came from (Engine.Seed).
	Seed int64 `json:"seed"`
	// ExitStatus is the tracee's exit status, nil when it did not exit
	// (killed by a signal, or still running).
	ExitStatus *int `json:"exit_status"`
	// DryRun: the run decided but injected nothing (--dry-run); fired
	// counts what a real run would have done.
	DryRun bool `json:"dry_run,omitempty"`
	// Signal is the name of the signal that killed the tracee ("SIGKILL"),
	// "" when none did.
	Signal string `json:"signal,omitempty"`
	// Rules are every rule of every scenario, in engine order.
	Rules []RuleReport `json:"rules"`
}

// RuleReport is one rule's numbers.
type RuleReport struct {
	Scenario string `json:"scenario"`
	Name     string `json:"name"`
	// Matched counts the calls the rule matched (its counters advanced);
	// Fired those it decided.
	Matched uint64 `json:"matched"`
	Fired   uint64 `json:"fired"`
	// First and Last are the first and last call the rule fired on, nil
	// when it never fired.
	First *Hit `json:"first"`
	Last  *Hit `json:"last"`
	// Expect is Expect.String() ("" when the rule has none) and ExpectMet
	// whether the fired count meets it (true when there is none).
	Expect    string `json:"expect"`
	ExpectMet bool   `json:"expect_met"`
	// LogOnly: the rule is log: true, and its firings changed no call
	// (not in the JSON: the rule's file says it).
	LogOnly bool `json:"-"`
}

// Hit is one call a rule fired on.
type Hit struct {
	// Elapsed is Event.Elapsed: the time since the run started, in
	// nanoseconds in JSON.
	Elapsed time.Duration `json:"elapsed_ns"`
	// Time is the wall-clock time of the decision.
	Time time.Time `json:"time"`
	Pid  int       `json:"pid"`
	Tid  int       `json:"tid"`
	// Call is Event.Text, the decoded call.
	Call string `json:"call"`
}

// Report returns the engine's report so far. It is safe to call while
// Decide runs; counts read at slightly different moments may then be a
// call apart.
func (e *Engine) Report() Report {
	rep := Report{Scenarios: []string{}, Rules: []RuleReport{}}
	if e == nil {
		return rep
	}
	rep.Seed = e.seed
	for _, s := range e.scenarios {
		rep.Scenarios = append(rep.Scenarios, s.Name)
	}
	for i, r := range e.rules {
		st := &e.stats[i]
		rr := RuleReport{
			Name:    r.Name,
			Matched: st.matched.Load(),
			Fired:   st.fired.Load(),
			Expect:  r.Expect.String(),
			LogOnly: r.Log,
		}
		if r.Scenario != nil {
			rr.Scenario = r.Scenario.Name
		}
		rr.ExpectMet = r.Expect.Met(rr.Fired)
		if first, last, ok := st.hits(); ok {
			rr.First, rr.Last = &first, &last
		}
		rep.Rules = append(rep.Rules, rr)
	}
	return rep
}

// Unmet returns one line per rule whose expectation its fired count does
// not meet, in engine order, as
//
//	FILE:LINE:COL: rule "NAME" expected fired, fired 0 times
//
// with the position of the rule's expect value. Nil when all are met.
func (e *Engine) Unmet() []string {
	if e == nil {
		return nil
	}
	var lines []string
	for i, r := range e.rules {
		n := e.stats[i].fired.Load()
		if r.Expect.Met(n) {
			continue
		}
		file := ""
		if r.Scenario != nil {
			file = r.Scenario.File
		}
		p := Problem{File: file, Line: r.Expect.Line, Col: r.Expect.Col,
			Reason: "rule " + strconv.Quote(r.Name) + " expected " + r.Expect.String() + ", fired " + times(n)}
		lines = append(lines, p.String())
	}
	return lines
}

// times spells a count: "0 times", "1 time", "2 times".
func times(n uint64) string {
	if n == 1 {
		return "1 time"
	}
	return strconv.FormatUint(n, 10) + " times"
}
