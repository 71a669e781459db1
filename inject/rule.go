package inject

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"golang.org/x/sys/unix"
	"gopkg.in/yaml.v3"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/policy"
)

// ruleKeys are the keys of a rule, in the order the docs list them.
var ruleKeys = []string{
	"name", "syscalls",
	"path", "fd_path", "flags", "address", "port", "family", "process", "args",
	"when", "after", "for", "scope", "probability",
	"error", "retval", "kill", "log", "delay", "delay_exit", "signal",
	"expect",
}

var (
	processKeys = []string{"comm", "exe", "pid"}
	argKeys     = []string{"index", "op", "value"}
	expectKeys  = []string{"min", "max"}
)

// commMax is the longest comm the kernel keeps (TASK_COMM_LEN - 1).
const commMax = 15

// rule parses the index-th (1-based) entry of rules.
func (p *parser) rule(n *yaml.Node, index int) *Rule {
	what := "rule " + strconv.Itoa(index)
	if n.Kind == yaml.MappingNode {
		// Name the rule in messages by its name key when it has a good one.
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
			if k.Value == "name" && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value != "" {
				what = "rule " + strconv.Quote(v.Value)
				break
			}
		}
	}
	m, ok := p.mapping(n, what, ruleKeys)
	if !ok {
		return nil
	}
	r := &Rule{Line: n.Line, Col: n.Column, When: Always}
	if e, ok := m["name"]; ok {
		if v, ok := p.str(e.val, what+": name"); ok {
			if strings.TrimSpace(v) == "" {
				p.at(e.val, "%s: name: empty", what)
			}
			r.Name = v
		}
	} else {
		p.at(n, "%s: missing name", what)
	}
	if e, ok := m["syscalls"]; ok {
		r.Syscalls = p.syscalls(e.val, what+": syscalls")
	} else {
		p.at(n, "%s: missing syscalls", what)
	}
	p.matchers(r, m, what)
	p.timing(r, m, what)
	p.actions(r, n, m, what)
	if e, ok := m["expect"]; ok {
		r.Expect = p.expect(e.val, what+": expect")
	}
	return r
}

// matchers parses the keys that say which calls a rule matches.
func (p *parser) matchers(r *Rule, m map[string]entry, what string) {
	if e, ok := m["path"]; ok {
		if v, ok := p.str(e.val, what+": path"); ok {
			if err := checkGlob(v); err != nil {
				p.at(e.val, "%s: path: %v", what, err)
			}
			r.Path = v
		}
	}
	if e, ok := m["fd_path"]; ok {
		if v, ok := p.str(e.val, what+": fd_path"); ok {
			if err := checkFDGlob(v); err != nil {
				p.at(e.val, "%s: fd_path: %v", what, err)
			}
			r.FDPath = v
		}
	}
	if e, ok := m["flags"]; ok {
		p.flags(r, e, what+": flags")
	}
	if e, ok := m["address"]; ok {
		p.address(r, e.val, what+": address")
	}
	if e, ok := m["port"]; ok {
		p.port(r, e.val, what+": port")
	}
	if e, ok := m["family"]; ok {
		if v, ok := p.str(e.val, what+": family"); ok {
			if f, ok := familyByName[v]; ok {
				r.Family, r.HasFamily = f, true
			} else {
				p.at(e.val, "%s: family: unknown family %q (want one of %s)", what, v, familyList)
			}
		}
	}
	if r.HasFamily {
		p.checkFamily(r, m["family"].val, what)
	}
	if e, ok := m["process"]; ok {
		p.process(r, e.val, what+": process")
	}
	if e, ok := m["args"]; ok {
		p.args(r, e.val, what+": args")
	}
}

// checkFamily rejects a family that contradicts the address or port.
func (p *parser) checkFamily(r *Rule, n *yaml.Node, what string) {
	inet := r.Family == unix.AF_INET || r.Family == unix.AF_INET6
	name := familyName(r.Family)
	switch {
	case r.HasAddress && !inet, r.Network.IsValid() && !inet:
		p.at(n, "%s: family %s cannot have an IP address", what, name)
	case r.HasAddress && r.Address.Is6() && r.Family == unix.AF_INET,
		r.Network.IsValid() && r.Network.Addr().Is6() && r.Family == unix.AF_INET:
		p.at(n, "%s: family %s cannot have an IPv6 address", what, name)
	case (r.UnixPath != "" || r.HasAbstract) && r.Family != unix.AF_UNIX:
		p.at(n, "%s: family %s cannot have a unix socket address", what, name)
	case r.Port != 0 && !inet:
		p.at(n, "%s: family %s has no ports", what, name)
	}
}

