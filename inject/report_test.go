package inject

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"
	"time"
	"unsafe"
)

func TestExpectations(t *testing.T) {
	s, err := Parse([]byte(`name: x
rules:
  - name: hide-config
    syscalls: [openat]
    path: /etc/myapp/**
    error: ENOENT
    expect: fired
  - name: no-writes
    syscalls: [write]
    error: EIO
    expect: never
  - name: some-reads
    syscalls: [read]
    error: EIO
    expect: {min: 2, max: 3}
  - name: at-most-one
    syscalls: [close]
    error: EIO
    expect: {max: 1}
  - name: at-least-two
    syscalls: [fsync]
    error: EIO
    expect: {min: 2}
  - name: no-expect
    syscalls: [fsync, dup]
    error: EIO
`), "scenarios/x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		calls map[string]int
		want  []string
	}{
		{map[string]int{"read": 2, "close": 1, "fsync": 2}, []string{
			`scenarios/x.yaml:7:13: rule "hide-config" expected fired, fired 0 times`}},
		{map[string]int{"openat": 1, "write": 1, "read": 4, "close": 2, "fsync": 1}, []string{
			`scenarios/x.yaml:11:13: rule "no-writes" expected never, fired 1 time`,
			`scenarios/x.yaml:15:13: rule "some-reads" expected min 2 max 3, fired 4 times`,
			`scenarios/x.yaml:19:13: rule "at-most-one" expected max 1, fired 2 times`,
			`scenarios/x.yaml:23:13: rule "at-least-two" expected min 2, fired 1 time`}},
		{map[string]int{"openat": 3, "read": 3, "fsync": 5, "dup": 1}, nil},
	}
	for i, tt := range tests {
		e := NewEngine([]*Scenario{s})
		names := make([]string, 0, len(tt.calls))
		for n := range tt.calls {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			for range tt.calls[n] {
				e.Decide(pathEv(n, "/etc/myapp/a.yaml"))
			}
		}
		if got := e.Unmet(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("case %d: Unmet()\n got %q\nwant %q", i, got, tt.want)
		}
		rep := e.Report()
		for j, rr := range rep.Rules {
			if rr.ExpectMet != s.Rules[j].Expect.Met(rr.Fired) {
				t.Errorf("case %d: rule %s expect_met %v with fired %d", i, rr.Name, rr.ExpectMet, rr.Fired)
			}
		}
	}
	var nilEngine *Engine
	if nilEngine.Unmet() != nil {
		t.Error("nil engine has unmet expectations")
	}
}

