package inject

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/policy"
)

// This file parses strace's -e inject= and -e fault= expressions, following
// strace's src/filter_qualify.c (parse_inject_token, qualify_inject_common)
// and src/util.c (parse_ts), and checked against strace 6.1's answers.

// ExprScenarioName is the name (and file) of the scenario
// ScenarioFromExprs makes.
const ExprScenarioName = "-e inject"

// ErrUnsupported is wrapped by the error ParseInjectExpr returns for a
// token strace accepts and syscage cannot carry out (syscall=, poke_enter=,
// poke_exit=).
var ErrUnsupported = errors.New("not supported by syscage")

// ExprError is a rejected -e inject= or -e fault= expression. Its text is
// strace's: "invalid inject argument 'openat:error=EFOO'". Reason says
// what is wrong, for callers that want to say more than strace does.
type ExprError struct {
	// Qualifier is "inject" or "fault"; Value what followed "=".
	Qualifier, Value string
	// Reason is a short explanation ("unknown errno \"EFOO\"").
	Reason string
	// Err is ErrUnsupported for tokens syscage does not support, else nil.
	Err error
}

// Error returns strace's message for the expression, or for an unsupported
// token "inject argument 'VALUE': REASON: not supported by syscage".
func (e *ExprError) Error() string {
	if e.Err != nil {
		return e.Qualifier + " argument '" + e.Value + "': " + e.Reason + ": " + e.Err.Error()
	}
	return "invalid " + e.Qualifier + " argument '" + e.Value + "'"
}

// Unwrap returns Err.
func (e *ExprError) Unwrap() error { return e.Err }

