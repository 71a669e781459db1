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

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/policy"
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
	// Seed is the file's seed key, nil when absent. Kept for rules that
	// draw random numbers; no rule does yet.
	Seed *int64
	// Rules are in file order. Each one's Scenario points back here.
	Rules []*Rule
}

// Rule is one entry of a scenario's rules list. A rule matches a call when
// the call's syscall is in Syscalls and every matcher that is set (Path,
// Address, Port) holds; its When then decides whether the match fires.
type Rule struct {
	// Name is unique within its scenario.
	Name string
	// Line is the rule's line in Scenario.File (1-based).
	Line int
	// Syscalls are the syscall names the rule applies to, %classes
	// expanded, sorted, as policy.ExpandNames returns them.
	Syscalls []string
	// Path is a doublestar glob matched against the call's absolute,
	// cleaned first path argument (`*` stays within a segment, `**`
	// crosses them). "" matches any call, with or without a path.
	Path string
	// Address, when HasAddress, must equal the IP address of the call's
	// AF_INET or AF_INET6 sockaddr; an IPv4-mapped IPv6 address and its
	// IPv4 address are equal here. It never has a zone.
	Address    netip.Addr
	HasAddress bool
	// Port, when not 0, must equal the port of the call's AF_INET or
	// AF_INET6 sockaddr (host order, 1..65535).
	Port int
	// Errno is the positive errno the call fails with (ENOENT is 2), or 0
	// when HasRetval.
	Errno int
	// Retval is the value the call returns instead of running, when
	// HasRetval. It is never in -MaxErrno..-1.
	Retval    int64
	HasRetval bool
	// When selects which matching calls fire; a rule without a when key
	// has Always.
	When When
	// Scenario is the scenario the rule belongs to.
	Scenario *Scenario
}

// Problem is one thing wrong in a scenario file.
type Problem struct {
	File string
	// Line is 1-based; 0 when the problem is the whole file (read error).
	Line   int
	Reason string
}

// String formats p as "FILE:LINE: reason", or "FILE: reason" without a line.
func (p Problem) String() string {
	if p.Line <= 0 {
		return p.File + ": " + p.Reason
	}
	return p.File + ":" + strconv.Itoa(p.Line) + ": " + p.Reason
}

// ParseError is what Parse returns for an invalid file: every problem found,
// sorted by line.
type ParseError struct {
	Problems []Problem
}

// Error returns one "FILE:LINE: reason" line per problem, joined by "\n".
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
// names unique, syscall names and %classes (policy.ExpandNames), errnos
// (decode.ErrnoByName), exactly one of error and retval, when expressions,
// globs, IP addresses and ports. On failure it returns a nil Scenario and a
// *ParseError holding every problem found, one "FILE:LINE: reason" per line.
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
		p.addf(extra.Line, "more than one YAML document; want one scenario per file")
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

func (p *parser) addf(line int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	// One line per problem, whatever the file holds.
	reason := strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", `\n`)
	p.probs = append(p.probs, Problem{File: p.file, Line: line, Reason: reason})
}

func (p *parser) result() error {
	if len(p.probs) == 0 {
		return nil
	}
	sort.SliceStable(p.probs, func(i, j int) bool { return p.probs[i].Line < p.probs[j].Line })
	return &ParseError{Problems: p.probs}
}

var (
	yamlLineRE   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlAnchorRE = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// yamlError turns a yaml.v3 syntax error into a Problem. yaml.v3 leaves out
// the line when it is the first one, and for a few errors it cannot place;
// those are placed here where possible.
func (p *parser) yamlError(err error, data []byte) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.addf(line, "%s", m[2])
		return
	}
	line := 1
	if m := yamlAnchorRE.FindStringSubmatch(msg); m != nil {
		line = lineOf(data, func(l []byte) bool { return bytes.Contains(l, []byte("*"+m[1])) })
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
	p.addf(line, "%s", strings.TrimPrefix(msg, "yaml: "))
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
		p.addf(n.Line, "%s: want a mapping, got %s", what, kindOf(n))
		return nil, false
	}
	out := make(map[string]entry, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			p.addf(k.Line, "%s: want a key, got %s", what, kindOf(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			p.addf(k.Line, "%s: merge keys (<<) are not supported", what)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.addf(k.Line, "%s: key %q already given at line %d", what, k.Value, prev.key.Line)
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
			p.addf(k.Line, "%s: unknown key %q (want one of %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		out[k.Value] = entry{key: k, val: v}
	}
	return out, true
}

// str returns a string scalar's value.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.addf(n.Line, "%s: want a string, got %s", what, kindOf(n))
		return "", false
	}
	return n.Value, true
}