// timing parses when, after, for, scope and probability.
func (p *parser) timing(r *Rule, m map[string]entry, what string) {
	if e, ok := m["when"]; ok {
		v := e.val
		if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!str" && v.ShortTag() != "!!int") {
			p.at(v, "%s: when: want first[..last][+[step]], got %s", what, kindOf(v))
		} else if w, err := ParseWhen(v.Value); err != nil {
			p.at(v, "%s: when: %v", what, err)
		} else {
			r.When = w
		}
	}
	if e, ok := m["after"]; ok {
		if d, ok := p.duration(e.val, what+": after", true); ok {
			r.After = d
		}
	}
	if e, ok := m["for"]; ok {
		if d, ok := p.duration(e.val, what+": for", false); ok {
			r.For = d
		}
	}
	if e, ok := m["scope"]; ok {
		if v, ok := p.str(e.val, what+": scope"); ok {
			switch v {
			case "process":
				r.Scope = ScopeProcess
			case "thread":
				r.Scope = ScopeThread
			case "global":
				r.Scope = ScopeGlobal
			default:
				p.at(e.val, "%s: scope: unknown scope %q (want process, thread or global)", what, v)
			}
		}
	}
	if e, ok := m["probability"]; ok {
		v := e.val
		var f float64
		if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!float" && v.ShortTag() != "!!int") || v.Decode(&f) != nil {
			p.at(v, "%s: probability: want a number, got %s", what, kindOf(v))
		} else if !(f > 0 && f <= 1) {
			p.at(v, "%s: probability: %s out of range (want 0 < p <= 1)", what, v.Value)
		} else {
			r.Probability = f
		}
	}
}

// actions parses what a rule does when it fires and checks that the keys
// go together: at most one of error, retval, kill and log; delay,
// delay_exit and signal with any of them but log (kill: delay only), or
// alone.
func (p *parser) actions(r *Rule, n *yaml.Node, m map[string]entry, what string) {
	var main []entry // error, retval, kill, log as given
	for _, k := range []string{"error", "retval", "kill", "log"} {
		if e, ok := m[k]; ok {
			main = append(main, e)
		}
	}
	if len(main) > 1 {
		names := make([]string, len(main))
		for i, e := range main {
			names[i] = e.key.Value
		}
		later := main[0]
		for _, e := range main[1:] {
			if e.key.Line > later.key.Line || (e.key.Line == later.key.Line && e.key.Column > later.key.Column) {
				later = e
			}
		}
		p.at(later.key, "%s: %s given together; want at most one of error, retval, kill, log", what, strings.Join(names, " and "))
	}
	if e, ok := m["error"]; ok {
		r.Errno = p.errno(e.val, what+": error")
	}
	if e, ok := m["retval"]; ok {
		if v, ok := p.int64Of(e.val, what+": retval"); ok {
			if v < 0 && v >= -MaxErrno {
				p.at(e.val, "%s: retval: %d would read as errno %d; use error: instead", what, v, -v)
			} else {
				r.Retval, r.HasRetval = v, true
			}
		}
	}
	if e, ok := m["kill"]; ok {
		r.Kill = p.trueFlag(e.val, what+": kill")
	}
	if e, ok := m["log"]; ok {
		r.Log = p.trueFlag(e.val, what+": log")
	}
	if e, ok := m["delay"]; ok {
		if d, ok := p.duration(e.val, what+": delay", false); ok {
			r.Delay = d
		}
	}
	if e, ok := m["delay_exit"]; ok {
		if d, ok := p.duration(e.val, what+": delay_exit", false); ok {
			r.DelayExit = d
		}
	}
	if e, ok := m["signal"]; ok {
		v := e.val
		if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!str" && v.ShortTag() != "!!int") {
			p.at(v, "%s: signal: want a signal name or number, got %s", what, kindOf(v))
		} else if sig, ok := signalByName(v.Value); !ok {
			p.at(v, "%s: signal: unknown signal %q (want SIGUSR1, USR1, 10, SIGRTMIN, SIGRT_1 ...)", what, v.Value)
		} else {
			r.Signal = sig
		}
	}
	_, hasDelay := m["delay"]
	_, hasDelayExit := m["delay_exit"]
	_, hasSignal := m["signal"]
	switch {
	case len(main) == 0 && !hasDelay && !hasDelayExit && !hasSignal:
		p.at(n, "%s: missing action; want one of error, retval, kill, log, or delay, delay_exit, signal", what)
	case m["log"].key != nil && (hasDelay || hasDelayExit || hasSignal):
		p.at(m["log"].key, "%s: log only prints; it cannot go with delay, delay_exit or signal", what)
	case m["kill"].key != nil && hasSignal:
		p.at(m["signal"].key, "%s: signal with kill: the process gets SIGKILL; leave signal out", what)
	case m["kill"].key != nil && hasDelayExit:
		p.at(m["delay_exit"].key, "%s: delay_exit with kill: the process is gone after the call", what)
	}
}