func TestExpectString(t *testing.T) {
	for _, tt := range []struct {
		x    Expect
		want string
	}{
		{Expect{}, ""},
		{Expect{Set: true, Min: 1, Max: NoMax}, "fired"},
		{Expect{Set: true, Min: 0, Max: 0}, "never"},
		{Expect{Set: true, Min: 3, Max: NoMax}, "min 3"},
		{Expect{Set: true, Min: 0, Max: 4}, "max 4"},
		{Expect{Set: true, Min: 2, Max: 4}, "min 2 max 4"},
	} {
		if got := tt.x.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestReport(t *testing.T) {
	a := mustParse(t, `name: a
seed: 11
rules:
  - {name: second-open, syscalls: [openat], error: EIO, when: "2+", expect: fired}
  - {name: never-read, syscalls: [read], error: EIO, expect: never}
`)
	b := mustParse(t, "name: b\nrules: [{name: quiet, syscalls: [close], log: true}]\n")
	e := NewEngine([]*Scenario{a, nil, b})
	start := time.Now()
	// The texts share one buffer, overwritten after each Decide, as the
	// supervisor's Decoder reuses its own: the report must have copied them.
	buf := make([]byte, 0, 64)
	for i, ev := range []Event{
		{Pid: 10, Tid: 10, Name: "openat", Elapsed: 1 * time.Millisecond, Text: `openat(AT_FDCWD, "/a", O_RDONLY)`},
		{Pid: 10, Tid: 11, Name: "openat", Elapsed: 2 * time.Millisecond, Text: `openat(AT_FDCWD, "/b", O_RDONLY)`},
		{Pid: 10, Tid: 12, Name: "openat", Elapsed: 3 * time.Millisecond, Text: `openat(AT_FDCWD, "/c", O_RDONLY)`},
	} {
		buf = append(buf[:0], ev.Text...)
		ev.Text = unsafe.String(unsafe.SliceData(buf), len(buf))
		if d := e.Decide(ev); (d.Rule != nil) != (i > 0) {
			t.Fatalf("call %d: %+v", i, d)
		}
		copy(buf, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX")
	}
	rep := e.Report()
	status := 0
	rep.ExitStatus = &status
	if !reflect.DeepEqual(rep.Scenarios, []string{"a", "b"}) || rep.Seed != 11 || len(rep.Rules) != 3 {
		t.Fatalf("report %+v", rep)
	}
	r0 := rep.Rules[0]
	if r0.Scenario != "a" || r0.Name != "second-open" || r0.Matched != 3 || r0.Fired != 2 ||
		r0.Expect != "fired" || !r0.ExpectMet || r0.First == nil || r0.Last == nil {
		t.Fatalf("rule 0: %+v", r0)
	}
	if r0.First.Tid != 11 || r0.First.Elapsed != 2*time.Millisecond || r0.First.Call != `openat(AT_FDCWD, "/b", O_RDONLY)` ||
		r0.Last.Tid != 12 || r0.Last.Pid != 10 || r0.Last.Call != `openat(AT_FDCWD, "/c", O_RDONLY)` ||
		r0.First.Time.Before(start) || r0.Last.Time.Before(r0.First.Time) {
		t.Errorf("hits: first %+v last %+v", *r0.First, *r0.Last)
	}
	if r1 := rep.Rules[1]; r1.First != nil || r1.Last != nil || r1.Expect != "never" || !r1.ExpectMet {
		t.Errorf("rule 1: %+v", r1)
	}
	if r2 := rep.Rules[2]; r2.Scenario != "b" || r2.Expect != "" || !r2.ExpectMet || !r2.LogOnly || r0.LogOnly {
		t.Errorf("rule 2: %+v (log only), rule 0 log only %v", r2, r0.LogOnly)
	}

	// JSON shape: exactly these keys.
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	if got, want := keys(top), []string{"exit_status", "rules", "scenarios", "seed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("top-level keys %q, want %q (signal omitted when empty)", got, want)
	}
	var rules []map[string]json.RawMessage
	if err := json.Unmarshal(top["rules"], &rules); err != nil {
		t.Fatal(err)
	}
	wantRule := []string{"expect", "expect_met", "fired", "first", "last", "matched", "name", "scenario"}
	for i, r := range rules {
		if got := keys(r); !reflect.DeepEqual(got, wantRule) {
			t.Errorf("rule %d keys %q, want %q", i, got, wantRule)
		}
	}
	if string(rules[1]["first"]) != "null" || string(top["exit_status"]) != "0" || string(top["seed"]) != "11" {
		t.Errorf("first %s exit_status %s seed %s", rules[1]["first"], top["exit_status"], top["seed"])
	}
	var hit map[string]json.RawMessage
	if err := json.Unmarshal(rules[0]["first"], &hit); err != nil {
		t.Fatal(err)
	}
	if got, want := keys(hit), []string{"call", "elapsed_ns", "pid", "tid", "time"}; !reflect.DeepEqual(got, want) {
		t.Errorf("hit keys %q, want %q", got, want)
	}
	if string(hit["elapsed_ns"]) != "2000000" || string(hit["pid"]) != "10" {
		t.Errorf("hit %s", rules[0]["first"])
	}

	// A killed tracee: no exit status, a signal.
	rep.ExitStatus, rep.Signal = nil, "SIGKILL"
	data, _ = json.Marshal(rep)
	top = nil
	_ = json.Unmarshal(data, &top)
	if string(top["exit_status"]) != "null" || string(top["signal"]) != `"SIGKILL"` {
		t.Errorf("killed: %s", data)
	}

	// An empty engine still reports lists, not nulls.
	data, _ = json.Marshal((*Engine)(nil).Report())
	if string(data) != `{"scenarios":[],"seed":0,"exit_status":null,"rules":[]}` {
		t.Errorf("empty report %s", data)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