// ParseInjectExpr parses the value of strace's -e inject=VALUE (qualifier
// "inject") or -e fault=VALUE (qualifier "fault"):
//
//	SET:error=ERRNO|retval=N[:signal=SIG][:delay_enter=DELAY][:delay_exit=DELAY][:when=EXPR]
//	SET[:error=ERRNO][:when=EXPR]                      (fault; error defaults to ENOSYS)
//
// with strace's syntax: SET is a trace expression (policy.ParseTrace:
// names, %classes, numbers, /regex, ?optional, a leading ! to negate, all,
// none); tokens are split on ':' with empty ones skipped; ERRNO is a name
// in any case or 1..4095; N is a C integer (0x1f, 010, -1 wraps to
// 2^64-1); SIG a name with or without SIG in any case, SIGRTMIN, SIGRT_n,
// or 1..64; DELAY a number with s, ms, us or ns, bare numbers being
// microseconds; EXPR strace's when (first[..last][+[step]]). At least one
// of error, retval, signal, delay_enter and delay_exit is needed for
// inject; error and retval exclude each other; a token given twice is an
// error except when=, where the last one counts.
//
// It returns one rule, or none for a SET that selects nothing ("none").
// The rule is named "QUALIFIER=VALUE", counts per syscall (PerSyscall)
// and per process, and matches its syscalls on every arch syscage
// decodes. Errors are strace's: *ExprError ("invalid inject argument
// '...'") for a bad token or a missing action, policy's ("invalid system
// call 'foo'") for a bad SET. Parse errors of tokens come before those of
// SET, as in strace.
func ParseInjectExpr(qualifier, value string) ([]*Rule, error) {
	if qualifier != "inject" && qualifier != "fault" {
		return nil, errors.New("invalid -e qualifier '" + qualifier + "' (want inject or fault)")
	}
	faultOnly := qualifier == "fault"
	bad := func(reason string) error {
		return &ExprError{Qualifier: qualifier, Value: value, Reason: reason}
	}
	r := &Rule{Name: qualifier + "=" + value, When: Always, PerSyscall: true}
	set := ""
	acted := false // strace counts delay_enter=0 as an action
	if value != "" && value[0] != ':' {
		tokens := strings.Split(value, ":")
		set = tokens[0]
		seen := map[string]bool{}
		for _, tok := range tokens[1:] {
			if tok == "" {
				continue
			}
			key, val, _ := strings.Cut(tok, "=")
			if !strings.Contains(tok, "=") {
				return nil, bad("unknown token " + strconv.Quote(tok))
			}
			if faultOnly && key != "when" && key != "error" && key != "syscall" {
				return nil, bad(key + "= is not a fault token (want error=, when=)")
			}
			dup := seen[key]
			seen[key] = true
			switch key {
			case "when":
				w, ok := parseWhenStrace(val)
				if !ok {
					return nil, bad("bad when " + strconv.Quote(val) + " (want first[..last][+[step]], first and step 1..65535, last first..65534)")
				}
				r.When = w
			case "error", "retval":
				if seen["error"] && seen["retval"] || dup {
					return nil, bad("error= and retval= given together, or one twice")
				}
				if key == "error" {
					e, ok := parseStraceErrno(val)
					if !ok {
						return nil, bad("unknown errno " + strconv.Quote(val))
					}
					r.Errno = e
					break
				}
				v, ok := parseStraceULL(val)
				if !ok {
					return nil, bad("bad retval " + strconv.Quote(val))
				}
				r.Retval, r.HasRetval = int64(v), true
				r.warnings = retvalWarnings(v)
			case "signal":
				if dup {
					return nil, bad("signal= given twice")
				}
				sig, ok := signalByName(val)
				if !ok {
					return nil, bad("unknown signal " + strconv.Quote(val))
				}
				r.Signal = sig
			case "delay_enter", "delay_exit":
				if dup {
					return nil, bad(key + "= given twice")
				}
				d, ok := parseStraceDelay(val)
				if !ok {
					return nil, bad("bad delay " + strconv.Quote(val) + " (want a number of microseconds, or with s, ms, us or ns)")
				}
				acted = true
				if key == "delay_enter" {
					r.Delay = d
				} else {
					r.DelayExit = d
				}
			case "syscall":
				return nil, &ExprError{Qualifier: qualifier, Value: value, Err: ErrUnsupported,
					Reason: "syscall= (running another syscall in place of the call)"}
			case "poke_enter", "poke_exit":
				return nil, &ExprError{Qualifier: qualifier, Value: value, Err: ErrUnsupported,
					Reason: key + "= (writing tracee memory)"}
			default:
				return nil, bad("unknown token " + strconv.Quote(tok))
			}
		}
	}
	ts, err := policy.ParseTrace(set)
	if err != nil {
		return nil, err
	}
	if r.Errno == 0 && !r.HasRetval && r.Signal == 0 && !acted {
		if !faultOnly {
			return nil, bad("no action; want error=, retval=, signal=, delay_enter= or delay_exit=")
		}
		r.Errno = int(unix.ENOSYS)
	}
	// A set that selects no named syscall ("none", "!all", "!/") gives
	// no rule; a negated set's unnamed numbers are not matched.
	r.Syscalls = ts.Names()
	if len(r.Syscalls) == 0 {
		return nil, nil
	}
	return []*Rule{r}, nil
}

// ScenarioFromExprs wraps rules from ParseInjectExpr, in the order the
// options were given, into one scenario named ExprScenarioName that the
// caller appends to its scenario files' (so files' rules come first). It
// returns nil for no rules.
func ScenarioFromExprs(rules []*Rule) *Scenario {
	if len(rules) == 0 {
		return nil
	}
	s := &Scenario{Name: ExprScenarioName, File: ExprScenarioName}
	for _, r := range rules {
		if r == nil {
			continue
		}
		r.Scenario = s
		s.Rules = append(s.Rules, r)
	}
	return s
}

// retvalWarnings are strace's warnings for a retval= that the caller may
// read as an error (check_inadvertent_fault_injection). The compat
// personality ones apply where a filter covers i386 (x86_64).
func retvalWarnings(v uint64) []string {
	if int64(v) < 0 && int64(v) >= -MaxErrno {
		return []string{"Inadvertent injection of error " + strconv.FormatInt(-int64(v), 10) +
			" is possible for retval=" + strconv.FormatUint(v, 10)}
	}
	if policy.NativeArch() != "x86_64" {
		return nil
	}
	if int32(v) < 0 && int32(v) >= -MaxErrno {
		return []string{"Inadvertent injection of error " + strconv.Itoa(-int(int32(v))) +
			" is possible in compat personality for retval=" + strconv.FormatUint(v, 10)}
	}
	if uint64(uint32(v)) != v {
		return []string{"Injected return value " + strconv.FormatUint(v, 10) +
			" will be clipped to " + strconv.FormatUint(uint64(uint32(v)), 10) + " in compat personality"}
	}
	return nil
}