// trueFlag parses kill: true and log: true.
func (p *parser) trueFlag(n *yaml.Node, what string) bool {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		p.at(n, "%s: want true, got %s", what, kindOf(n))
		return false
	}
	var b bool
	_ = n.Decode(&b)
	if !b {
		p.at(n, "%s: false does nothing; leave the key out", what)
	}
	return b
}

// duration parses a Go duration string ("100ms", "2s", "1m30s"). zero
// says whether 0 is allowed.
func (p *parser) duration(n *yaml.Node, what string, zero bool) (time.Duration, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!int" || n.ShortTag() == "!!float") {
			p.at(n, "%s: %s has no unit; want a Go duration such as 100ms or 2s", what, n.Value)
		} else {
			p.at(n, "%s: want a Go duration such as 100ms or 2s, got %s", what, kindOf(n))
		}
		return 0, false
	}
	d, err := time.ParseDuration(n.Value)
	switch {
	case err != nil:
		p.at(n, "%s: bad duration %q (want a Go duration such as 100ms or 2s)", what, n.Value)
		return 0, false
	case d < 0:
		p.at(n, "%s: %s is negative", what, n.Value)
		return 0, false
	case d == 0 && !zero:
		p.at(n, "%s: %s: want more than 0", what, n.Value)
		return 0, false
	}
	return d, true
}

// syscalls validates a syscalls list item by item, so each problem gets its
// own line, and returns the expanded, sorted names of the good items.
func (p *parser) syscalls(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		p.at(n, "%s: want a list, got %s", what, kindOf(n))
		return nil
	}
	if len(n.Content) == 0 {
		p.at(n, "%s: empty list", what)
		return nil
	}
	var good []string
	for _, it := range n.Content {
		it = resolve(it)
		v, ok := p.str(it, what)
		if !ok {
			continue
		}
		if _, err := policy.ExpandNames([]string{v}); err != nil {
			p.at(it, "%s: %v", what, err)
			continue
		}
		good = append(good, v)
	}
	if len(good) == 0 {
		return nil
	}
	names, err := policy.ExpandNames(good)
	if err != nil {
		p.at(n, "%s: %v", what, err)
		return nil
	}
	return names
}

// errno resolves an error value: a name (ENOENT) or a number (2).
func (p *parser) errno(n *yaml.Node, what string) int {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!int") {
		p.at(n, "%s: want an errno name or number, got %s", what, kindOf(n))
		return 0
	}
	v := n.Value
	if strings.HasPrefix(v, "-") {
		p.at(n, "%s: %q: an errno is positive (ENOENT or 2, not -2)", what, v)
		return 0
	}
	if v != "" && strings.Trim(v, "0123456789") == "" {
		// A number: any errno the kernel can return, named or not, as
		// strace's error=.
		e, err := strconv.Atoi(v)
		if err != nil || e < 1 || e > MaxErrno {
			p.at(n, "%s: errno %s out of range 1..%d", what, v, MaxErrno)
			return 0
		}
		return e
	}
	e, ok := decode.ErrnoByName(v)
	if !ok || e < 1 || e > MaxErrno {
		p.at(n, "%s: unknown errno %q", what, v)
		return 0
	}
	return e
}

