package inject

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gopkg.in/yaml.v3"
)

// MaxErrno is the largest errno a rule can inject (the kernel's MAX_ERRNO,
// include/linux/err.h; strace's limit for error=). Return values in
// -MaxErrno..-1 are what the caller's libc reads as an error.
const MaxErrno = 4095

// Scenario is one parsed scenario file: an ordered list of rules.
type Scenario struct {
	// Name and Description are the file's name and description keys.
	Name, Description string
	// File is the file name given to Parse or LoadFile, for messages.
	File string
	// Line and Col are where the name's value is in File (1-based; 0 when
	// the scenario has no file).
	Line, Col int
	// Seed is the file's seed key, nil when absent. The engine uses one
	// seed for all its scenarios: see NewEngineWithOptions.
	Seed *int64
	// Rules are in file order. Each one's Scenario points back here.
	Rules []*Rule
}

// Scope says whose calls a rule's counter counts, for when and
// probability.
type Scope uint8

const (
	// ScopeProcess counts per process (tgid): a forked child starts at 1.
	// It is the default.
	ScopeProcess Scope = iota
	// ScopeThread counts per thread (Event.Tid).
	ScopeThread
	// ScopeGlobal counts every matching call of the run together.
	ScopeGlobal
)

// String returns "process", "thread" or "global", the YAML spelling.
func (s Scope) String() string {
	switch s {
	case ScopeProcess:
		return "process"
	case ScopeThread:
		return "thread"
	case ScopeGlobal:
		return "global"
	}
	return "Scope(" + strconv.Itoa(int(s)) + ")"
}

// ArgOp is the comparison of a raw argument test.
type ArgOp uint8

const (
	// ArgAllSet ("&") holds when every bit of Value is set in the
	// argument: (arg & Value) == Value.
	ArgAllSet ArgOp = iota + 1
	ArgEq           // "=="
	ArgNe           // "!="
	ArgLt           // "<"
	ArgLe           // "<="
	ArgGt           // ">"
	ArgGe           // ">="
)

var argOpNames = map[ArgOp]string{
	ArgAllSet: "&", ArgEq: "==", ArgNe: "!=", ArgLt: "<", ArgLe: "<=", ArgGt: ">", ArgGe: ">=",
}

// String returns the YAML spelling of o ("&", "==", ...).
func (o ArgOp) String() string {
	if s, ok := argOpNames[o]; ok {
		return s
	}
	return "ArgOp(" + strconv.Itoa(int(o)) + ")"
}

// ArgTest is one raw argument test of a rule's args list. Comparisons are
// unsigned on the full 64-bit register, as seccomp_data carries it and as
// libseccomp compares: -1 is 0xffffffffffffffff, and an int argument
// passed as -100 usually arrives sign-extended to 0xffffffffffffff9c.
type ArgTest struct {
	// Index is the argument's position, 0..5.
	Index int
	Op    ArgOp
	Value uint64
}

// Holds reports whether the test holds for the argument value v.
func (a ArgTest) Holds(v uint64) bool {
	switch a.Op {
	case ArgAllSet:
		return v&a.Value == a.Value
	case ArgEq:
		return v == a.Value
	case ArgNe:
		return v != a.Value
	case ArgLt:
		return v < a.Value
	case ArgLe:
		return v <= a.Value
	case ArgGt:
		return v > a.Value
	case ArgGe:
		return v >= a.Value
	}
	return false
}

// NoMax as Expect.Max means the fired count has no upper bound.
const NoMax = ^uint64(0)

// Expect is a rule's expect key: bounds on how many times the rule fires
// in a run, checked by Engine.Unmet.
type Expect struct {
	// Set is false when the rule has no expect key; nothing is checked.
	Set bool
	// Min and Max bound the fired count, both inclusive; Max is NoMax for
	// no bound. "fired" is Min 1, Max NoMax; "never" is Min 0, Max 0.
	Min, Max uint64
	// Line and Col are where the expect value is in the file (1-based),
	// for messages; 0 when unknown.
	Line, Col int
}

// Met reports whether a rule that fired n times meets the expectation.
// An unset Expect is always met.
func (x Expect) Met(n uint64) bool {
	return !x.Set || (n >= x.Min && n <= x.Max)
}

// String returns the expectation as the report shows it: "" when unset,
// "fired", "never", "min 2", "max 5" or "min 2 max 5".
func (x Expect) String() string {
	switch {
	case !x.Set:
		return ""
	case x.Min == 1 && x.Max == NoMax:
		return "fired"
	case x.Min == 0 && x.Max == 0:
		return "never"
	case x.Max == NoMax:
		return "min " + strconv.FormatUint(x.Min, 10)
	case x.Min == 0:
		return "max " + strconv.FormatUint(x.Max, 10)
	}
	return "min " + strconv.FormatUint(x.Min, 10) + " max " + strconv.FormatUint(x.Max, 10)
}

