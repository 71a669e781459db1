package supervisor

import (
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// receiving adapts how the supervisor receives notifications to how many
// tracee threads make notified calls at once. Two settings matter, and
// each is best for one case and worst for the other (measured on 2 CPUs,
// docs/performance.md):
//
//   - Receiving threads. A notification wakes the thread that has waited
//     longest in RECV. With one tracee thread, a second receiving thread
//     only makes every call wake a thread other than the one that just
//     answered, on the other CPU: about 15% slower. With several tracee
//     threads, one receiving thread serialises them.
//   - Sync wake-up (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, Linux 6.6): the
//     answered thread runs next on the answering CPU. Without it a
//     single-threaded loop is about 3 times slower here; with it, the
//     threads of a busy multi-threaded tracee pile onto the receiving
//     CPUs instead of running beside them.
//
// So one worker receives while calls come from one thread at a time. When
// the notifications of a window come from alternating threads, a second
// worker joins; while two workers often hold calls of different threads at
// the same moment (overlaps), sync wake-up is off and more workers join, up
// to all started. After quiet windows (no overlaps, few alternations) it
// goes back to one worker with sync wake-up. The decisions are taken by
// the workers themselves, every wakeWindow notifications, with atomics.
//
// A worker can also wait on the tracee itself: reading a path that lies on
// a userfaultfd page waits for the tracee's fault-handling thread, whose
// own notified calls then need another worker. So a watchdog (check, every
// checkEvery) lets one more worker receive when every receiving one has
// held the same call since the previous check. Only when every started
// worker waits on the tracee so does the run.
type receiving struct {
	workers int32         // started
	active  atomic.Int32  // workers that may wait in RECV: 1 .. workers
	unpark  chan struct{} // a token lets one parked worker look again
	quit    chan struct{} // closed when the workers stop

	syncOK bool                  // the kernel took sync wake-up at the start
	set    func(sync bool) error // sets the listener's flags
	sync   atomic.Bool

	holding [maxWorkers]atomic.Int32 // tid whose call each worker holds, 0 none
	last    atomic.Int32             // tid of the previous notification
	n       atomic.Uint32            // notifications, for the windows
	turns   atomic.Uint32            // in this window: tid differed from the previous
	overlap atomic.Uint32            // in this window: another worker held another tid
	quiet   atomic.Uint32            // consecutive quiet windows with several workers

	answered [maxWorkers]atomic.Uint32 // calls each worker has answered
	seen     [maxWorkers]uint32        // answered at the previous check (check's own)
	held     [maxWorkers]bool          // holding a call at the previous check (check's own)
}

const (
	maxWorkers = 4
	wakeWindow = 64 // notifications per decision
	quietWins  = 4  // quiet windows before going back to one worker
	checkEvery = 10 * time.Millisecond
)

// newReceiving starts with one active worker of workers (1..maxWorkers).
// syncFD is the listener fd when the kernel took sync wake-up, else -1.
func newReceiving(workers, syncFD int) *receiving {
	r := &receiving{
		workers: int32(workers),
		unpark:  make(chan struct{}, maxWorkers),
		quit:    make(chan struct{}),
	}
	r.active.Store(1)
	if syncFD >= 0 {
		r.syncOK = true
		r.sync.Store(true)
		r.set = func(sync bool) error {
			var flags uint64
			if sync {
				flags = unix.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
			}
			return setFlags(syncFD, flags)
		}
	}
	return r
}

// park blocks worker id while it is not one of the active ones. It returns
// false when the workers are stopping.
func (r *receiving) park(id int) bool {
	for int32(id) >= r.active.Load() {
		select {
		case <-r.unpark:
		case <-r.quit:
			return false
		}
	}
	return true
}

// stop releases every parked worker for good.
func (r *receiving) stop() { close(r.quit) }

// received is called by worker id with the tid of the call it has just
// received, before handling it.
func (r *receiving) received(id int, tid uint32) {
	t := int32(tid)
	if r.last.Swap(t) != t {
		r.turns.Add(1)
	}
	r.holding[id].Store(t)
	if r.active.Load() > 1 {
		for i := range r.holding[:r.workers] {
			if i == id {
				continue
			}
			if o := r.holding[i].Load(); o != 0 && o != t {
				r.overlap.Add(1)
				break
			}
		}
	}
	if r.n.Add(1)%wakeWindow == 0 {
		r.decide()
	}
}

// done is called by worker id once it has answered its call.
func (r *receiving) done(id int) {
	r.holding[id].Store(0)
	r.answered[id].Add(1)
}

// watch runs check every checkEvery until stop.
func (r *receiving) watch() {
	t := time.NewTicker(checkEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.check()
		case <-r.quit:
			return
		}
	}
}

// check lets one more worker receive when every receiving worker still
// holds the call it held at the previous check. Not safe for concurrent
// use: one watch calls it.
func (r *receiving) check() {
	active := r.active.Load()
	stuck := true
	for i := range r.workers {
		n, holding := r.answered[i].Load(), r.holding[i].Load() != 0
		if i < active && !(holding && r.held[i] && n == r.seen[i]) {
			stuck = false
		}
		r.seen[i], r.held[i] = n, holding
	}
	if stuck && active < r.workers {
		r.grow(active + 1)
	}
}

// decide sets the workers and the wake-up mode from the window just ended.
func (r *receiving) decide() {
	turns, overlap := r.turns.Swap(0), r.overlap.Swap(0)
	active := r.active.Load()
	alternating := turns >= wakeWindow/4
	concurrent := overlap >= wakeWindow/8
	switch {
	case active == 1:
		if alternating && r.workers > 1 {
			r.grow(2)
		}
	case concurrent:
		r.quiet.Store(0)
		r.setSync(false)
		if active < r.workers {
			r.grow(active + 1)
		}
	default:
		r.setSync(true)
		if overlap > 0 || alternating {
			r.quiet.Store(0)
		} else if r.quiet.Add(1) >= quietWins {
			r.quiet.Store(0)
			r.active.Store(1) // the others park once they have answered
		}
	}
}

// grow lets n workers receive.
func (r *receiving) grow(n int32) {
	if old := r.active.Swap(n); n > old {
		for i := old; i < n; i++ {
			select {
			case r.unpark <- struct{}{}:
			default:
			}
		}
	}
}

// setSync turns sync wake-up on or off, when the kernel has it.
func (r *receiving) setSync(on bool) {
	if r.syncOK && r.sync.Load() != on && r.set(on) == nil {
		r.sync.Store(on)
	}
}
