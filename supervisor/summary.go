package supervisor

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/syscage/syscage/inject"
)

// Summary counts calls per syscall for strace's -c table (a Sink): calls,
// errors syscage injected, and the time from notification to answer (a
// seccomp supervisor does not see the time spent in the kernel, which is
// what strace -c adds up). Write prints the table.
type Summary struct {
	mu   sync.Mutex
	rows map[string]*summaryRow
}

type summaryRow struct {
	name   string
	calls  uint64
	errors uint64
	time   time.Duration
}

// NewSummary returns an empty Summary.
func NewSummary() *Summary { return &Summary{rows: make(map[string]*summaryRow)} }

func (s *Summary) Start(int) {}

func (s *Summary) Call(ev *Event) {
	if ev.Name == "exit_group" || ev.Name == "exit" {
		return // never return: strace -c does not count them
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rows[ev.Name]
	if r == nil {
		name := strings.Clone(ev.Name) // ev's strings are not ours to keep
		r = &summaryRow{name: name}
		s.rows[name] = r
	}
	r.calls++
	r.time += ev.Duration
	if !ev.DryRun && ev.Decision.Action == inject.Error {
		r.errors++
	}
}

func (s *Summary) Signal(int, int, syscall.Signal, int, int) {}
func (s *Summary) Exit(int, syscall.WaitStatus, bool)        {}
func (s *Summary) Flush() error                              { return nil }

// Write prints the table as strace -c does, sorted as strace sorts by
// default: by time, most first (then by calls, then by name), with a
// total line.
func (s *Summary) Write(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.rows) == 0 {
		return nil // strace -c prints no table when it counted nothing
	}
	rows := make([]*summaryRow, 0, len(s.rows))
	var total summaryRow
	total.name = "total"
	for _, r := range s.rows {
		rows = append(rows, r)
		total.calls += r.calls
		total.errors += r.errors
		total.time += r.time
	}
	slices.SortFunc(rows, func(a, b *summaryRow) int {
		switch {
		case a.time != b.time:
			return compare(b.time, a.time)
		case a.calls != b.calls:
			return compare(b.calls, a.calls)
		}
		return compare(a.name, b.name)
	})
	const rule = "------ ----------- ----------- --------- --------- ----------------\n"
	if _, err := fmt.Fprintf(w, "%% time     seconds  usecs/call     calls    errors syscall\n%s", rule); err != nil {
		return err
	}
	line := func(r *summaryRow) error {
		pct := 0.0
		if total.time > 0 {
			pct = 100 * float64(r.time) / float64(total.time)
		}
		per := uint64(0)
		if r.calls > 0 {
			per = uint64(r.time.Seconds()*1e6/float64(r.calls) + 0.5)
		}
		errs := ""
		if r.errors > 0 {
			errs = fmt.Sprint(r.errors)
		}
		_, err := fmt.Fprintf(w, "%6.2f %11.6f %11d %9d %9s %s\n", pct, r.time.Seconds(), per, r.calls, errs, r.name)
		return err
	}
	for _, r := range rows {
		if err := line(r); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(w, rule); err != nil {
		return err
	}
	return line(&total)
}

func compare[T int | uint64 | string | time.Duration](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