// isCSpace is C's isspace in the C locale.
func isCSpace(c byte) bool {
	return c == ' ' || (c >= '\t' && c <= '\r')
}

// straceUint is strace's string_to_uint_ex: strtoll base 10 (leading
// blanks and a sign allowed), the value in 0..max, and what follows either
// empty or starting with a byte of accept.
func straceUint(s string, max uint64, accept string) (v uint64, rest string, ok bool) {
	if s == "" {
		return 0, "", false
	}
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	overflow := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		d := uint64(s[i] - '0')
		if v > (math.MaxInt64-d)/10 {
			overflow = true
		} else {
			v = v*10 + d
		}
		i++
	}
	if i == start || overflow || (neg && v != 0) || v > max {
		return 0, "", false
	}
	rest = s[i:]
	if rest != "" && !strings.ContainsRune(accept, rune(rest[0])) {
		return 0, "", false
	}
	return v, rest, true
}

// parseWhenStrace parses when= as strace's parse_inject_token does; it
// differs from ParseWhen only in accepting strtoll's blanks and signs.
func parseWhenStrace(val string) (When, bool) {
	first, end, ok := straceUint(val, WhenMax, "+.")
	if !ok || first < 1 {
		return When{}, false
	}
	w := When{First: uint32(first), Last: LastInf}
	if strings.HasPrefix(end, ".") {
		if !strings.HasPrefix(end, "..") {
			return When{}, false
		}
		var last uint64
		last, end, ok = straceUint(end[2:], WhenMax, "+")
		if !ok || last < first || last == LastInf {
			return When{}, false
		}
		w.Last = uint32(last)
	}
	switch {
	case end == "" && w.Last == LastInf:
		w.Step = 0
	case end == "":
		w.Step = 1
	case end == "+":
		w.Step = 1
	default:
		step, _, ok := straceUint(end[1:], WhenMax, "")
		if !ok || step < 1 {
			return When{}, false
		}
		w.Step = uint32(step)
	}
	return w, true
}

// parseStraceErrno is error=: 1..4095 as strace's string_to_uint_upto, or
// a name in any case. syscage also takes the aliases decode.ErrnoByName
// knows (EWOULDBLOCK, ENOTSUP, EDEADLOCK), which strace 6.1 rejects.
func parseStraceErrno(val string) (int, bool) {
	if v, _, ok := straceUint(val, MaxErrno, ""); ok {
		return int(v), v >= 1
	}
	if val == "" || (val[0] >= '0' && val[0] <= '9') {
		return 0, false
	}
	e, ok := decode.ErrnoByName(strings.ToUpper(val))
	return e, ok && e >= 1 && e <= MaxErrno
}

