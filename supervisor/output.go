package supervisor

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/syscage/syscage/decode"
)

// resultColumn is where strace starts " = ": its -a default (acolumn 40).
const resultColumn = 40

// Output writes trace lines in strace's format (a Sink). It is safe for
// concurrent use; each line is written whole.
//
// Lines carry a pid prefix as strace's do: "[pid  1234] " on a terminal or
// pipe once a thread other than the launched one has been seen; in a file
// (-o) "1234  ", on every line when FollowPrefix is set (strace -f -o).
type Output struct {
	mu    sync.Mutex
	w     *bufio.Writer
	opt   OutputOptions
	first int
	multi bool
	last  time.Time // the previous line's time, for -r
	buf   []byte
	err   error
}

// Timestamps are strace's -t options.
type Timestamps int

const (
	NoTimestamps   Timestamps = iota
	TimeOfDay                 // -t: 15:04:05
	TimeOfDayMicro            // -tt: 15:04:05.000000
	EpochMicro                // -ttt: 1700000000.000000
)

// OutputOptions say how lines are prefixed, stamped and flushed.
type OutputOptions struct {
	// FileStyle selects strace's -o prefix ("1234  ") over "[pid  1234] ".
	FileStyle bool
	// FollowPrefix prefixes every line with the pid, as strace -f -o does.
	FollowPrefix bool
	// FlushEachLine writes every line through at once (for a terminal or
	// pipe); otherwise lines are buffered until Flush.
	FlushEachLine bool
	// Timestamps (-t, -tt, -ttt) and Relative (-r: seconds since the
	// previous line, "     0.000123 ") start each line; Durations (-T)
	// ends it with the time from notification to answer, " <0.000012>".
	Timestamps Timestamps
	Relative   bool
	Durations  bool
	// NoExitLines drops the "+++ exited with N +++" lines (strace -qq).
	NoExitLines bool
	// NoCalls drops the call lines (strace -c without -C).
	NoCalls bool
}

// NewOutput returns an Output writing to w. The caller owns w and closes it
// after Flush.
func NewOutput(w io.Writer, opt OutputOptions) *Output {
	return newOutputSize(w, opt, 64<<10)
}

// newOutputSize is NewOutput with a buffer of size bytes.
func newOutputSize(w io.Writer, opt OutputOptions, size int) *Output {
	return &Output{w: bufio.NewWriterSize(w, size), opt: opt}
}

// Start names the launched process: the lines of any other thread carry a
// pid prefix, as strace prefixes them once it traces more than one.
func (o *Output) Start(pid int) {
	o.mu.Lock()
	o.first = pid
	o.mu.Unlock()
}

// prefix appends the pid prefix for tid; o.mu is held.
func (o *Output) prefix(b []byte, tid int) []byte {
	if o.first == 0 {
		o.first = tid
	} else if tid != o.first {
		o.multi = true
	}
	if o.opt.FileStyle && o.opt.FollowPrefix || o.multi {
		var digits [20]byte
		s := strconv.AppendInt(digits[:0], int64(tid), 10)
		if o.opt.FileStyle {
			b = append(b, s...)
			for i := len(s); i < 5; i++ {
				b = append(b, ' ')
			}
			return append(b, ' ')
		}
		b = append(b, "[pid "...)
		for i := len(s); i < 5; i++ {
			b = append(b, ' ')
		}
		b = append(b, s...)
		b = append(b, "] "...)
	}
	return b
}

// stamp appends the -t/-tt/-ttt or -r stamp for a line at t; o.mu is held.
func (o *Output) stamp(b []byte, t time.Time) []byte {
	switch o.opt.Timestamps {
	case TimeOfDay:
		b = t.AppendFormat(b, "15:04:05 ")
	case TimeOfDayMicro:
		b = t.AppendFormat(b, "15:04:05.000000 ")
	case EpochMicro:
		b = appendSecMicro(b, t.Unix(), int64(t.Nanosecond()/1000), 0)
		b = append(b, ' ')
	}
	if o.opt.Relative {
		// Lines go out in answer order, stamped with when their call was
		// received: a call answered after a delay can be older than the
		// line before it. Its gap prints as 0.
		var d time.Duration
		if !o.last.IsZero() {
			d = max(t.Sub(o.last), 0)
		}
		if t.After(o.last) {
			o.last = t
		}
		// strace 6.1: "     0.000308 " alone, "19:39:46 (+     0.000308) "
		// after a -t/-tt/-ttt stamp.
		if o.opt.Timestamps != NoTimestamps {
			b = append(b, "(+"...)
		}
		b = appendSecMicro(b, int64(d/time.Second), int64((d%time.Second)/time.Microsecond), 6)
		if o.opt.Timestamps != NoTimestamps {
			b = append(b, ')')
		}
		b = append(b, ' ')
	}
	return b
}

