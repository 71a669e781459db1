package supervisor

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// receiving adapts how the supervisor receives notifications to how the
// tracee's threads make their calls. Two settings matter, and each
// combination is best for one case and worst for another (measured on 2
// CPUs, docs/performance.md):
//
//   - Sync wake-up (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, Linux 6.6): the
//     notified worker runs on the tracee's CPU and the answered thread
//     runs next on the worker's CPU. With one tracee thread the two hand
//     one CPU to each other and never wait for a wake-up on the other:
//     without it the same loop is about 3 times slower. With several
//     tracee threads calling at once it gathers them all on the worker's
//     CPU, and the other CPUs idle.
//   - Receiving threads. Since Linux 6.6 a notification wakes every
//     worker waiting in RECV (the wait is not exclusive); one takes it and
//     the others sleep again. Measured with testdata/bench/c/refsup.c
//     under perf stat, one tracee thread, sync wake-up: 1, 2 and 4
//     waiting workers take 215, 274 and 363 ms for 20,000 calls, with
//     40,000, 54,000 and 99,400 context switches. (Before 6.6 a semaphore
//     woke the one that had waited longest.) While many tracee threads
//     call at once, one worker without sync wake-up never sleeps (a
//     notification is always waiting) and the tracee's threads run beside
//     it on the other CPU; on 2 CPUs a second worker only takes CPU time
//     from them.
//
// So there are two modes:
//
//   - paired, the start: one worker, sync wake-up on. Without the kernel's
//     sync wake-up, every started worker instead (about 3 times faster
//     than one for one tracee thread).
//   - spread: sync wake-up off, one worker per two CPUs (at least one).
//
// Every wakeWindow notifications the worker that received the last one
// decides. Calls from one thread only keep paired. When the calls of a
// window come from alternating threads, the workers look, after one RECV
// in pollEvery, whether another notification is already waiting while
// they hold this one (poll, no wait): only another thread can have made
// it meanwhile. (Before RECV the answer says little: an answered thread
// that runs on at once, as sync wake-up lets it, has often made its next
// call already.) When in busyWins windows in a row at least busyPercent
// of the polls find one, the tracee's threads call at once and spread
// takes over. Threads that take turns (a ping-pong over a pipe) find
// nothing waiting and stay paired; so, mostly, does a Go program, whose
// threads wake each other and are faster paired (measured: 1.40 s
// paired, 2.42 s spread, for 8 goroutines opening 20,000 files), and
// whose calls are only partly waiting. The switch has to come early: once
// paired mode has gathered the threads on one CPU, the scheduler takes
// about 100 ms to spread them again. Spread goes back to paired after
// quietWins windows from one thread, or after lowWins alternating windows
// whose calls were not waiting; after the latter, paired waits doubling
// intervals before it spreads again, so that a tracee at the edge does
// not switch back and forth. Polls cost a syscall each: one in pollEvery
// notifications, and none while one thread calls.
//
// A worker can also wait on the tracee itself: reading a path that lies on
// a userfaultfd page waits for the tracee's fault-handling thread, whose
// own notified calls then need another worker. So a watchdog (check, every
// checkEvery) lets one more worker receive when every receiving one has
// held the same call since the previous check, and starts as many again
// (spawn) when every started worker has, up to maxSpawned. Only when
// maxSpawned workers wait on the tracee at once does the run.
type receiving struct {
	workers int32                         // started at the start
	spawned atomic.Int32                  // started in all: workers .. maxSpawned
	spawn   func(id int)                  // starts worker id; nil: never more than workers
	spreadN int32                         // workers that receive in spread mode
	active  atomic.Int32                  // workers that may wait in RECV: 1 .. spawned
	woken   atomic.Pointer[chan struct{}] // closed (and replaced) when active grows
	quit    chan struct{}                 // closed when the workers stop

	syncOK bool                  // the kernel took sync wake-up at the start
	set    func(sync bool) error // sets the listener's flags
	sync   atomic.Bool

	holding [maxSpawned]atomic.Int32 // tid whose call each worker holds, 0 none
	last    atomic.Int32             // tid of the previous notification
	n       atomic.Uint32            // notifications, for the windows
	turns   atomic.Uint32            // in this window: tid differed from the previous

	// Whether a notification was waiting before a RECV, polled by the
	// workers while looking is set.
	looking atomic.Bool
	polled  atomic.Uint32
	waiting atomic.Uint32

	// decide's own, under mu.
	mu     sync.Mutex
	spread bool // in spread mode
	quiet  int  // consecutive windows from one thread
	low    int  // consecutive alternating windows in spread whose calls were not waiting
	busy   int  // consecutive alternating windows in paired whose calls were waiting
	wait   int  // windows left before paired may spread again
	every  int  // the wait after the next low return

	answered [maxSpawned]atomic.Uint32 // calls each worker has answered
	seen     [maxSpawned]uint32        // answered at the previous check (check's own)
	held     [maxSpawned]bool          // holding a call at the previous check (check's own)
}