// Rule is one entry of a scenario's rules list. A rule matches a call when
// the call's syscall is in Syscalls, every matcher that is set holds and
// the call falls in the rule's window (After, For); its When, then its
// Probability, decide whether the match fires. Parse and ParseInjectExpr
// make rules; a Rule must not be changed once an Engine uses it.
type Rule struct {
	// Name is unique within its scenario. Rules from ParseInjectExpr are
	// named after their option ("inject=openat:error=ENOENT").
	Name string
	// Line and Col are the rule's position in Scenario.File (1-based); 0
	// for rules from ParseInjectExpr.
	Line, Col int
	// Syscalls are the syscall names the rule applies to, %classes
	// expanded, sorted, as policy.ExpandNames returns them.
	Syscalls []string
	// PerSyscall makes the rule count each syscall separately, as strace
	// counts -e inject: set for rules from ParseInjectExpr.
	PerSyscall bool

	// Path is a doublestar glob matched against the call's absolute,
	// cleaned first path argument (`*` stays within a segment, `**`
	// crosses them). "" matches any call, with or without a path.
	Path string
	// FDPath is a doublestar glob matched against Event.FDPath, the path
	// behind the call's fd argument ("/var/lib/db/**", "socket:*"). ""
	// matches any call.
	FDPath string
	// Flags are flag names (O_CREAT, SOCK_NONBLOCK, MAP_SHARED) that must
	// all be set in the call's flags argument, as given in the file; an
	// access mode or socket or mapping type must equal the call's. Parse
	// compiles them for the syscalls' flags arguments: setting Flags on a
	// Rule built by hand has no effect.
	Flags []string
	flags flagMatch

	// Address, when HasAddress, must equal the IP address of the call's
	// AF_INET or AF_INET6 sockaddr; an IPv4-mapped IPv6 address and its
	// IPv4 address are equal here. It never has a zone, and is never an
	// IPv4-mapped address itself (Parse unmaps it).
	Address    netip.Addr
	HasAddress bool
	// Network, when valid, must contain the IP address of the call's
	// AF_INET or AF_INET6 sockaddr (10.0.0.0/8), IPv4-mapped addresses
	// counting as IPv4. Its address has no host bits set.
	Network netip.Prefix
	// UnixPath, when not "", is a glob the path of the call's AF_UNIX
	// sockaddr must match (abstract and unnamed sockets never do).
	UnixPath string
	// Abstract, when HasAbstract, is a glob the name of the call's
	// abstract AF_UNIX sockaddr must match, without its leading NUL
	// (written @name in the file).
	Abstract    string
	HasAbstract bool
	// Port..PortLast, when Port is not 0, must hold the port of the
	// call's AF_INET or AF_INET6 sockaddr (host order, 1..65535,
	// inclusive). A single port has PortLast == Port.
	Port, PortLast int
	// Family, when HasFamily, must equal the family of the call's
	// sockaddr (unix.AF_INET, ...).
	Family    uint16
	HasFamily bool
	// Comm and Exe, when not "", are globs the caller's comm
	// (/proc/PID/comm, at most 15 bytes) and executable path must match;
	// Pid, when not 0, must equal the caller's tgid.
	Comm, Exe string
	Pid       int
	// Args are raw argument tests, all of which must hold.
	Args []ArgTest

	// When selects which matching calls fire; a rule without a when key
	// has Always.
	When When
	// After and For are the rule's window on Event.Elapsed: it matches
	// only calls in [After, After+For). For 0 means no end.
	After, For time.Duration
	// Scope says whose calls the counter counts (When, Probability).
	Scope Scope
	// Probability is the chance (0 < p <= 1) that a call When selects
	// fires; 0 means 1 (no probability key).
	Probability float64

	// Errno is the positive errno the call fails with (ENOENT is 2), or 0.
	Errno int
	// Retval is the value the call returns instead of running, when
	// HasRetval. In scenario files it is never in -MaxErrno..-1; a rule
	// from ParseInjectExpr may hold such a value, as strace allows (with
	// a warning from Warnings).
	Retval    int64
	HasRetval bool
	// Kill kills the calling process with SIGKILL instead of answering.
	Kill bool
	// Log makes the rule print-only: the call runs, the match is shown.
	Log bool
	// Delay is how long the supervisor waits before answering; DelayExit
	// how long it waits after answering (see Decision).
	Delay, DelayExit time.Duration
	// Signal is sent to the calling thread before the answer (after
	// Delay); 0 for none.
	Signal syscall.Signal

	// Expect is the rule's expectation on its fired count.
	Expect Expect

	// Scenario is the scenario the rule belongs to.
	Scenario *Scenario

	// warnings are notes ParseInjectExpr makes for Warnings, in strace's
	// words ("Inadvertent injection of error 1 is possible ...").
	warnings []string
}