// appendSecMicro appends C's "%*d.%06d" of sec (padded with spaces to
// width) and usec.
func appendSecMicro(b []byte, sec, usec int64, width int) []byte {
	var digits [20]byte
	s := strconv.AppendInt(digits[:0], sec, 10)
	for i := len(s); i < width; i++ {
		b = append(b, ' ')
	}
	b = append(append(b, s...), '.')
	u := strconv.AppendInt(digits[:0], usec, 10)
	for i := len(u); i < 6; i++ {
		b = append(b, '0')
	}
	return append(b, u...)
}

// Call writes one call line.
func (o *Output) Call(ev *Event) {
	if o.opt.NoCalls {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	b := o.prefix(o.buf[:0], ev.Tid)
	b = o.stamp(b, ev.Time)
	b = append(b, ev.Text...)
	b = append(b, ' ')
	// strace pads to the column counting the whole line, prefix included.
	for len(b) < resultColumn {
		b = append(b, ' ')
	}
	b = append(b, "= "...)
	b = append(b, ev.Result...)
	if o.opt.Durations {
		d := ev.Duration
		b = appendSecMicro(append(b, " <"...), int64(d/time.Second), int64((d%time.Second)/time.Microsecond), 0)
		b = append(b, '>')
	}
	b = append(b, '\n')
	o.write(b)
}

// Signal writes strace's line for a signal syscage sent with tgkill(2):
// "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=1, si_uid=0} ---".
func (o *Output) Signal(pid, tid int, sig syscall.Signal, sender, uid int) {
	if o.opt.NoCalls || sig == syscall.SIGKILL {
		// strace never prints SIGKILL's line: the tracee does not stop to
		// take it (its +++ killed by SIGKILL +++ line follows).
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	name := decode.SignalName(sig)
	b := o.prefix(o.buf[:0], tid)
	b = o.stamp(b, time.Now())
	b = fmt.Appendf(b, "--- %s {si_signo=%s, si_code=SI_TKILL, si_pid=%d, si_uid=%d} ---\n", name, name, sender, uid)
	o.write(b)
}

// Exit writes strace's last line for a process that ended with status ws:
// "+++ exited with 0 +++" or "+++ killed by SIGKILL +++". last says no
// other traced process remains: strace then drops the "[pid N] " prefix.
func (o *Output) Exit(pid int, ws syscall.WaitStatus, last bool) {
	if o.opt.NoExitLines || o.opt.NoCalls {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var b []byte
	if last && !(o.opt.FileStyle && o.opt.FollowPrefix) {
		b = o.buf[:0]
	} else {
		b = o.prefix(o.buf[:0], pid)
	}
	b = o.stamp(b, time.Now())
	switch {
	case ws.Exited():
		b = fmt.Appendf(b, "+++ exited with %d +++\n", ws.ExitStatus())
	case ws.Signaled():
		core := ""
		if ws.CoreDump() {
			core = " (core dumped)"
		}
		b = fmt.Appendf(b, "+++ killed by %s%s +++\n", decode.SignalName(ws.Signal()), core)
	default:
		return
	}
	o.write(b)
}

func (o *Output) write(b []byte) {
	o.buf = b
	if o.err != nil {
		return
	}
	// Whole lines only reach the file: a flush never ends mid-line.
	if o.w.Available() < len(b) {
		if err := o.w.Flush(); err != nil {
			o.err = err
			return
		}
	}
	if _, err := o.w.Write(b); err != nil {
		o.err = err
		return
	}
	if o.opt.FlushEachLine {
		o.err = o.w.Flush()
	}
}

// Flush writes out buffered lines and reports the first write error.
func (o *Output) Flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.w.Flush(); err != nil && o.err == nil {
		o.err = err
	}
	return o.err
}
