package supervisor

import (
	"container/list"
	"fmt"
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// SplitOutput writes each thread's lines to a file of its own, PREFIX.TID,
// as strace -ff -o PREFIX does (a Sink). It is safe for concurrent use.
//
// A file is created 0600 (or truncated) when its thread's first line comes.
// syscage does not learn when a traced thread ends, so it cannot close the
// file then, as strace does; instead at most splitMaxOpen() files are open
// at once. To open one more, the least recently used one is flushed and
// closed; its thread's next line to be written out (at Flush, or at once
// with FlushEachLine) reopens it to append, so the content is what it
// would have been without closing. Close flushes and closes every file.
type SplitOutput struct {
	// mu is held for the whole of each call, and so for any open or close:
	// every file's Output is used under it, the evicted file's included.
	// The supervisor makes one Sink call at a time anyway.
	mu     sync.Mutex
	prefix string
	opt    OutputOptions
	max    int
	files  map[int]*splitFile
	lru    *list.List // the open files, the most recently used first
	closed bool
	err    error
}

// splitFile is one thread's file, the io.Writer of its Output: a write
// reopens the file when it was closed. Its methods run under the
// SplitOutput's mu.
type splitFile struct {
	s       *SplitOutput
	name    string
	f       *os.File      // nil while closed
	elem    *list.Element // in s.lru while f is open
	created bool          // opened once: later opens append
	out     *Output       // kept across closes: -r counts from its last line
}

// NewSplitOutput returns a SplitOutput for files named prefix.TID, with
// opt for each file's lines (no pid prefix: the file name says it). It
// keeps at most splitMaxOpen() files open at once.
func NewSplitOutput(prefix string, opt OutputOptions) *SplitOutput {
	opt.FileStyle, opt.FollowPrefix = true, false
	return &SplitOutput{prefix: prefix, opt: opt, max: splitMaxOpen(), files: make(map[int]*splitFile), lru: list.New()}
}

// splitBuffer is the size of each thread's line buffer: a thread's
// Output lives as long as the run (syscage does not learn when a thread
// ends), so a program that starts 10,000 processes keeps 10,000 buffers.
// 4 KiB holds about 40 lines; with -o FILE's 64 KiB the heap held 640 MiB
// of buffers there, mostly never touched (measured peak RSS for 3,000
// children: 35.6 MiB with 64 KiB, 28.3 MiB with 4 KiB).
const splitBuffer = 4 << 10

// splitMaxOpen is how many trace files a SplitOutput keeps open: 64, or a
// quarter of RLIMIT_NOFILE's soft limit when that is lower (1 at least;
// the Go runtime has raised the soft limit to the hard one at start-up).
// The rest of the limit is left to the supervisor's own fds (the listener,
// pidfds, /proc/PID/mem files, sock_diag sockets) and the other outputs
// (--json-output, --report). Each thread's lines are buffered in its
// Output and a closed file is reopened only to write them out (at the
// supervisor's periodic flush), so with more busy threads than this the
// cost is about one open and close per thread and flush.
func splitMaxOpen() int {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		return 64
	}
	return int(max(1, min(64, rl.Cur/4)))
}

// output returns tid's Output, nil after Close; s.mu is held.
func (s *SplitOutput) output(tid int) *Output {
	if s.closed {
		return nil
	}
	sf := s.files[tid]
	if sf == nil {
		sf = &splitFile{s: s, name: fmt.Sprintf("%s.%d", s.prefix, tid)}
		sf.out = newOutputSize(sf, s.opt, splitBuffer)
		sf.out.Start(tid) // one thread per file: never a prefix
		s.files[tid] = sf
		s.keep(sf.open())
	}
	return sf.out
}

// keep records err if it is the first; s.mu is held.
func (s *SplitOutput) keep(err error) {
	if err != nil && s.err == nil {
		s.err = err
	}
}

// open opens the file, closing the least recently used one first when
// s.max are open; s.mu is held.
func (sf *splitFile) open() error {
	s := sf.s
	for s.lru.Len() >= s.max {
		s.evict(s.lru.Back().Value.(*splitFile))
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if sf.created {
		// Not O_CREATE: a file removed meanwhile is an error, not a new
		// file holding only the trace's tail.
		flag = os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(sf.name, flag, 0o600)
	if err != nil {
		return err
	}
	sf.f, sf.created = f, true
	sf.elem = s.lru.PushFront(sf)
	return nil
}

// Write writes p to the file, reopening it first when it was closed. An
// open or write error is kept for Flush and Close, and returned: the
// Output then drops the thread's later lines.
func (sf *splitFile) Write(p []byte) (int, error) {
	s := sf.s
	if sf.f == nil {
		if err := sf.open(); err != nil {
			s.keep(err)
			return 0, err
		}
	} else {
		s.lru.MoveToFront(sf.elem)
	}
	n, err := sf.f.Write(p)
	s.keep(err)
	return n, err
}

// evict flushes sf's buffered lines and closes its file; s.mu is held.
// sf is not the file being opened (that one is not open), so its Output's
// lock is free.
func (s *SplitOutput) evict(sf *splitFile) {
	s.keep(sf.out.Flush())
	s.lru.Remove(sf.elem)
	s.keep(sf.f.Close())
	sf.f, sf.elem = nil, nil
}

func (s *SplitOutput) Start(int) {}

func (s *SplitOutput) Call(ev *Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if out := s.output(ev.Tid); out != nil {
		out.Call(ev)
	}
}

func (s *SplitOutput) Signal(pid, tid int, sig syscall.Signal, sender, uid int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if out := s.output(tid); out != nil {
		out.Signal(pid, tid, sig, sender, uid)
	}
}

func (s *SplitOutput) Exit(pid int, ws syscall.WaitStatus, last bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if out := s.output(pid); out != nil {
		out.Exit(pid, ws, true)
	}
}

// Flush writes out every file's buffered lines, opening (and so closing)
// files as needed, and reports the first open, write or close error.
func (s *SplitOutput) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sf := range s.files {
		s.keep(sf.out.Flush())
	}
	return s.err
}

// Close flushes and closes every file, and reports the first error. Lines
// that come after it are dropped.
func (s *SplitOutput) Close() error {
	_ = s.Flush() // its error is kept in s.err
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.lru.Len() > 0 {
		s.evict(s.lru.Back().Value.(*splitFile))
	}
	s.closed = true
	return s.err
}
