package supervisor

import (
	"testing"
	"time"
)

// testReceiving returns a receiving of 3 workers whose sync wake-up
// changes are recorded in sets.
func testReceiving(sets *[]bool) *receiving {
	r := newReceiving(3, -1)
	r.syncOK = true
	r.sync.Store(true)
	r.set = func(sync bool) error { *sets = append(*sets, sync); return nil }
	return r
}

// serial feeds n calls one at a time: each is answered before the next
// arrives, on worker id(i), from thread tid(i).
func serial(r *receiving, n int, id func(int) int, tid func(int) uint32) {
	for i := 0; i < n; i++ {
		r.received(id(i), tid(i))
		r.done(id(i))
	}
}

// TestReceivingOneThread: calls of one thread keep one worker and sync
// wake-up, whichever worker gets them.
func TestReceivingOneThread(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)
	serial(r, 8*wakeWindow, func(int) int { return 0 }, func(int) uint32 { return 100 })
	if got := r.active.Load(); got != 1 || len(sets) != 0 || !r.sync.Load() {
		t.Fatalf("active %d, sets %v, sync %v; want 1 worker, no change, sync on", got, sets, r.sync.Load())
	}
}

// TestReceivingAdapts walks through the states: threads that take turns
// (a second worker, sync kept), threads at once (sync off, every worker),
// and one thread again (sync on, then back to one worker).
func TestReceivingAdapts(t *testing.T) {
	var sets []bool
	r := testReceiving(&sets)

	// Threads that take turns, one call at a time (a Go program whose
	// goroutine moves between threads).
	serial(r, wakeWindow, func(int) int { return 0 }, func(i int) uint32 { return uint32(200 + i%3) })
	if got := r.active.Load(); got != 2 || len(sets) != 0 {
		t.Fatalf("taking turns: active %d, sets %v; want 2 workers, sync unchanged", got, sets)
	}
	serial(r, 8*wakeWindow, func(i int) int { return i % 2 }, func(i int) uint32 { return uint32(200 + i%3) })
	if got := r.active.Load(); got != 2 || len(sets) != 0 {
		t.Fatalf("still taking turns: active %d, sets %v; want 2 workers, sync unchanged", got, sets)
	}

	// Threads at once: two workers each hold a call of another thread.
	for i := 0; i < 2*wakeWindow; i += 2 {
		r.received(0, uint32(300+i%8))
		r.received(1, uint32(301+i%8))
		r.done(0)
		r.done(1)
	}
	if got := r.active.Load(); got != 3 || len(sets) != 1 || sets[0] || r.sync.Load() {
		t.Fatalf("at once: active %d, sets %v, sync %v; want 3 workers, [false], sync off", got, sets, r.sync.Load())
	}

	// One thread again: sync back on at the first window, one worker
	// after quietWins windows.
	serial(r, wakeWindow, func(i int) int { return i % 3 }, func(int) uint32 { return 400 })
	if len(sets) != 2 || !sets[1] || r.active.Load() != 3 {
		t.Fatalf("one thread, first window: sets %v, active %d; want [false true], 3 workers", sets, r.active.Load())
	}
	serial(r, quietWins*wakeWindow, func(i int) int { return i % 3 }, func(int) uint32 { return 400 })
	if got := r.active.Load(); got != 1 {
		t.Fatalf("one thread, %d quiet windows: active %d, want 1", quietWins+1, got)
	}
}

// TestReceivingPark: a worker beyond the active ones waits until grow lets
// it receive, and is released by stop.
func TestReceivingPark(t *testing.T) {
	r := newReceiving(2, -1)
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

// TestReceivingNoSyncWakeUp: without the kernel's sync wake-up, the
// listener's flags are never set.
func TestReceivingNoSyncWakeUp(t *testing.T) {
	r := newReceiving(2, -1)
	for i := 0; i < 4*wakeWindow; i += 2 {
		r.received(0, uint32(i))
		r.received(1, uint32(i+1))
		r.done(0)
		r.done(1)
	}
	if r.sync.Load() || r.set != nil {
		t.Fatal("a receiving without sync wake-up changed it")
	}
	if got := r.active.Load(); got != 2 {
		t.Fatalf("active %d, want 2", got)
	}
}

// TestReceivingCheck: the watchdog lets another worker receive only when
// every receiving worker has held the same call over a whole check period.
func TestReceivingCheck(t *testing.T) {
	r := newReceiving(2, -1)
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
