package supervisor

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/syscage/syscage/decode"
)

// TestOutputLine checks a call line with each prefix and stamp (the
// result at column 40 of the whole line, as strace pads it), and that
// writing it allocates nothing (a traced call's hot path).
func TestOutputLine(t *testing.T) {
	at := time.Date(2026, 11, 29, 19, 0, 5, 12_345_678, time.UTC)
	ev := &Event{Time: at, Duration: 1_500 * time.Microsecond, Pid: 4242, Tid: 4243,
		Name: "close", Text: "close(3)", Args: []decode.Arg{{Raw: 3, Text: "3"}}, Result: "?"}
	cases := []struct {
		name string
		opt  OutputOptions
		want string
	}{
		{"plain", OutputOptions{}, "[pid  4243] close(3)                    = ?\n"},
		{"-ttt -T", OutputOptions{Timestamps: EpochMicro, Durations: true},
			"[pid  4243] 1795978805.012345 close(3)  = ? <0.001500>\n"},
		{"-r", OutputOptions{Relative: true}, "[pid  4243]      0.000000 close(3)      = ?\n"},
		{"-t -r", OutputOptions{Timestamps: TimeOfDay, Relative: true}, "[pid  4243] 19:00:05 (+     0.000000) close(3) = ?\n"},
		{"-o -ff style", OutputOptions{FileStyle: true, FollowPrefix: true}, "4243  close(3)                          = ?\n"},
	}
	// -r with a line older than the one before (answered after a delay):
	// a gap of 0, and the next gap counts from the newer line.
	var buf bytes.Buffer
	o := NewOutput(&buf, OutputOptions{Relative: true})
	o.Start(4243)
	for _, at := range []time.Time{at, at.Add(-3 * time.Millisecond), at.Add(2 * time.Millisecond)} {
		e := *ev
		e.Time = at
		o.Call(&e)
	}
	_ = o.Flush()
	if want := "     0.000000 close(3)                  = ?\n     0.000000 close(3)                  = ?\n     0.002000 close(3)                  = ?\n"; buf.String() != want {
		t.Errorf("-r out of order:\n got %q\nwant %q", buf.String(), want)
	}
	for _, c := range cases {
		var buf bytes.Buffer
		o := NewOutput(&buf, c.opt)
		o.Start(4242)
		o.Call(ev)
		if err := o.Flush(); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
		o = NewOutput(io.Discard, c.opt)
		o.Start(4242)
		o.Call(ev) // grows the line buffer once
		if n := testing.AllocsPerRun(100, func() { o.Call(ev) }); n != 0 {
			t.Errorf("%s: %v allocations per line, want 0", c.name, n)
		}
	}
}

// TestJSONTime checks that a call's time keeps all nine digits of its
// nanoseconds, trailing zeros too (docs/json.md).
func TestJSONTime(t *testing.T) {
	var buf bytes.Buffer
	j := NewJSONOutput(&buf, false)
	at := time.Date(2026, 11, 29, 15, 49, 40, 390_000_000, time.FixedZone("CET", 3600))
	j.Call(&Event{Time: at, Pid: 1, Tid: 1, Name: "close", Text: "close(3)", Result: "?"})
	if err := j.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := `"time":"2026-11-29T14:49:40.390000000Z"`; !bytes.Contains(buf.Bytes(), []byte(want)) {
		t.Errorf("want %s in %s", want, buf.Bytes())
	}
}