// int64Of returns an integer scalar's value.
func (p *parser) int64Of(n *yaml.Node, what string) (int64, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		p.addf(n.Line, "%s: want an integer, got %s", what, kindOf(n))
		return 0, false
	}
	var v int64
	if err := n.Decode(&v); err != nil {
		p.addf(n.Line, "%s: %q does not fit in 64 bits", what, n.Value)
		return 0, false
	}
	return v, true
}

var (
	scenarioKeys = []string{"version", "name", "description", "seed", "rules"}
	ruleKeys     = []string{"name", "syscalls", "path", "address", "port", "error", "retval", "when"}
)

func (p *parser) scenario(doc *yaml.Node) *Scenario {
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.addf(1, "empty file; want a scenario with name and rules")
		return nil
	}
	root := resolve(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		p.addf(root.Line, "empty file; want a scenario with name and rules")
		return nil
	}
	m, ok := p.mapping(root, "scenario", scenarioKeys)
	if !ok {
		return nil
	}
	s := &Scenario{File: p.file}
	if e, ok := m["version"]; ok {
		if v, ok := p.int64Of(e.val, "version"); ok && v != 1 {
			p.addf(e.val.Line, "version: unsupported version %d (want 1)", v)
		}
	}
	if e, ok := m["name"]; ok {
		if v, ok := p.str(e.val, "name"); ok {
			if strings.TrimSpace(v) == "" {
				p.addf(e.val.Line, "name: empty")
			}
			s.Name = v
		}
	} else {
		p.addf(root.Line, "missing name")
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
		p.addf(root.Line, "missing rules")
		return s
	}
	rules := e.val
	if rules.Kind != yaml.SequenceNode {
		p.addf(rules.Line, "rules: want a list, got %s", kindOf(rules))
		return s
	}
	if len(rules.Content) == 0 {
		p.addf(rules.Line, "rules: empty list")
		return s
	}
	seen := map[string]int{}
	for i, rn := range rules.Content {
		r := p.rule(resolve(rn), i+1)
		if r == nil {
			continue
		}
		if prev, dup := seen[r.Name]; dup && r.Name != "" {
			p.addf(r.Line, "rule %q: name already used at line %d", r.Name, prev)
		} else {
			seen[r.Name] = r.Line
		}
		r.Scenario = s
		s.Rules = append(s.Rules, r)
	}
	return s
}

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
	r := &Rule{Line: n.Line, When: Always}
	if e, ok := m["name"]; ok {
		if v, ok := p.str(e.val, what+": name"); ok {
			if strings.TrimSpace(v) == "" {
				p.addf(e.val.Line, "%s: name: empty", what)
			}
			r.Name = v
		}
	} else {
		p.addf(n.Line, "%s: missing name", what)
	}
	if e, ok := m["syscalls"]; ok {
		r.Syscalls = p.syscalls(e.val, what+": syscalls")
	} else {
		p.addf(n.Line, "%s: missing syscalls", what)
	}
	if e, ok := m["path"]; ok {
		if v, ok := p.str(e.val, what+": path"); ok {
			if err := checkGlob(v); err != nil {
				p.addf(e.val.Line, "%s: path: %v", what, err)
			}
			r.Path = v
		}
	}
	if e, ok := m["address"]; ok {
		if v, ok := p.str(e.val, what+": address"); ok {
			if a, err := netip.ParseAddr(v); err != nil {
				if _, err2 := netip.ParseAddrPort(v); err2 == nil {
					p.addf(e.val.Line, "%s: address: %q has a port; give it as port:", what, v)
				} else {
					p.addf(e.val.Line, "%s: address: bad IP address %q", what, v)
				}
			} else if a.Zone() != "" {
				p.addf(e.val.Line, "%s: address: %q has a zone; zones are not supported", what, v)
			} else {
				r.Address, r.HasAddress = a, true
			}
		}
	}
	if e, ok := m["port"]; ok {
		if v, ok := p.int64Of(e.val, what+": port"); ok {
			if v < 1 || v > 65535 {
				p.addf(e.val.Line, "%s: port: %d out of range 1..65535", what, v)
			} else {
				r.Port = int(v)
			}
		}
	}
	errE, hasErr := m["error"]
	retE, hasRet := m["retval"]
	switch {
	case hasErr && hasRet:
		p.addf(retE.key.Line, "%s: both error and retval given; want exactly one", what)
	case !hasErr && !hasRet:
		p.addf(n.Line, "%s: missing error or retval; want exactly one", what)
	case hasErr:
		r.Errno = p.errno(errE.val, what+": error")
	case hasRet:
		if v, ok := p.int64Of(retE.val, what+": retval"); ok {
			if v < 0 && v >= -MaxErrno {
				p.addf(retE.val.Line, "%s: retval: %d would read as errno %d; use error: instead", what, v, -v)
			} else {
				r.Retval, r.HasRetval = v, true
			}
		}
	}
	if e, ok := m["when"]; ok {
		v := resolve(e.val)
		if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!str" && v.ShortTag() != "!!int") {
			p.addf(v.Line, "%s: when: want first[..last][+[step]], got %s", what, kindOf(v))
		} else if w, err := ParseWhen(v.Value); err != nil {
			p.addf(v.Line, "%s: when: %v", what, err)
		} else {
			r.When = w
		}
	}
	return r
}

