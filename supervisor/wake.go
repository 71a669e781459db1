package supervisor

import (
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// wakeMode turns the listener's sync wake-up (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP,
// Linux 6.6) on and off with the tracee's concurrency.
//
// With sync wake-up the answered thread runs next on the worker's CPU: the
// quickest hand-off when one tracee thread makes calls at a time (without
// it, a single-threaded openat loop is about 3 times slower here). When
// several tracee threads make notified calls at once, it piles them onto the
// workers' CPUs instead of letting them run beside the workers. So each
// worker publishes the thread whose call it holds; a worker that receives a
// call while another holds one of a different thread counts an overlap, and
// every window of notifications sets the mode: sync while fewer than a
// eighth overlapped. On 2 CPUs this took 8 threads from 222 to 206 ms per
// 20,000 calls and left 1 thread as it was (make bench, docs/performance.md).
type wakeMode struct {
	enabled bool                  // the kernel took the flag once
	set     func(sync bool) error // sets the listener's flags
	holding [maxWorkers]atomic.Int32
	n       atomic.Uint32
	overlap atomic.Uint32
	sync    atomic.Bool
}

const (
	maxWorkers = 4
	wakeWindow = 64 // notifications per decision
)

// start records that listener fd has sync wake-up on.
func (w *wakeMode) start(fd int) {
	w.enabled = true
	w.sync.Store(true)
	w.set = func(sync bool) error {
		var flags uint64
		if sync {
			flags = unix.SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
		}
		return setFlags(fd, flags)
	}
}

// received is called by worker id with the tid of the call it just
// received, before handling it.
func (w *wakeMode) received(id int, tid uint32) {
	if !w.enabled {
		return
	}
	t := int32(tid)
	w.holding[id].Store(t)
	for i := range w.holding {
		if i == id {
			continue
		}
		if o := w.holding[i].Load(); o != 0 && o != t {
			w.overlap.Add(1)
			break
		}
	}
	if w.n.Add(1)%wakeWindow != 0 {
		return
	}
	want := w.overlap.Swap(0) < wakeWindow/8
	if w.sync.Load() == want {
		return
	}
	if w.set(want) == nil {
		w.sync.Store(want)
	}
}

// done is called by worker id once it has handled its call.
func (w *wakeMode) done(id int) {
	if w.enabled {
		w.holding[id].Store(0)
	}
}
