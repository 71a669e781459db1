package supervisor

import (
	"testing"
	"time"
)

// testReceiving returns a receiving of 3 workers on 4 CPUs, as if the
// kernel had sync wake-up; the listener's flag changes are recorded in
// sets.
func testReceiving(sets *[]bool) *receiving {
	r := newReceiving(3, 4, -1)
	r.syncOK = true
	r.sync.Store(true)
	r.set = func(sync bool) error { *sets = append(*sets, sync); return nil }
	r.active.Store(r.pairedN())
	return r
}

// feed feeds n calls one at a time from thread tid(i), as worker 0 does:
// before a RECV it polls when asked to, and finds a notification waiting
// or not as waiting says.
func feed(r *receiving, n int, tid func(int) uint32, waiting bool) {
	for i := 0; i < n; i++ {
		if r.look() {
			r.waited(waiting)
		}
		r.received(0, tid(i))
		r.done(0)
	}
}

func oneThread(int) uint32      { return 100 }
func eightThreads(i int) uint32 { return uint32(200 + i%8) }

// TestReceivingOneThread: calls of one thread keep one worker and sync
// wake-up, and the workers never poll.
func TestReceivingOneThread(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	polls := 0
	for i := 0; i < 16*wakeWindow; i++ {
		if r.look() {
			polls++
		}
		r.received(i%2, 100)
		r.done(i % 2)
	}
	if got := r.active.Load(); got != 1 || len(sets) != 0 || !r.sync.Load() || polls != 0 {
		t.Fatalf("active %d, sets %v, sync %v, %d polls; want 1 worker, no change, sync on, no poll", got, sets, r.sync.Load(), polls)
	}
}

// TestReceivingSpreads walks through the modes: threads calling at once
// (a notification waits before RECV) spread, one thread again goes back
// to paired.
func TestReceivingSpreads(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	feed(r, 3*wakeWindow, eightThreads, true)
	if got := r.active.Load(); got != 2 || len(sets) != 1 || sets[0] || r.sync.Load() {
		t.Fatalf("at once: active %d, sets %v, sync %v; want 2 workers (4 CPUs / 2), [false], sync off", got, sets, r.sync.Load())
	}
	feed(r, 64*wakeWindow, eightThreads, true)
	if got := r.active.Load(); got != 2 || len(sets) != 1 {
		t.Fatalf("still at once: active %d, sets %v; want spread kept", got, sets)
	}
	// One thread again: back to paired after quietWins windows.
	feed(r, (quietWins-1)*wakeWindow, oneThread, false)
	if len(sets) != 1 {
		t.Fatalf("one thread for %d windows: sets %v, want spread kept", quietWins-1, sets)
	}
	feed(r, 2*wakeWindow, oneThread, false)
	if got := r.active.Load(); got != 1 || len(sets) != 2 || !sets[1] {
		t.Fatalf("one thread again: active %d, sets %v; want 1 worker, [false true]", got, sets)
	}
	// and spreads again at once when the threads come back.
	feed(r, 3*wakeWindow, eightThreads, true)
	if len(sets) != 3 || sets[2] {
		t.Fatalf("threads back: sets %v, want spread again", sets)
	}
}

// TestReceivingTakingTurns: threads that alternate but never call at
// once (no notification waiting before RECV) stay paired.
func TestReceivingTakingTurns(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	feed(r, 64*wakeWindow, eightThreads, false)
	if got := r.active.Load(); got != 1 || len(sets) != 0 {
		t.Fatalf("taking turns: active %d, sets %v; want paired", got, sets)
	}
}

// TestReceivingPartlyWaiting: threads whose calls are only partly
// waiting (a Go program's threads, which wake each other) stay paired.
func TestReceivingPartlyWaiting(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	polls := 0
	for i := 0; i < 64*wakeWindow; i++ {
		if r.look() {
			r.waited(polls%3 != 0) // two in three
			polls++
		}
		r.received(0, eightThreads(i))
		r.done(0)
	}
	if len(sets) != 0 || polls == 0 {
		t.Fatalf("partly waiting: sets %v after %d polls; want paired kept", sets, polls)
	}
}