// syscalls validates a syscalls list item by item, so each problem gets its
// own line, and returns the expanded, sorted names of the good items.
func (p *parser) syscalls(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		p.addf(n.Line, "%s: want a list, got %s", what, kindOf(n))
		return nil
	}
	if len(n.Content) == 0 {
		p.addf(n.Line, "%s: empty list", what)
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
			p.addf(it.Line, "%s: %v", what, err)
			continue
		}
		good = append(good, v)
	}
	if len(good) == 0 {
		return nil
	}
	names, err := policy.ExpandNames(good)
	if err != nil {
		p.addf(n.Line, "%s: %v", what, err)
		return nil
	}
	return names
}

// errno resolves an error value: a name (ENOENT) or a number (2).
func (p *parser) errno(n *yaml.Node, what string) int {
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!str" && n.ShortTag() != "!!int") {
		p.addf(n.Line, "%s: want an errno name or number, got %s", what, kindOf(n))
		return 0
	}
	v := n.Value
	if strings.HasPrefix(v, "-") {
		p.addf(n.Line, "%s: %q: an errno is positive (ENOENT or 2, not -2)", what, v)
		return 0
	}
	if v != "" && strings.Trim(v, "0123456789") == "" {
		// A number: any errno the kernel can return, named or not, as
		// strace's error=.
		e, err := strconv.Atoi(v)
		if err != nil || e < 1 || e > MaxErrno {
			p.addf(n.Line, "%s: errno %s out of range 1..%d", what, v, MaxErrno)
			return 0
		}
		return e
	}
	e, ok := decode.ErrnoByName(v)
	if !ok || e < 1 || e > MaxErrno {
		p.addf(n.Line, "%s: unknown errno %q", what, v)
		return 0
	}
	return e
}

// checkGlob rejects a path glob that doublestar cannot parse, and one that
// can never match an absolute, cleaned path.
func checkGlob(g string) error {
	if g == "" {
		return errors.New("empty glob; leave path out to match any path")
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
