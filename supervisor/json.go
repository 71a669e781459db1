package supervisor

import (
	"bufio"
	"encoding/json"
	"io"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/inject"
)

// JSONOutput writes one JSON object per line (JSON Lines), a Sink. The
// schema is docs/json.md; each object has "event": "call", "signal" or
// "exit". It is safe for concurrent use.
type JSONOutput struct {
	mu        sync.Mutex
	w         *bufio.Writer
	enc       *json.Encoder
	flushEach bool
	err       error
}

// jsonTime is the "time" of every JSON event: RFC 3339 in UTC with all
// nine digits of the nanoseconds (time.RFC3339Nano drops trailing zeros),
// so that the times sort as strings and have one width.
const jsonTime = "2006-01-02T15:04:05.000000000Z07:00"

// NewJSONOutput returns a JSONOutput writing to w; flushEach writes every
// object through at once. The caller owns w.
func NewJSONOutput(w io.Writer, flushEach bool) *JSONOutput {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONOutput{w: bw, enc: enc, flushEach: flushEach}
}

// JSONCall is the object of one call (docs/json.md).
type JSONCall struct {
	Event      string       `json:"event"` // "call"
	Time       string       `json:"time"`  // RFC 3339 with nanoseconds
	Pid        int          `json:"pid"`
	Tid        int          `json:"tid"`
	Arch       string       `json:"arch"` // x86_64, i386, aarch64
	Syscall    string       `json:"syscall"`
	Nr         int32        `json:"nr"`
	Args       []decode.Arg `json:"args"`
	Text       string       `json:"text"`
	Result     string       `json:"result"`
	Action     string       `json:"action"` // continue, error, retval, delay, signal, kill
	Errno      string       `json:"errno,omitempty"`
	Retval     *int64       `json:"retval,omitempty"`
	DelayNs    int64        `json:"delay_ns,omitempty"`
	Signal     string       `json:"signal,omitempty"`
	DryRun     bool         `json:"dry_run,omitempty"`
	Rule       string       `json:"rule,omitempty"`
	Scenario   string       `json:"scenario,omitempty"`
	DurationNs int64        `json:"duration_ns"`
}

// archName is the name of an AUDIT_ARCH_* value (linux/audit.h).
func archName(a uint32) string {
	switch a {
	case unix.AUDIT_ARCH_X86_64:
		return "x86_64"
	case unix.AUDIT_ARCH_I386:
		return "i386"
	case unix.AUDIT_ARCH_AARCH64:
		return "aarch64"
	}
	return "0x" + string(appendHex(nil, uint64(a)))
}

func appendHex(b []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	if v >= 16 {
		b = appendHex(b, v>>4)
	}
	return append(b, digits[v&15])
}

// actionName is the decision's main action, as the JSON schema names it.
func actionName(d inject.Decision) string {
	switch {
	case d.Action == inject.Kill:
		return "kill"
	case d.Action == inject.Error:
		return "error"
	case d.Action == inject.Retval:
		return "retval"
	case d.Signal != 0:
		return "signal"
	case d.Delay+d.DelayExit > 0:
		return "delay"
	}
	return "continue"
}

func (j *JSONOutput) Start(int) {}

func (j *JSONOutput) Call(ev *Event) {
	d := ev.Decision
	c := JSONCall{
		Event: "call", Time: ev.Time.UTC().Format(jsonTime), Pid: ev.Pid, Tid: ev.Tid,
		Arch: archName(ev.Arch), Syscall: ev.Name, Nr: ev.Nr, Args: ev.Args, Text: ev.Text,
		Result: ev.Result, Action: actionName(d), DryRun: ev.DryRun,
		DelayNs: int64(d.Delay + d.DelayExit), DurationNs: int64(ev.Duration),
	}
	if d.Action == inject.Error {
		c.Errno = unix.ErrnoName(syscall.Errno(d.Errno))
	}
	if d.Action == inject.Retval {
		v := d.Retval
		c.Retval = &v
	}
	if d.Signal != 0 {
		c.Signal = decode.SignalName(d.Signal)
	}
	if d.Rule != nil {
		c.Rule = d.Rule.Name
		if d.Rule.Scenario != nil {
			c.Scenario = d.Rule.Scenario.Name
		}
	}
	j.encode(c)
}

func (j *JSONOutput) Signal(pid, tid int, sig syscall.Signal, sender, uid int) {
	j.encode(struct {
		Event  string `json:"event"`
		Time   string `json:"time"`
		Pid    int    `json:"pid"`
		Tid    int    `json:"tid"`
		Signal string `json:"signal"`
		Sender int    `json:"sender_pid"`
	}{"signal", time.Now().UTC().Format(jsonTime), pid, tid, decode.SignalName(sig), sender})
}

func (j *JSONOutput) Exit(pid int, ws syscall.WaitStatus, last bool) {
	type exit struct {
		Event      string `json:"event"`
		Time       string `json:"time"`
		Pid        int    `json:"pid"`
		ExitStatus *int   `json:"exit_status,omitempty"`
		Signal     string `json:"signal,omitempty"`
		CoreDumped bool   `json:"core_dumped,omitempty"`
	}
	e := exit{Event: "exit", Time: time.Now().UTC().Format(jsonTime), Pid: pid}
	switch {
	case ws.Exited():
		code := ws.ExitStatus()
		e.ExitStatus = &code
	case ws.Signaled():
		e.Signal = decode.SignalName(ws.Signal())
		e.CoreDumped = ws.CoreDump()
	default:
		return
	}
	j.encode(e)
}

func (j *JSONOutput) encode(v any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return
	}
	if j.err = j.enc.Encode(v); j.err == nil && j.flushEach {
		j.err = j.w.Flush()
	}
}

func (j *JSONOutput) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.w.Flush(); err != nil && j.err == nil {
		j.err = err
	}
	return j.err
}