// Problem is one thing wrong in a scenario file (or, from Warnings, one
// thing that deserves a look).
type Problem struct {
	File string
	// Line and Col are 1-based; Line is 0 when the problem is the whole
	// file (a read error), Col 0 when the column is not known (YAML
	// syntax errors: yaml.v3 reports lines only).
	Line, Col int
	Reason    string
}

// String formats p as "FILE:LINE:COL: reason", "FILE:LINE: reason" without
// a column, or "FILE: reason" without a line.
func (p Problem) String() string {
	switch {
	case p.Line <= 0:
		return p.File + ": " + p.Reason
	case p.Col <= 0:
		return p.File + ":" + strconv.Itoa(p.Line) + ": " + p.Reason
	}
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) + ": " + p.Reason
}

// ParseError is what Parse returns for an invalid file: every problem found,
// sorted by line and column.
type ParseError struct {
	Problems []Problem
}

// Error returns one Problem.String line per problem, joined by "\n".
func (e *ParseError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// LoadFile reads the scenario file at path and parses it (see Parse). A read
// error is returned as "PATH: reason", wrapping the os error (so
// errors.Is(err, fs.ErrNotExist) works).
func LoadFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Parse(data, path)
}

// Parse parses and validates one scenario file (YAML, version 1); file names
// it in messages and in Scenario.File. Everything is checked before anything
// runs: YAML syntax, unknown or duplicate keys, types, required keys, rule
// names unique, syscall names and %classes (policy.ExpandNames), errnos,
// signals, flags, globs, addresses, ports, durations, when expressions,
// probabilities, expectations and which keys may go together. On failure
// it returns a nil Scenario and a *ParseError holding every problem found,
// one "FILE:LINE:COL: reason" per line.
func Parse(data []byte, file string) (*Scenario, error) {
	p := &parser{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		p.yamlError(err, data)
		return nil, p.result()
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.addf(extra.Line, extra.Column, "more than one YAML document; want one scenario per file")
	} else if err != io.EOF {
		p.yamlError(err, data)
		return nil, p.result()
	}
	s := p.scenario(&doc)
	if err := p.result(); err != nil {
		return nil, err
	}
	return s, nil
}

type parser struct {
	file  string
	probs []Problem
}

func (p *parser) addf(line, col int, format string, args ...any) {
	if line < 1 {
		line, col = 1, 0
	}
	// One line per problem, whatever the file holds.
	reason := strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", `\n`)
	p.probs = append(p.probs, Problem{File: p.file, Line: line, Col: col, Reason: reason})
}

// at adds a problem placed at node n.
func (p *parser) at(n *yaml.Node, format string, args ...any) {
	p.addf(n.Line, n.Column, format, args...)
}

func (p *parser) result() error {
	if len(p.probs) == 0 {
		return nil
	}
	sort.SliceStable(p.probs, func(i, j int) bool {
		a, b := p.probs[i], p.probs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return &ParseError{Problems: p.probs}
}

var (
	yamlLineRE   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchorRE = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// yamlError turns a yaml.v3 syntax error into a Problem. yaml.v3 gives a
// line but no column, leaves out the line when it is the first one, and
// for a few errors cannot place it; those are placed here where possible.
func (p *parser) yamlError(err error, data []byte) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.addf(line, 0, "%s", m[2])
		return
	}
	line, col := 1, 0
	if m := yamlAnchorRE.FindStringSubmatch(msg); m != nil {
		line, col = find(data, []byte("*"+m[1]))
	} else if strings.Contains(msg, "control characters") || strings.Contains(msg, "UTF-") {
		line = lineOf(data, func(l []byte) bool {
			for _, r := range string(l) {
				if r == '\uFFFD' || (r < 0x20 && r != '\t' && r != '\r') || r == 0x7f {
					return true
				}
			}
			return false
		})
	}
	p.addf(line, col, "%s", strings.TrimPrefix(msg, "yaml: "))
}

// lineOf returns the 1-based number of the first line of data for which
// match holds, or 1.
func lineOf(data []byte, match func([]byte) bool) int {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if match(l) {
			return i + 1
		}
	}
	return 1
}