// TestReceivingBacksOff: spread that finds no call waiting goes back to
// paired and waits doubling intervals before it spreads again.
func TestReceivingBacksOff(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	feed(r, 3*wakeWindow, eightThreads, true) // spread
	feed(r, lowWins*wakeWindow, eightThreads, false)
	if len(sets) != 2 || !sets[1] {
		t.Fatalf("spread without waiting calls: sets %v, want [false true]", sets)
	}
	for _, wait := range []int{firstInterval, 2 * firstInterval} {
		feed(r, wait*wakeWindow, eightThreads, true)
		if len(sets) != 2 {
			t.Fatalf("within %d windows of a low return: sets %v, want paired kept", wait, sets)
		}
		feed(r, 3*wakeWindow, eightThreads, true)
		if len(sets) != 3 || sets[2] {
			t.Fatalf("after %d windows: sets %v, want spread again", wait, sets)
		}
		feed(r, lowWins*wakeWindow, eightThreads, false)
		if len(sets) != 4 || !sets[3] {
			t.Fatalf("spread without waiting calls again: sets %v", sets)
		}
		sets = sets[:2]
	}
}

// TestReceivingPark: a worker beyond the active ones waits until grow lets
// it receive, and is released by stop.
func TestReceivingPark(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	if !r.park(0) {
		t.Fatal("worker 0 parked while active")
	}
	got := make(chan bool)
	go func() { got <- r.park(1) }()
	select {
	case v := <-got:
		t.Fatalf("worker 1 did not wait: park = %v", v)
	case <-time.After(20 * time.Millisecond):
	}
	r.grow(2)
	select {
	case v := <-got:
		if !v {
			t.Fatal("park = false after grow")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("worker 1 still parked after grow")
	}
	r.active.Store(1)
	go func() { got <- r.park(1) }()
	r.stop()
	select {
	case v := <-got:
		if v {
			t.Fatal("park = true after stop")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("worker 1 still parked after stop")
	}
}

// TestReceivingNoSyncWakeUp: without the kernel's sync wake-up, paired
// mode receives on every started worker, spread on one per two CPUs, and
// the listener's flags are never set.
func TestReceivingNoSyncWakeUp(t *testing.T) {
	r := newReceiving(2, 2, -1)
	if got := r.active.Load(); got != 2 {
		t.Fatalf("paired: active %d, want 2", got)
	}
	feed(r, 3*wakeWindow, eightThreads, true)
	if got := r.active.Load(); got != 1 || r.sync.Load() || r.set != nil {
		t.Fatalf("spread: active %d, sync %v; want 1 worker, flags never set", got, r.sync.Load())
	}
}

// TestReceivingCheck: the watchdog lets another worker receive only when
// every receiving worker has held the same call over a whole check period.
func TestReceivingCheck(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	r.workers = 2
	r.check() // idle
	r.received(0, 100)
	r.check() // holding since just now: not stuck yet
	if got := r.active.Load(); got != 1 {
		t.Fatalf("after one check: active %d, want 1", got)
	}
	r.done(0)
	r.received(0, 100) // another call, answered count moved
	r.check()
	if got := r.active.Load(); got != 1 {
		t.Fatalf("a new call: active %d, want 1", got)
	}
	r.check() // the same call over a whole period
	if got := r.active.Load(); got != 2 {
		t.Fatalf("stuck worker: active %d, want 2", got)
	}
	r.check() // both started workers receive: nothing more to grow
	if got := r.active.Load(); got != 2 {
		t.Fatalf("active %d, want 2", got)
	}
}

// TestReceivingSpawns: when every started worker holds the same call over
// a whole check period, the watchdog starts as many again, and the new
// ones may receive at once.
func TestReceivingSpawns(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	var started []int
	r.spawn = func(id int) { started = append(started, id) }
	r.grow(3) // all three started workers receive
	for id := range 3 {
		r.received(id, uint32(100+id))
	}
	r.check()
	r.check() // each has held its call over a whole period
	if len(started) != 3 || started[0] != 3 || started[2] != 5 || r.spawned.Load() != 6 || r.active.Load() != 6 || !r.park(5) {
		t.Fatalf("started %v, spawned %d, active %d; want workers 3, 4, 5 started and receiving", started, r.spawned.Load(), r.active.Load())
	}
	r.received(3, 200)
	r.done(3) // a new one answers calls: nothing is stuck
	r.check()
	if len(started) != 3 {
		t.Fatalf("started %v after the new worker answered, want no more", started)
	}
}
