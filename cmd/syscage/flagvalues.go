package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// strace's output options count in their short form (-y, -yy) and take
// named values in their long form (--decode-fds=path,socket). These pflag
// Values take both: a bare flag adds one, as pflag's CountVar does, and
// a value sets the level its names give, so that strace users' long
// forms work. A name syscage does not print, such as --decode-fds=dev or a
// precision other than the one syscage prints, is an error (exit 2 before
// anything runs), never silently ignored.

// countMark is what pflag passes to Set for a flag given without a value
// (its NoOptDefVal): -y, --decode-fds, each y of -yy.
const countMark = "+1"

// namedLevel is a counted flag whose value may also be a comma-separated
// set of names, each standing for a level; the highest counts. none is 0.
type namedLevel struct {
	n        *int
	names    map[string]int
	want     string // the names, for the error
	maxCount int    // the most the short form counts to: -yyy is -yy
}

func (f *namedLevel) Set(s string) error {
	if s == countMark {
		*f.n = min(*f.n+1, f.maxCount)
		return nil
	}
	level := 0
	for _, name := range strings.Split(s, ",") {
		l, ok := f.names[name]
		if !ok {
			return fmt.Errorf("'%s' (want %s)", name, f.want)
		}
		level = max(level, l)
	}
	*f.n = level
	return nil
}

func (f *namedLevel) String() string { return strconv.Itoa(*f.n) }
func (f *namedLevel) Type() string   { return "count" }

// stringsInHex declares -x and --strings-in-hex. Unlike the other
// counted flags, the bare long form is not the short one: strace's
// --strings-in-hex is all (-xx), its -x non-ascii. So -x is a flag of its
// own, hidden, beside the long one. The levels are decode.Options.Hex's.
func stringsInHex(fs *pflag.FlagSet, n *int) {
	level := &namedLevel{n: n, maxCount: 2,
		names: map[string]int{"none": 0, "non-ascii": 1, "all": 2, "non-ascii-chars": 3},
		want:  "non-ascii, non-ascii-chars, all or none"}
	fs.VarPF(level, "strings-in-hex", "", "").NoOptDefVal = "all"
	short := fs.VarPF(level, "strings-in-hex-count", "x", "")
	short.NoOptDefVal = countMark
	short.Hidden = true
}

// decodeFDsValue is -y and --decode-fds=SET (and -e decode-fds=SET): path
// is -y, socket (or all) -yy. strace's dev and pidfd details syscage does
// not print.
func decodeFDsValue(n *int) *namedLevel {
	return &namedLevel{n: n, maxCount: 2, names: map[string]int{"none": 0, "path": 1, "socket": 2, "all": 2}, want: "path, socket, all or none"}
}

// Quiet bits: what -q, -qq, -qqq and --quiet=SET suppress (strace's
// message classes). syscage has no attach, personality or thread-execve
// messages; exit is the +++ exited line, path-resolution -P's "resolved
// into" line.
const (
	quietAttach = 1 << iota
	quietExit
	quietPath
	quietAll = quietAttach | quietExit | quietPath
)

// quietValue is --quiet: -q is attach and personality, -qq adds exit,
// -qqq is all; --quiet=SET names them.
type quietValue struct{ bits *int }

func (q quietValue) Set(s string) error {
	if s == countMark {
		switch {
		case *q.bits == 0:
			*q.bits = quietAttach
		case *q.bits&quietExit == 0:
			*q.bits |= quietExit
		default:
			*q.bits = quietAll
		}
		return nil
	}
	bits := 0
	for _, name := range strings.Split(s, ",") {
		switch name {
		case "attach", "personality", "thread-execve", "superseded":
			bits |= quietAttach
		case "exit", "exited":
			bits |= quietExit
		case "path-resolution":
			bits |= quietPath
		case "all":
			bits = quietAll
		case "none":
		default:
			return fmt.Errorf("'%s' (want attach, personality, exit, path-resolution, thread-execve, all or none)", name)
		}
	}
	*q.bits = bits
	return nil
}

func (q quietValue) String() string { return strconv.Itoa(*q.bits) }
func (q quietValue) Type() string   { return "count" }

// timestampsValue is --absolute-timestamps: -t is the time of day, -tt
// with microseconds, -ttt seconds since the epoch with microseconds, and
// --absolute-timestamps=[[format:]FORMAT[,[precision:]PRECISION]] the
// same by name (strace's default precision is seconds). syscage prints
// these three; other combinations are refused.
type timestampsValue struct{ n *int }

func (t timestampsValue) Set(s string) error {
	if s == countMark {
		*t.n++
		return nil
	}
	format, precision := "time", "s"
	for _, part := range strings.Split(s, ",") {
		key, v, ok := strings.Cut(part, ":")
		if !ok {
			v = key
			switch key {
			case "none", "time", "unix":
				key = "format"
			default:
				key = "precision"
			}
		}
		switch key {
		case "format":
			format = v
		case "precision":
			precision = v
		default:
			return fmt.Errorf("'%s' (want [format:]none|time|unix and [precision:]s|us)", part)
		}
	}
	switch format + "," + precision {
	case "none,s", "none,us":
		*t.n = 0
	case "time,s":
		*t.n = 1
	case "time,us":
		*t.n = 2
	case "unix,us":
		*t.n = 3
	default:
		return fmt.Errorf("'%s': syscage prints time of day in seconds (-t) or microseconds (-tt), or unix time in microseconds (-ttt)", s)
	}
	return nil
}

func (t timestampsValue) String() string { return strconv.Itoa(*t.n) }
func (t timestampsValue) Type() string   { return "count" }

// usPrecision is -r and -T: on, and --flag=us (strace's default
// precision, the one syscage prints).
type usPrecision struct{ on *bool }

func (u usPrecision) Set(s string) error {
	switch s {
	case countMark, "us", "true":
		*u.on = true
	case "false":
		*u.on = false
	default:
		return fmt.Errorf("'%s': syscage prints microseconds (us)", s)
	}
	return nil
}

func (u usPrecision) String() string { return strconv.FormatBool(*u.on) }
func (u usPrecision) Type() string   { return "bool" }

// exprValue is -e: each value is kept for planRun, in order, except that
// -e quiet=SET and -e decode-fds=SET, strace's other spellings of --quiet
// and --decode-fds, take effect at once, so that whichever of the forms
// comes last wins, as it does for the flags themselves.
type exprValue struct{ opt *runOptions }

func (e *exprValue) Set(s string) error {
	q, v, _ := strings.Cut(s, "=")
	switch q {
	case "quiet", "q":
		if err := (quietValue{&e.opt.quiet}).Set(v); err != nil {
			return fmt.Errorf("quiet %v", err)
		}
	case "decode-fds":
		if err := decodeFDsValue(&e.opt.decodeFDs).Set(v); err != nil {
			return fmt.Errorf("decode-fds %v", err)
		}
	}
	e.opt.exprs = append(e.opt.exprs, s)
	return nil
}

func (e *exprValue) String() string { return strings.Join(e.opt.exprs, " ") }
func (e *exprValue) Type() string   { return "stringArray" }
