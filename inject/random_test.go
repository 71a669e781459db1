package inject

import (
	"reflect"
	"sync"
	"testing"
)

func seeded(t testing.TB, src string, seed *int64) *Engine {
	t.Helper()
	return NewEngineWithOptions([]*Scenario{mustParse(t, src)}, Options{Seed: seed})
}

func ptr(v int64) *int64 { return &v }

const flaky = `name: flaky
rules:
  - {name: sometimes, syscalls: [read, write], error: EIO, probability: 0.3}
  - {name: thread-coin, syscalls: [close], error: EBADF, probability: 0.5, scope: thread}
`

// sequence replays a fixed mix of calls from three processes and returns
// which ones fired.
func sequence(e *Engine, n int) []bool {
	out := make([]bool, n)
	names := []string{"read", "write", "close"}
	for i := range out {
		pid := 100 + i%3
		out[i] = e.Decide(Event{Pid: pid, Tid: pid + i%2, Name: names[i%len(names)]}).Rule != nil
	}
	return out
}

func TestProbabilityReproducible(t *testing.T) {
	a := sequence(seeded(t, flaky, ptr(42)), 2000)
	b := sequence(seeded(t, flaky, ptr(42)), 2000)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, same calls: different decisions")
	}
	c := sequence(seeded(t, flaky, ptr(43)), 2000)
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 42 and 43 give the same 2000 decisions")
	}
	// The scenario's seed key is used when no option overrides it.
	fromFile := sequence(seeded(t, "seed: 42\n"+flaky, nil), 2000)
	if !reflect.DeepEqual(a, fromFile) {
		t.Error("seed: 42 in the file differs from Options{Seed: 42}")
	}
	overridden := seeded(t, "seed: 42\n"+flaky, ptr(43))
	if overridden.Seed() != 43 || !reflect.DeepEqual(sequence(overridden, 2000), c) {
		t.Error("Options.Seed does not override the file's seed")
	}
}

func TestProbabilityRate(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, -7, 1 << 40} {
		e := seeded(t, "name: p\nrules: [{name: r, syscalls: [read], error: EIO, probability: 0.3}]\n", ptr(seed))
		fired := 0
		for range 10000 {
			if e.Decide(Event{Pid: 1, Name: "read"}).Rule != nil {
				fired++
			}
		}
		if fired < 2700 || fired > 3300 {
			t.Errorf("seed %d: p=0.3 fired %d of 10000 times, want 2700..3300", seed, fired)
		}
		if r := e.Report().Rules[0]; r.Matched != 10000 || r.Fired != uint64(fired) {
			t.Errorf("seed %d: report %+v", seed, r)
		}
	}
}

// TestProbabilityAcrossProcesses: each process draws its own numbers, so
// one-call processes do not all fire or all continue together.
func TestProbabilityAcrossProcesses(t *testing.T) {
	e := seeded(t, "name: p\nrules: [{name: r, syscalls: [connect], error: ECONNREFUSED, probability: 0.5}]\n", ptr(9))
	fired := 0
	for pid := 1; pid <= 1000; pid++ {
		if e.Decide(Event{Pid: pid, Name: "connect"}).Rule != nil {
			fired++
		}
	}
	if fired < 400 || fired > 600 {
		t.Errorf("first calls of 1000 processes: %d fired, want about 500", fired)
	}
}

// TestProbabilityInterleaving: a process's decisions depend on its own
// calls, not on when other processes' calls come in between.
func TestProbabilityInterleaving(t *testing.T) {
	run := func(interleave bool) []bool {
		e := seeded(t, flaky, ptr(5))
		var out []bool
		e.Decide(Event{Pid: 1, Name: "read"}) // pid 1's counters first in both runs
		e.Decide(Event{Pid: 2, Name: "read"})
		for i := range 200 {
			if interleave && i%3 == 0 {
				e.Decide(Event{Pid: 2, Name: "read"})
			}
			out = append(out, e.Decide(Event{Pid: 1, Name: "read"}).Rule != nil)
		}
		return out
	}
	if !reflect.DeepEqual(run(false), run(true)) {
		t.Error("pid 1's decisions change when pid 2's calls come in between")
	}
}

// TestWhenBeforeProbability: when selects first, the draw decides among
// the selected calls only.
func TestWhenBeforeProbability(t *testing.T) {
	e := seeded(t, "name: p\nrules: [{name: r, syscalls: [read], error: EIO, when: \"10..19\", probability: 0.5}]\n", ptr(1))
	fired := 0
	for i := 1; i <= 1000; i++ {
		if e.Decide(Event{Pid: 1, Name: "read"}).Rule != nil {
			if i < 10 || i > 19 {
				t.Fatalf("call %d fired outside when", i)
			}
			fired++
		}
	}
	if fired == 0 || fired == 10 {
		t.Errorf("%d of the 10 calls when selects fired; want some, not all (seed 1)", fired)
	}
}

func TestSeedFromClock(t *testing.T) {
	e := seeded(t, flaky, nil)
	if s := e.Seed(); s < 1 || s > 1<<31-1 {
		t.Errorf("clock seed %d out of 1..2^31-1", s)
	}
	if e.Report().Seed != e.Seed() {
		t.Error("report seed differs from Seed()")
	}
	replay := seeded(t, flaky, ptr(e.Seed()))
	if !reflect.DeepEqual(sequence(e, 500), sequence(replay, 500)) {
		t.Error("replaying with the recorded seed gives other decisions")
	}
	var nilEngine *Engine
	if nilEngine.Seed() != 0 {
		t.Error("nil engine has a seed")
	}
}

// TestProbabilityConcurrent runs draws from many goroutines (-race) and
// checks per-process counts stay exact.
func TestProbabilityConcurrent(t *testing.T) {
	e := seeded(t, "name: p\nrules: [{name: r, syscalls: [read], error: EIO, probability: 0.5}]\n", ptr(3))
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				e.Decide(Event{Pid: g % 4, Tid: g, Name: "read", Text: "read(3, ...)"})
			}
			_ = e.Report()
		}()
	}
	wg.Wait()
	r := e.Report().Rules[0]
	if r.Matched != 8000 || r.Fired < 3500 || r.Fired > 4500 {
		t.Errorf("report %+v", r)
	}
}