// address parses an IP address, a CIDR network, a unix socket path glob
// (/...) or an abstract socket name glob (@...).
func (p *parser) address(r *Rule, n *yaml.Node, what string) {
	v, ok := p.str(n, what)
	if !ok {
		return
	}
	switch {
	case strings.HasPrefix(v, "/"):
		if err := checkGlob(v); err != nil {
			p.at(n, "%s: %v", what, err)
			return
		}
		r.UnixPath = v
	case strings.HasPrefix(v, "@"):
		name := v[1:]
		if name == "" {
			p.at(n, "%s: %q: empty abstract socket name (want @name, a glob)", what, v)
			return
		}
		if !doublestar.ValidatePattern(name) {
			p.at(n, "%s: bad glob %q", what, name)
			return
		}
		r.Abstract, r.HasAbstract = name, true
	case strings.Contains(v, "/"):
		pfx, err := netip.ParsePrefix(v)
		if err != nil {
			p.at(n, "%s: bad CIDR network %q (want 10.0.0.0/8 or fd00::/8)", what, v)
			return
		}
		if pfx.Masked() != pfx {
			p.at(n, "%s: %q has host bits set; the network is %s", what, v, pfx.Masked())
			return
		}
		if a := pfx.Addr(); a.Is4In6() && pfx.Bits() >= 96 {
			// ::ffff:10.0.0.0/104 is 10.0.0.0/8: events are compared
			// unmapped.
			pfx = netip.PrefixFrom(a.Unmap(), pfx.Bits()-96)
		}
		r.Network = pfx
	default:
		a, err := netip.ParseAddr(v)
		switch {
		case err != nil:
			if _, err2 := netip.ParseAddrPort(v); err2 == nil {
				p.at(n, "%s: %q has a port; give it as port:", what, v)
			} else {
				p.at(n, "%s: bad IP address %q (want an IP address, a CIDR network, /unix/path or @abstract)", what, v)
			}
		case a.Zone() != "":
			p.at(n, "%s: %q has a zone; zones are not supported", what, v)
		default:
			r.Address, r.HasAddress = a.Unmap(), true
		}
	}
}

// port parses a port number or a "first-last" range.
func (p *parser) port(r *Rule, n *yaml.Node, what string) {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!str") {
		p.at(n, "%s: want a port number or a range \"first-last\", got %s", what, kindOf(n))
		return
	}
	lo, hi := n.Value, n.Value
	if n.ShortTag() == "!!str" {
		if a, b, ok := strings.Cut(n.Value, "-"); ok {
			lo, hi = a, b
		}
	}
	first, ok1 := portNumber(lo)
	last, ok2 := portNumber(hi)
	switch {
	case !ok1 || !ok2:
		if n.ShortTag() == "!!int" {
			p.at(n, "%s: %s out of range 1..65535", what, n.Value)
		} else {
			p.at(n, "%s: bad port %q (want 1..65535 or a range such as \"1000-2000\")", what, n.Value)
		}
	case first > last:
		p.at(n, "%s: range %q is empty (first > last)", what, n.Value)
	default:
		r.Port, r.PortLast = first, last
	}
}

// portNumber parses a decimal port 1..65535.
func portNumber(s string) (int, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > 65535 {
		return 0, false
	}
	return v, true
}

// familyByName maps the family names a rule may give to AF_* values.
var familyByName = map[string]uint16{
	"AF_UNIX": unix.AF_UNIX, "AF_LOCAL": unix.AF_LOCAL, "unix": unix.AF_UNIX, "local": unix.AF_LOCAL,
	"AF_INET": unix.AF_INET, "inet": unix.AF_INET,
	"AF_INET6": unix.AF_INET6, "inet6": unix.AF_INET6,
	"AF_NETLINK": unix.AF_NETLINK, "netlink": unix.AF_NETLINK,
	"AF_PACKET": unix.AF_PACKET, "packet": unix.AF_PACKET,
	"AF_VSOCK": unix.AF_VSOCK, "vsock": unix.AF_VSOCK,
}

