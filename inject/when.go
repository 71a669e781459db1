package inject

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits of a when expression, as strace's (src/filter_qualify.c): First and
// Step are 1..WhenMax, a finite Last is First..WhenMax-1.
const (
	// WhenMax is the largest First and Step.
	WhenMax = 0xffff
	// LastInf as When.Last means the range has no end (strace's
	// INJECT_LAST_INF). A finite Last is therefore at most WhenMax-1.
	LastInf = 0xffff
)

// Always is the When of a rule without a when key: it fires on every call,
// like strace's default of 1..INF+1. The zero When behaves the same.
var Always = When{First: 1, Last: LastInf, Step: 1}

// When selects which of a rule's matching calls fire, with the meaning of
// strace's -e inject=...:when=first[..last][+[step]]. Calls are numbered from
// 1, per process and per rule.
//
//	first         only call first                  First=f Last=LastInf Step=0
//	first+        call first and every later one   First=f Last=LastInf Step=1
//	first+step    first, first+step, ...           First=f Last=LastInf Step=s
//	first..last   first through last, inclusive    First=f Last=l       Step=1
//	first..last+step  as first+step, up to last    First=f Last=l       Step=s
//
// The zero When fires on every call (the default, as Always). Any other
// When with First 0 never fires, as in strace.
type When struct {
	// First is the 1-based number of the first call that fires.
	First uint32
	// Last is the number of the last call that may fire (inclusive), or
	// LastInf for no end.
	Last uint32
	// Step is the distance between two calls that fire; 0 means only First.
	Step uint32
}

// Fires reports whether the n-th matching call (1-based) fires. n = 0 never
// fires. Numbers past WhenMax are fine: with Last = LastInf the range never
// ends, as strace's counter does not.
func (w When) Fires(n uint64) bool {
	if w == (When{}) {
		w = Always
	}
	if n == 0 || w.First == 0 || n < uint64(w.First) {
		return false
	}
	if w.Last != LastInf && n > uint64(w.Last) {
		return false
	}
	if w.Step == 0 {
		return n == uint64(w.First)
	}
	return (n-uint64(w.First))%uint64(w.Step) == 0
}

// String returns w in strace's when= syntax, in its shortest form: "3",
// "3+", "3+2", "3..5", "3..9+2". The zero When prints as "1+".
func (w When) String() string {
	if w == (When{}) {
		w = Always
	}
	var b strings.Builder
	b.WriteString(strconv.FormatUint(uint64(w.First), 10))
	if w.Last != LastInf {
		if w.Step == 0 {
			// Only First can fire (or nothing, when Last < First):
			// strace has no other spelling for it.
			return b.String()
		}
		b.WriteString("..")
		b.WriteString(strconv.FormatUint(uint64(w.Last), 10))
		if w.Step != 1 {
			b.WriteString("+")
			b.WriteString(strconv.FormatUint(uint64(w.Step), 10))
		}
		return b.String()
	}
	switch w.Step {
	case 0:
	case 1:
		b.WriteString("+")
	default:
		b.WriteString("+")
		b.WriteString(strconv.FormatUint(uint64(w.Step), 10))
	}
	return b.String()
}

// ParseWhen parses strace's when= expression first[..last][+[step]]. It
// accepts what strace accepts (first and step 1..65535, last first..65534)
// except that numbers are plain decimal digits: no sign or blanks. The
// error says what is wrong with s; there is no default for "": a missing
// when is Always.
func ParseWhen(s string) (When, error) {
	fail := func(format string, args ...any) (When, error) {
		return When{}, fmt.Errorf("bad when %q: %s (want first[..last][+[step]])", s, fmt.Sprintf(format, args...))
	}
	first, rest, ok := leadingNumber(s)
	if !ok {
		return fail("no first number")
	}
	if first < 1 || first > WhenMax {
		return fail("first must be 1..%d", WhenMax)
	}
	w := When{First: uint32(first), Last: LastInf}
	if strings.HasPrefix(rest, "..") {
		var last uint64
		last, rest, ok = leadingNumber(rest[2:])
		if !ok {
			return fail("no number after ..")
		}
		if last < first || last >= LastInf {
			return fail("last must be %d..%d", first, LastInf-1)
		}
		w.Last = uint32(last)
	}
	switch {
	case rest == "":
		// "F" fires once; "F..L" every call in the range.
		if w.Last != LastInf {
			w.Step = 1
		}
		return w, nil
	case rest[0] != '+':
		return fail("unexpected %q", rest)
	case rest == "+":
		w.Step = 1
		return w, nil
	}
	step, tail, ok := leadingNumber(rest[1:])
	if !ok || tail != "" {
		return fail("step must be a number")
	}
	if step < 1 || step > WhenMax {
		return fail("step must be 1..%d", WhenMax)
	}
	w.Step = uint32(step)
	return w, nil
}

// leadingNumber splits s after its leading decimal digits and returns their
// value, saturated above WhenMax so huge inputs fail the range checks.
func leadingNumber(s string) (v uint64, rest string, ok bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		v = v*10 + uint64(s[i]-'0')
		if v > WhenMax {
			v = WhenMax + 1
		}
		i++
	}
	return v, s[i:], i > 0
}