const (
	maxWorkers = 4   // started at the start, at most
	maxSpawned = 256 // started in all, when workers wait on the tracee
	wakeWindow = 16  // notifications per decision
	quietWins  = 4   // windows from one thread before spread goes back to paired
	lowWins    = 2   // alternating windows without waiting calls before spread goes back
	busyWins   = 2   // alternating windows with waiting calls before paired spreads
	pollEvery  = 8   // while looking, the workers poll after one RECV in pollEvery
	// A window's calls were made at once when at least this share of the
	// polls (percent) found another call waiting.
	busyPercent = 85
	checkEvery  = 10 * time.Millisecond
	// The wait before paired may spread again after a low return, in
	// windows: the first and the largest.
	firstInterval = 8
	maxInterval   = 256
)

// newReceiving starts in paired mode. workers (2..maxWorkers) are started;
// cpus is the number of CPUs the supervisor may run on. syncFD is the
// listener fd when the kernel took sync wake-up, else -1.
func newReceiving(workers, cpus, syncFD int) *receiving {
	r := &receiving{
		workers: int32(workers),
		spreadN: int32(max(1, min(cpus/2, workers))),
		quit:    make(chan struct{}),
		every:   firstInterval,
	}
	r.spawned.Store(int32(workers))
	woken := make(chan struct{})
	r.woken.Store(&woken)
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
	r.active.Store(r.pairedN())
	return r
}

// pairedN is how many workers receive in paired mode.
func (r *receiving) pairedN() int32 {
	if r.syncOK {
		return 1
	}
	return r.workers
}

// park blocks worker id while it is not one of the active ones. It returns
// false when the workers are stopping.
func (r *receiving) park(id int) bool {
	for {
		woken := *r.woken.Load() // before active: a grow after this closes it
		if int32(id) < r.active.Load() {
			return true
		}
		select {
		case <-woken:
		case <-r.quit:
			return false
		}
	}
}

// stop releases every parked worker for good.
func (r *receiving) stop() { close(r.quit) }

// look reports whether the calling worker should poll the listener before
// its next RECV, and pass the result to waited.
func (r *receiving) look() bool {
	return r.looking.Load() && r.n.Load()%pollEvery == 0
}

// waited records whether a notification was waiting before a RECV.
func (r *receiving) waited(yes bool) {
	r.polled.Add(1)
	if yes {
		r.waiting.Add(1)
	}
}

// received is called by worker id with the tid of the call it has just
// received, before handling it.
func (r *receiving) received(id int, tid uint32) {
	t := int32(tid)
	if r.last.Swap(t) != t {
		r.turns.Add(1)
	}
	r.holding[id].Store(t)
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
// holds the call it held at the previous check, and starts as many again
// when all started ones are receiving. Not safe for concurrent use: one watch
// calls it.
func (r *receiving) check() {
	active, spawned := r.active.Load(), r.spawned.Load()
	stuck := true
	for i := range spawned {
		n, holding := r.answered[i].Load(), r.holding[i].Load() != 0
		if i < active && !(holding && r.held[i] && n == r.seen[i]) {
			stuck = false
		}
		r.seen[i], r.held[i] = n, holding
	}
	switch {
	case !stuck:
	case active < spawned:
		r.grow(active + 1)
	case spawned < maxSpawned && r.spawn != nil:
		// As many again: a program whose threads all wait on their
		// fault handler needs as many workers as threads.
		more := min(spawned, maxSpawned-spawned)
		r.spawned.Store(spawned + more)
		r.grow(spawned + more)
		for id := spawned; id < spawned+more; id++ {
			r.spawn(int(id))
		}
	}
}

// decide ends a window and moves between the modes.
func (r *receiving) decide() {
	if !r.mu.TryLock() {
		return // the previous window's decision is still running
	}
	defer r.mu.Unlock()
	alternating := r.turns.Swap(0) >= wakeWindow/4
	polled, waiting := r.polled.Swap(0), r.waiting.Swap(0)
	sampled := polled >= wakeWindow/pollEvery/2
	atOnce := sampled && 100*waiting >= busyPercent*polled
	if alternating {
		r.quiet = 0
	} else {
		r.quiet++
	}
	if !r.spread {
		r.looking.Store(alternating)
		if alternating && atOnce {
			r.busy++
		} else {
			r.busy = 0
		}
		switch {
		case r.wait > 0:
			r.wait--
		case r.busy >= busyWins:
			r.switchMode(true)
		}
		return
	}
	switch {
	case r.quiet >= quietWins:
		r.every, r.wait = firstInterval, 0
		r.switchMode(false)
	case alternating && sampled && !atOnce:
		if r.low++; r.low >= lowWins {
			r.wait = r.every
			r.every = min(2*r.every, maxInterval)
			r.switchMode(false)
		}
	default:
		r.low = 0
	}
}

// switchMode goes to spread (true) or paired (false); decide's own.
func (r *receiving) switchMode(spread bool) {
	r.spread, r.low, r.busy = spread, 0, 0
	r.looking.Store(spread)
	if spread {
		r.setSync(false)
		r.grow(r.spreadN)
		return
	}
	r.setSync(true)
	r.active.Store(r.pairedN()) // the others park once they have answered
}

// grow sets the receiving workers to n, unparking those it adds. A smaller
// n parks the extra ones once they have answered their call.
func (r *receiving) grow(n int32) {
	if old := r.active.Swap(n); n > old {
		woken := make(chan struct{})
		close(*r.woken.Swap(&woken))
	}
}

// setSync turns sync wake-up on or off, when the kernel has it.
func (r *receiving) setSync(on bool) {
	if r.syncOK && r.sync.Load() != on && r.set(on) == nil {
		r.sync.Store(on)
	}
}
