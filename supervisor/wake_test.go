package supervisor

import "testing"

// TestWakeMode feeds the decision the receive patterns of one tracee
// thread, of several at once, and of one again, and checks when it turns
// sync wake-up off and back on.
func TestWakeMode(t *testing.T) {
	var w wakeMode
	var sets []bool
	w.start(-1)
	w.set = func(sync bool) error { sets = append(sets, sync); return nil }

	// One thread: its next call may reach the other worker before the
	// first has let go of the answered one. Same tid: no overlap.
	for i := 0; i < 4*wakeWindow; i++ {
		w.received(i%2, 100)
		if i%2 == 0 {
			w.done(0)
		} else {
			w.done(1)
		}
	}
	if len(sets) != 0 || !w.sync.Load() {
		t.Fatalf("one thread: set %v, sync %v; want no change, sync on", sets, w.sync.Load())
	}

	// Two workers each holding a call of a different thread.
	for i := 0; i < wakeWindow; i++ {
		w.received(0, uint32(200+i%8))
		w.received(1, uint32(300+i%8))
		w.done(0)
		w.done(1)
	}
	if len(sets) != 1 || sets[0] || w.sync.Load() {
		t.Fatalf("8 threads: set %v, sync %v; want [false], sync off", sets, w.sync.Load())
	}

	// Back to calls one at a time, from threads that take turns: each
	// worker lets go before the next call arrives.
	for i := 0; i < wakeWindow; i++ {
		w.received(i%2, uint32(400+i%3))
		w.done(i % 2)
	}
	if len(sets) != 2 || !sets[1] || !w.sync.Load() {
		t.Fatalf("one at a time: set %v, sync %v; want [false true], sync on", sets, w.sync.Load())
	}
}

// TestWakeModeDisabled checks that a listener without sync wake-up is
// never touched.
func TestWakeModeDisabled(t *testing.T) {
	var w wakeMode
	for i := 0; i < 4*wakeWindow; i++ {
		w.received(0, uint32(i))
		w.received(1, uint32(i+1))
	}
	if w.sync.Load() || w.set != nil {
		t.Fatal("a disabled wakeMode changed state")
	}
}
