package supervisor

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// resultColumn is where strace starts " = ": its -a default (acolumn 40).
const resultColumn = 40

// Output writes trace lines in strace's format. It is safe for concurrent
// use; each line is written whole.
//
// Lines carry a pid prefix as strace's do: once more than one thread has
// been seen, "[pid  1234] " on a terminal or pipe; in a file (-o) "1234  ",
// on every line when FollowPrefix is set (strace -f -o) and otherwise once
// more than one thread has been seen.
type Output struct {
	mu        sync.Mutex
	w         *bufio.Writer
	flushEach bool
	fileStyle bool
	always    bool
	first     int
	multi     bool
	buf       []byte
	err       error
}

// OutputOptions say how lines are prefixed and flushed.
type OutputOptions struct {
	// FileStyle selects strace's -o prefix ("1234  ") over "[pid  1234] ".
	FileStyle bool
	// FollowPrefix prefixes every line with the pid, as strace -f -o does.
	FollowPrefix bool
	// FlushEachLine writes every line through at once (for a terminal or
	// pipe); otherwise lines are buffered until Flush.
	FlushEachLine bool
}

// NewOutput returns an Output writing to w. The caller owns w and closes it
// after Flush.
func NewOutput(w io.Writer, opt OutputOptions) *Output {
	return &Output{
		w:         bufio.NewWriterSize(w, 64<<10),
		flushEach: opt.FlushEachLine,
		fileStyle: opt.FileStyle,
		always:    opt.FileStyle && opt.FollowPrefix,
	}
}

// setLeader names the launched process: the lines of any other thread
// carry a pid prefix, as strace prefixes them once it traces more than one.
func (o *Output) setLeader(pid int) {
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
	if !o.always && !o.multi {
		return b
	}
	if o.fileStyle {
		s := strconv.Itoa(tid)
		b = append(b, s...)
		for i := len(s); i < 5; i++ {
			b = append(b, ' ')
		}
		return append(b, ' ')
	}
	s := strconv.Itoa(tid)
	b = append(b, "[pid "...)
	for i := len(s); i < 5; i++ {
		b = append(b, ' ')
	}
	b = append(b, s...)
	return append(b, "] "...)
}

// Call writes one call: text is the decoded call (what comes before " = "),
// result what comes after it ("?", "-1 ENOENT (No such file or directory) (INJECTED)").
func (o *Output) Call(tid int, text, result string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.call(tid, text, result)
}

// hold takes the output until the returned function writes the call's
// line with its result: no other line can come in between.
func (o *Output) hold(tid int, text string) func(result string) {
	o.mu.Lock()
	return func(result string) {
		defer o.mu.Unlock()
		o.call(tid, text, result)
	}
}

func (o *Output) call(tid int, text, result string) {
	b := o.prefix(o.buf[:0], tid)
	b = append(b, text...)
	b = append(b, ' ')
	for len(b) < resultColumn {
		b = append(b, ' ')
	}
	b = append(b, "= "...)
	b = append(b, result...)
	b = append(b, '\n')
	o.write(b)
}

// Signal writes strace's line for a signal syscage sent to tid with
// tgkill(2): "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=1, si_uid=0} ---".
func (o *Output) Signal(tid int, sig syscall.Signal, pid, uid int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	name := unix.SignalName(sig)
	b := o.prefix(o.buf[:0], tid)
	b = fmt.Appendf(b, "--- %s {si_signo=%s, si_code=SI_TKILL, si_pid=%d, si_uid=%d} ---\n", name, name, pid, uid)
	o.write(b)
}

// Exit writes strace's last line for a process that ended with status ws:
// "+++ exited with 0 +++" or "+++ killed by SIGKILL +++". last says no
// other traced process remains: strace then drops the "[pid N] " prefix.
func (o *Output) Exit(pid int, ws syscall.WaitStatus, last bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var b []byte
	if last && !o.always {
		b = o.buf[:0]
	} else {
		b = o.prefix(o.buf[:0], pid)
	}
	switch {
	case ws.Exited():
		b = fmt.Appendf(b, "+++ exited with %d +++\n", ws.ExitStatus())
	case ws.Signaled():
		core := ""
		if ws.CoreDump() {
			core = " (core dumped)"
		}
		b = fmt.Appendf(b, "+++ killed by %s%s +++\n", unix.SignalName(ws.Signal()), core)
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
	if o.flushEach {
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