// parseStraceULL is retval=: C's strtoull base 0 over the whole string
// (leading blanks, a sign that negates modulo 2^64, 0x hex, 0 octal),
// failing on overflow.
func parseStraceULL(s string) (uint64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	base := uint64(10)
	switch {
	case i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && hexDigit(s[i+2]) >= 0:
		base = 16
		i += 2
	case i < len(s) && s[i] == '0':
		base = 8
	}
	start := i
	var v uint64
	for ; i < len(s); i++ {
		d := hexDigit(s[i])
		if d < 0 || uint64(d) >= base {
			break
		}
		if v > (math.MaxUint64-uint64(d))/base {
			return 0, false // ERANGE
		}
		v = v*base + uint64(d)
	}
	if i == start || i != len(s) {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// parseStraceDelay is strace's parse_ts: an integer (strtoll, up to
// LLONG_MAX) or a C floating-point number, then a unit (s, ms, us, ns in
// any case; none is us). After an integer the unit must start with one of
// "smun" in lower case, as strace checks; 10MS is rejected and 1.5MS is
// not, as in strace. Values past time.Duration's range saturate.
func parseStraceDelay(s string) (time.Duration, bool) {
	floatLen := spanOf(s, "eE.-+0123456789")
	intLen := spanOf(s, "+0123456789")
	var unit string
	var f float64
	var iv uint64
	isFloat := floatLen > intLen
	if isFloat {
		num := strtodPrefix(s)
		if num == "" {
			return 0, false
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || v < 0 || underflows(num, v) {
			return 0, false
		}
		f, unit = v, s[len(num):]
	} else {
		var ok bool
		iv, unit, ok = straceUint(s, math.MaxInt64, "smun")
		if !ok {
			return 0, false
		}
	}
	var scale uint64
	switch strings.ToLower(unit) {
	case "":
		scale = uint64(time.Microsecond)
	case "s":
		scale = uint64(time.Second)
	case "ms":
		scale = uint64(time.Millisecond)
	case "us":
		scale = uint64(time.Microsecond)
	case "ns":
		scale = 1
	default:
		return 0, false
	}
	if isFloat {
		ns := f * float64(scale)
		if ns >= math.MaxInt64 {
			return math.MaxInt64, true
		}
		return time.Duration(ns), true
	}
	if iv > math.MaxInt64/scale {
		return math.MaxInt64, true
	}
	return time.Duration(iv * scale), true
}

// underflows reports whether glibc's strtod sets ERANGE for num, which
// parsed as v: a result below the smallest normal double, or 0 from
// digits that are not all zero. Go's ParseFloat reports neither.
func underflows(num string, v float64) bool {
	v = math.Abs(v)
	if v != 0 {
		return v < 0x1p-1022
	}
	mant, _, _ := strings.Cut(strings.ToLower(num), "e")
	return strings.Trim(mant, "+-0.") != ""
}

// spanOf is C's strspn.
func spanOf(s, set string) int {
	i := 0
	for i < len(s) && strings.IndexByte(set, s[i]) >= 0 {
		i++
	}
	return i
}

// strtodPrefix returns the longest prefix of s that C's strtod reads as a
// decimal number: sign, digits, optional fraction, optional exponent (an
// e not followed by digits is not part of it). "" when there is none.
func strtodPrefix(s string) string {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return ""
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	return s[:i]
}

// kernelSIGRTMIN and kernelSIGRTMAX are the kernel's real-time signal range
// (glibc reserves 32 and 33 and calls 34 SIGRTMIN; strace and the kernel
// do not).
const (
	kernelSIGRTMIN = 32
	kernelSIGRTMAX = 64
)

// signalByName is strace's sigstr_to_uint with its 1..64 check: a decimal
// number (leading digit, no sign), or a name in any case with or without
// SIG: the names of golang.org/x/sys/unix for 1..31 (SIGIO, not SIGPOLL),
// RTMIN for 32, RT_1..RT_32 for 33..64.
func signalByName(s string) (syscall.Signal, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		v, _, ok := straceUint(s, 255, "")
		if !ok || v < 1 || v > kernelSIGRTMAX {
			return 0, false
		}
		return syscall.Signal(v), true
	}
	name := strings.ToUpper(s)
	name = strings.TrimPrefix(name, "SIG")
	if name == "RTMIN" {
		return kernelSIGRTMIN, true
	}
	if n, ok := strings.CutPrefix(name, "RT_"); ok {
		v, err := strconv.Atoi(n)
		if err != nil || n[0] < '0' || n[0] > '9' || v < 1 || v > kernelSIGRTMAX-kernelSIGRTMIN ||
			strconv.Itoa(v) != n {
			return 0, false
		}
		return syscall.Signal(kernelSIGRTMIN + v), true
	}
	if name == "" {
		return 0, false
	}
	sig := unix.SignalNum("SIG" + name)
	if sig < 1 || sig >= kernelSIGRTMIN {
		return 0, false
	}
	return sig, true
}
