package supervisor

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSplitOutputReopens writes the lines of five times more threads than
// a SplitOutput keeps files open, from four goroutines at once, round after
// round, while Flush runs alongside: files are closed and reopened all the
// time. Between calls no more than the bound are open; each file holds
// exactly its thread's lines, with -r gaps that count from the thread's
// previous line across every reopen.
func TestSplitOutputReopens(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  OutputOptions
	}{
		{"each line written through", OutputOptions{Relative: true, FlushEachLine: true}},
		{"buffered, flushed meanwhile", OutputOptions{Relative: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := NewSplitOutput(filepath.Join(dir, "t"), tc.opt)
			if s.max < 1 || s.max > 64 {
				t.Fatalf("bound %d, want 1 to 64", s.max)
			}
			const writers, rounds = 4, 3
			tids := 5 * s.max
			// Line n of a thread comes n² ms after its first: a gap of
			// 2n-1 ms from the line before.
			at := time.Date(2026, 11, 29, 19, 0, 5, 0, time.UTC)
			line := func(tid, n int) *Event {
				return &Event{Time: at.Add(time.Duration(n*n) * time.Millisecond), Pid: tid, Tid: tid,
					Name: "openat", Text: fmt.Sprintf(`openat(AT_FDCWD, "/x/%d.%d", O_RDONLY)`, tid, n), Result: "3"}
			}
			var (
				wg      sync.WaitGroup
				mu      sync.Mutex
				maxSeen int
			)
			check := func() {
				// Under s.mu no file opens or closes meanwhile: the fds
				// listed are the ones open.
				s.mu.Lock()
				n := openIn(t, dir)
				s.mu.Unlock()
				mu.Lock()
				maxSeen = max(maxSeen, n)
				mu.Unlock()
			}
			done := make(chan struct{})
			flushed := make(chan struct{})
			go func() {
				defer close(flushed)
				for {
					select {
					case <-done:
						return
					default:
					}
					if err := s.Flush(); err != nil {
						t.Errorf("Flush: %v", err)
						return
					}
					check()
				}
			}()
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for n := range rounds {
						// The threads of writer w: 1000+w, 1000+w+writers, ...
						for tid := 1000 + w; tid < 1000+tids; tid += writers {
							s.Call(line(tid, n))
							check()
						}
					}
				}()
			}
			wg.Wait()
			close(done)
			<-flushed
			if err := s.Flush(); err != nil {
				t.Fatal(err)
			}
			if n := openIn(t, dir); n != s.max {
				t.Errorf("%d files open after the last flush, want the bound %d", n, s.max)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if n := openIn(t, dir); n != 0 {
				t.Errorf("%d files open after Close", n)
			}
			if maxSeen > s.max {
				t.Errorf("%d files open at once, want at most %d", maxSeen, s.max)
			}
			s.Call(line(1000, rounds)) // after Close: dropped
			for tid := 1000; tid < 1000+tids; tid++ {
				var want strings.Builder
				for n := range rounds {
					gap := "0.000000"
					if n > 0 {
						gap = fmt.Sprintf("0.%06d", (2*n-1)*1000)
					}
					fmt.Fprintf(&want, `     %s openat(AT_FDCWD, "/x/%d.%d", O_RDONLY) = 3`+"\n", gap, tid, n)
				}
				b, err := os.ReadFile(filepath.Join(dir, "t."+strconv.Itoa(tid)))
				if err != nil {
					t.Fatal(err)
				}
				if string(b) != want.String() {
					t.Errorf("t.%d:\n got %q\nwant %q", tid, b, want.String())
				}
			}
		})
	}
}

// openIn counts this process's fds open on files in dir. It runs on any
// goroutine.
func openIn(t *testing.T, dir string) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Error(err)
		return 0
	}
	n := 0
	for _, e := range ents {
		// An fd closed meanwhile has no link to read.
		if target, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && strings.HasPrefix(target, dir+"/") {
			n++
		}
	}
	return n
}