// find returns the 1-based line and column (in runes, as yaml.v3 counts)
// of the first occurrence of sub in data, or 1, 0.
func find(data, sub []byte) (line, col int) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if j := bytes.Index(l, sub); j >= 0 {
			return i + 1, len([]rune(string(l[:j]))) + 1
		}
	}
	return 1, 0
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// kindOf describes a node's type for messages.
func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str":
			return "a string"
		case "!!int":
			return "an integer"
		case "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		case "!!null":
			return "nothing"
		case "!!timestamp":
			return "a timestamp"
		}
		return "a value tagged " + strconv.Quote(n.ShortTag())
	}
	return "nothing"
}

// entry is one key: value pair of a mapping.
type entry struct {
	key, val *yaml.Node
}

// mapping checks that n is a mapping whose keys are known and unique, and
// returns its entries by key. what names the mapping in messages.
func (p *parser) mapping(n *yaml.Node, what string, known []string) (map[string]entry, bool) {
	if n.Kind != yaml.MappingNode {
		p.at(n, "%s: want a mapping, got %s", what, kindOf(n))
		return nil, false
	}
	out := make(map[string]entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.at(k, "%s: want a key, got %s", what, kindOf(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			p.at(k, "%s: merge keys (<<) are not supported", what)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.at(k, "%s: key %q already given at line %d", what, k.Value, prev.key.Line)
			continue
		}
		isKnown := false
		for _, name := range known {
			if k.Value == name {
				isKnown = true
				break
			}
		}
		if !isKnown {
			p.at(k, "%s: unknown key %q (want one of %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		out[k.Value] = entry{key: k, val: v}
	}
	return out, true
}

// str returns a string scalar's value.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.at(n, "%s: want a string, got %s", what, kindOf(n))
		return "", false
	}
	return n.Value, true
}

// int64Of returns an integer scalar's value.
func (p *parser) int64Of(n *yaml.Node, what string) (int64, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		p.at(n, "%s: want an integer, got %s", what, kindOf(n))
		return 0, false
	}
	var v int64
	if err := n.Decode(&v); err != nil {
		p.at(n, "%s: %q does not fit in a signed 64-bit integer", what, n.Value)
		return 0, false
	}
	return v, true
}

var scenarioKeys = []string{"version", "name", "description", "seed", "rules"}

func (p *parser) scenario(doc *yaml.Node) *Scenario {
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.addf(1, 1, "empty file; want a scenario with name and rules")
		return nil
	}
	root := resolve(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		p.addf(root.Line, root.Column, "empty file; want a scenario with name and rules")
		return nil
	}
	m, ok := p.mapping(root, "scenario", scenarioKeys)
	if !ok {
		return nil
	}
	s := &Scenario{File: p.file}
	if e, ok := m["version"]; ok {
		if v, ok := p.int64Of(e.val, "version"); ok && v != 1 {
			p.at(e.val, "version: unsupported version %d (want 1)", v)
		}
	}
	if e, ok := m["name"]; ok {
		if v, ok := p.str(e.val, "name"); ok {
			if strings.TrimSpace(v) == "" {
				p.at(e.val, "name: empty")
			}
			s.Name, s.Line, s.Col = v, e.val.Line, e.val.Column
		}
	} else {
		p.at(root, "missing name")
	}
	if e, ok := m["description"]; ok {
		if e.val.ShortTag() != "!!null" {
			s.Description, _ = p.str(e.val, "description")
		}
	}
	if e, ok := m["seed"]; ok {
		if v, ok := p.int64Of(e.val, "seed"); ok {
			s.Seed = &v
		}
	}
	e, ok := m["rules"]
	if !ok {
		p.at(root, "missing rules")
		return s
	}
	rules := e.val
	if rules.Kind != yaml.SequenceNode {
		p.at(rules, "rules: want a list, got %s", kindOf(rules))
		return s
	}
	if len(rules.Content) == 0 {
		p.at(rules, "rules: empty list")
		return s
	}
	seen := map[string]int{}
	for i, rn := range rules.Content {
		r := p.rule(resolve(rn), i+1)
		if r == nil {
			continue
		}
		if rn.Kind == yaml.AliasNode {
			// A rule given as *anchor is where the alias stands: a second
			// use of one anchor is a duplicate there, not at the anchor.
			r.Line, r.Col = rn.Line, rn.Column
		}
		if prev, dup := seen[r.Name]; dup && r.Name != "" {
			p.addf(r.Line, r.Col, "rule %q: name already used at line %d", r.Name, prev)
		} else {
			seen[r.Name] = r.Line
		}
		r.Scenario = s
		s.Rules = append(s.Rules, r)
	}
	return s
}