const familyList = "AF_INET, AF_INET6, AF_UNIX, AF_LOCAL, AF_NETLINK, AF_PACKET, AF_VSOCK, or inet, inet6, unix, local, netlink, packet, vsock"

func familyName(f uint16) string {
	for _, n := range []string{"AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", "AF_PACKET", "AF_VSOCK"} {
		if familyByName[n] == f {
			return n
		}
	}
	return strconv.Itoa(int(f))
}

// process parses {comm: GLOB, exe: GLOB, pid: N}.
func (p *parser) process(r *Rule, n *yaml.Node, what string) {
	m, ok := p.mapping(n, what, processKeys)
	if !ok {
		return
	}
	if len(m) == 0 && len(n.Content) == 0 {
		p.at(n, "%s: empty; give comm, exe or pid", what)
	}
	if e, ok := m["comm"]; ok {
		if v, ok := p.str(e.val, what+": comm"); ok {
			switch {
			case v == "":
				p.at(e.val, "%s: comm: empty glob", what)
			case !doublestar.ValidatePattern(v):
				p.at(e.val, "%s: comm: bad glob %q", what, v)
			case len(v) > commMax && !strings.ContainsAny(v, `*?[{\`):
				p.at(e.val, "%s: comm: %q never matches: the kernel keeps %d bytes of a comm (%q)", what, v, commMax, v[:commMax])
			case strings.Contains(v, "/"):
				p.at(e.val, "%s: comm: %q never matches: a comm has no /; use exe: for a path", what, v)
			default:
				r.Comm = v
			}
		}
	}
	if e, ok := m["exe"]; ok {
		if v, ok := p.str(e.val, what+": exe"); ok {
			if err := checkGlob(v); err != nil {
				p.at(e.val, "%s: exe: %v", what, err)
			} else {
				r.Exe = v
			}
		}
	}
	if e, ok := m["pid"]; ok {
		if v, ok := p.int64Of(e.val, what+": pid"); ok {
			if v < 1 || v > math.MaxInt32 {
				p.at(e.val, "%s: pid: %d out of range 1..%d", what, v, math.MaxInt32)
			} else {
				r.Pid = int(v)
			}
		}
	}
}

// args parses a list of {index, op, value} tests.
func (p *parser) args(r *Rule, n *yaml.Node, what string) {
	if n.Kind != yaml.SequenceNode {
		p.at(n, "%s: want a list, got %s", what, kindOf(n))
		return
	}
	if len(n.Content) == 0 {
		p.at(n, "%s: empty list", what)
		return
	}
	for i, it := range n.Content {
		it = resolve(it)
		w := what + " " + strconv.Itoa(i+1)
		m, ok := p.mapping(it, w, argKeys)
		if !ok {
			continue
		}
		t := ArgTest{Index: -1}
		good := true
		if e, ok := m["index"]; ok {
			if v, ok := p.int64Of(e.val, w+": index"); !ok {
				good = false
			} else if v < 0 || v > 5 {
				p.at(e.val, "%s: index: %d out of range 0..5", w, v)
				good = false
			} else {
				t.Index = int(v)
			}
		} else {
			p.at(it, "%s: missing index", w)
			good = false
		}
		if e, ok := m["op"]; ok {
			if v, ok := p.str(e.val, w+": op"); !ok {
				good = false
			} else if op, ok := argOpByName(v); !ok {
				p.at(e.val, "%s: op: unknown op %q (want &, ==, !=, <, <=, > or >=)", w, v)
				good = false
			} else {
				t.Op = op
			}
		} else {
			p.at(it, "%s: missing op", w)
			good = false
		}
		if e, ok := m["value"]; ok {
			if v, ok := p.argValue(e.val, w+": value"); ok {
				t.Value = v
			} else {
				good = false
			}
		} else {
			p.at(it, "%s: missing value", w)
			good = false
		}
		if good {
			r.Args = append(r.Args, t)
		}
	}
}

func argOpByName(s string) (ArgOp, bool) {
	for op, name := range argOpNames {
		if name == s {
			return op, true
		}
	}
	return 0, false
}

// argValue parses an argument value: a YAML integer (0x40 and -1 too) or
// a string holding one ("0x40", "0o755", "-100"). Negative values are
// their 64-bit two's complement.
func (p *parser) argValue(n *yaml.Node, what string) (uint64, bool) {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!str") {
		p.at(n, "%s: want an integer or a string such as \"0x40\", got %s", what, kindOf(n))
		return 0, false
	}
	s := strings.ReplaceAll(n.Value, "_", "")
	if u, err := strconv.ParseUint(s, 0, 64); err == nil {
		return u, true
	}
	if i, err := strconv.ParseInt(s, 0, 64); err == nil {
		return uint64(i), true
	}
	var u uint64
	if n.ShortTag() == "!!int" && n.Decode(&u) == nil {
		return u, true
	}
	var i int64
	if n.ShortTag() == "!!int" && n.Decode(&i) == nil {
		return uint64(i), true
	}
	p.at(n, "%s: bad value %q (want a 64-bit integer: 64, 0x40, 0o100, -1)", what, n.Value)
	return 0, false
}

// expect parses fired, never or {min: N, max: M}.
func (p *parser) expect(n *yaml.Node, what string) Expect {
	x := Expect{Set: true, Max: NoMax, Line: n.Line, Col: n.Column}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		switch n.Value {
		case "fired":
			x.Min = 1
			return x
		case "never":
			x.Max = 0
			return x
		}
		p.at(n, "%s: unknown expectation %q (want fired, never or {min: N, max: M})", what, n.Value)
		return Expect{}
	}
	if n.Kind != yaml.MappingNode {
		p.at(n, "%s: want fired, never or {min: N, max: M}, got %s", what, kindOf(n))
		return Expect{}
	}
	m, ok := p.mapping(n, what, expectKeys)
	if !ok {
		return Expect{}
	}
	if len(m) == 0 {
		if len(n.Content) == 0 {
			p.at(n, "%s: empty; give min, max or both", what)
		}
		return Expect{}
	}
	good := true
	bound := func(k string) (uint64, bool) {
		e, ok := m[k]
		if !ok {
			return 0, false
		}
		v, ok := p.int64Of(e.val, what+": "+k)
		if !ok {
			good = false
			return 0, false
		}
		if v < 0 {
			p.at(e.val, "%s: %s: %d is negative", what, k, v)
			good = false
			return 0, false
		}
		return uint64(v), true
	}
	if v, ok := bound("min"); ok {
		x.Min = v
	}
	if v, ok := bound("max"); ok {
		x.Max = v
	}
	if good && x.Min > x.Max {
		p.at(n, "%s: min %d is more than max %d", what, x.Min, x.Max)
		good = false
	}
	if !good {
		return Expect{}
	}
	return x
}

// checkGlob rejects a path glob that doublestar cannot parse, and one that
// can never match an absolute, cleaned path.
func checkGlob(g string) error {
	if g == "" {
		return errors.New("empty glob; leave the key out to match any path")
	}
	if !doublestar.ValidatePattern(g) {
		return fmt.Errorf("bad glob %q", g)
	}
	switch g[0] {
	case '/', '*', '{':
	default:
		return fmt.Errorf("glob %q never matches: paths are absolute; start it with / or **/", g)
	}
	if len(g) > 1 && strings.HasSuffix(g, "/") {
		return fmt.Errorf("glob %q never matches: paths are cleaned, without a trailing /", g)
	}
	return nil
}

// checkFDGlob is checkGlob for fd_path, which also names what is not a
// file: "socket:[1234]", "pipe:[5678]", "anon_inode:[eventfd]".
func checkFDGlob(g string) error {
	if g != "" && g[0] != '/' && g[0] != '*' && g[0] != '{' {
		if !doublestar.ValidatePattern(g) {
			return fmt.Errorf("bad glob %q", g)
		}
		if !strings.Contains(g, ":") {
			return fmt.Errorf("glob %q never matches: fd paths are absolute or TYPE:[...] (socket:*, pipe:*, anon_inode:*)", g)
		}
		return nil
	}
	return checkGlob(g)
}
