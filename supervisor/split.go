package supervisor

import (
	"fmt"
	"os"
	"sync"
	"syscall"
)

// SplitOutput writes each thread's lines to a file of its own, PREFIX.TID,
// as strace -ff -o PREFIX does (a Sink). Files are created 0600 when their
// first line comes and stay open until Close.
type SplitOutput struct {
	mu     sync.Mutex
	prefix string
	opt    OutputOptions
	files  map[int]*splitFile
	err    error
}

type splitFile struct {
	f   *os.File
	out *Output
}

// NewSplitOutput returns a SplitOutput for files named prefix.TID, with
// opt for each file's lines (no pid prefix: the file name says it).
func NewSplitOutput(prefix string, opt OutputOptions) *SplitOutput {
	opt.FileStyle, opt.FollowPrefix = true, false
	return &SplitOutput{prefix: prefix, opt: opt, files: make(map[int]*splitFile)}
}

func (s *SplitOutput) file(tid int) *Output {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sf := s.files[tid]; sf != nil {
		return sf.out
	}
	f, err := os.OpenFile(fmt.Sprintf("%s.%d", s.prefix, tid), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		if s.err == nil {
			s.err = err
		}
		return nil
	}
	out := NewOutput(f, s.opt)
	out.Start(tid) // one thread per file: never a prefix
	s.files[tid] = &splitFile{f: f, out: out}
	return out
}

func (s *SplitOutput) Start(int) {}

func (s *SplitOutput) Call(ev *Event) {
	if out := s.file(ev.Tid); out != nil {
		out.Call(ev)
	}
}

func (s *SplitOutput) Signal(pid, tid int, sig syscall.Signal, sender, uid int) {
	if out := s.file(tid); out != nil {
		out.Signal(pid, tid, sig, sender, uid)
	}
}

func (s *SplitOutput) Exit(pid int, ws syscall.WaitStatus, last bool) {
	if out := s.file(pid); out != nil {
		out.Exit(pid, ws, true)
	}
}

func (s *SplitOutput) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sf := range s.files {
		if err := sf.out.Flush(); err != nil && s.err == nil {
			s.err = err
		}
	}
	return s.err
}

// Close flushes and closes every file.
func (s *SplitOutput) Close() error {
	err := s.Flush()
	s.mu.Lock()
	defer s.mu.Unlock()
	for tid, sf := range s.files {
		sf.f.Close()
		delete(s.files, tid)
	}
	return err
}
