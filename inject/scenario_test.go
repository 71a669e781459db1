package inject

import (
	"errors"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/syscage/syscage/policy"
)

// expand is what policy.ExpandNames makes of items; the test fails if it
// rejects them.
func expand(t *testing.T, items ...string) []string {
	t.Helper()
	names, err := policy.ExpandNames(items)
	if err != nil {
		t.Fatalf("policy.ExpandNames(%q): %v", items, err)
	}
	return names
}

// policyErr is policy.ExpandNames's error text for one bad item.
func policyErr(t *testing.T, item string) string {
	t.Helper()
	_, err := policy.ExpandNames([]string{item})
	if err == nil {
		t.Fatalf("policy.ExpandNames accepts %q", item)
	}
	return err.Error()
}

func TestParseValid(t *testing.T) {
	const src = `# comment
version: 1
name: mixed
description: A bit of everything.
seed: -42
rules:
  - name: hide-config
    syscalls: [openat, "%file"]
    path: "/etc/myapp/**"
    error: ENOENT
    when: "2+"
  - name: refuse-db
    syscalls:
      - connect
    address: "::ffff:127.0.0.1"
    port: 5432
    error: 111
  - name: fake-write
    syscalls: [write]
    retval: 0x10
    when: 3
  - name: big
    syscalls: [read]
    retval: -4096
    when: 1..9+2
`
	s, err := Parse([]byte(src), "mixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seed := int64(-42)
	want := &Scenario{Name: "mixed", Description: "A bit of everything.", File: "mixed.yaml", Seed: &seed}
	want.Rules = []*Rule{
		{Name: "hide-config", Line: 7, Syscalls: expand(t, "openat", "%file"), Path: "/etc/myapp/**",
			Errno: 2, When: When{2, LastInf, 1}, Scenario: want},
		{Name: "refuse-db", Line: 12, Syscalls: []string{"connect"},
			Address: netip.MustParseAddr("::ffff:127.0.0.1"), HasAddress: true, Port: 5432,
			Errno: 111, When: Always, Scenario: want},
		{Name: "fake-write", Line: 18, Syscalls: []string{"write"}, Retval: 16, HasRetval: true,
			When: When{3, LastInf, 0}, Scenario: want},
		{Name: "big", Line: 22, Syscalls: []string{"read"}, Retval: -4096, HasRetval: true,
			When: When{1, 9, 2}, Scenario: want},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", s, want)
		for i := range s.Rules {
			if i < len(want.Rules) && !reflect.DeepEqual(s.Rules[i], want.Rules[i]) {
				t.Errorf("rule %d:\n got %+v\nwant %+v", i, *s.Rules[i], *want.Rules[i])
			}
		}
	}
}

func TestParseMinimal(t *testing.T) {
	s, err := Parse([]byte("name: x\ndescription:\nrules:\n- {name: a, syscalls: [openat], error: EPERM}\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != nil || s.Description != "" || len(s.Rules) != 1 {
		t.Fatalf("got %+v", s)
	}
	r := s.Rules[0]
	if r.Errno != 1 || r.When != Always || r.Path != "" || r.HasAddress || r.Port != 0 || r.HasRetval || r.Line != 4 {
		t.Errorf("rule %+v", *r)
	}
}

func TestParseErrors(t *testing.T) {
	head := "name: t\nrules:\n"
	tests := []struct {
		name string
		src  string
		want []string // lines after "f.yaml:"
	}{
		{"empty", "", []string{"1: empty file; want a scenario with name and rules"}},
		{"comment only", "# nothing\n", []string{"1: empty file; want a scenario with name and rules"}},
		{"not a mapping", "- a\n- b\n", []string{"1: scenario: want a mapping, got a list"}},
		{"syntax", "name: t\nrules: [\n", []string{"2: did not find expected node content"}},
		{"syntax tab", "name: t\n\trules: []\n", []string{"2: found a tab character that violates indentation"}},
		{"syntax first line", "name: a: b\n", []string{"1: mapping values are not allowed in this context"}},
		{"unknown anchor", "name: t\nrules: *r\n", []string{"2: unknown anchor 'r' referenced"}},
		{"two documents", "name: t\nrules: [{name: a, syscalls: [read], error: EIO}]\n---\nname: u\n",
			[]string{"3: more than one YAML document; want one scenario per file"}},
		{"missing name and rules", "description: x\n", []string{"1: missing name", "1: missing rules"}},
		{"unknown top key", "name: t\nversoin: 1\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{`2: scenario: unknown key "versoin" (want one of version, name, description, seed, rules)`}},
		{"duplicate top key", "name: t\nname: u\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{`2: scenario: key "name" already given at line 1`}},
		{"bad version", "version: 2\nname: t\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1: version: unsupported version 2 (want 1)"}},
		{"version type", "version: \"1\"\nname: t\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1: version: want an integer, got a string"}},
		{"name type", "name: 12\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1: name: want a string, got an integer"}},
		{"empty name", "name: \"\"\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1: name: empty"}},
		{"seed type", "name: t\nseed: 1.5\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"2: seed: want an integer, got a number"}},
		{"odd tag", "name: !foo%0A x\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{`1: name: want a string, got a value tagged "!foo\n"`}},
		{"seed overflow", "name: t\nseed: 99999999999999999999\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"2: seed: want an integer, got a number"}},
		{"rules not a list", "name: t\nrules: {name: a}\n", []string{"2: rules: want a list, got a mapping"}},
		{"rules empty", "name: t\nrules: []\n", []string{"2: rules: empty list"}},
		{"rule not a mapping", head + "  - openat\n", []string{"3: rule 1: want a mapping, got a string"}},
		{"rule missing all", head + "  - path: /x\n", []string{
			"3: rule 1: missing name",
			"3: rule 1: missing syscalls",
			"3: rule 1: missing error or retval; want exactly one"}},
		{"unknown rule key", head + "  - name: a\n    syscall: [read]\n    error: EIO\n", []string{
			`3: rule "a": missing syscalls`,
			`4: rule "a": unknown key "syscall" (want one of name, syscalls, path, address, port, error, retval, when)`}},
		{"duplicate rule key", head + "  - name: a\n    syscalls: [read]\n    error: EIO\n    error: EPERM\n", []string{
			`6: rule "a": key "error" already given at line 5`}},
		{"duplicate rule names", head +
			"  - {name: a, syscalls: [read], error: EIO}\n" +
			"  - {name: b, syscalls: [read], error: EIO}\n" +
			"  - {name: a, syscalls: [write], error: EIO}\n",
			[]string{`5: rule "a": name already used at line 3`}},
		{"rule name type", head + "  - {name: [a], syscalls: [read], error: EIO}\n", []string{
			"3: rule 1: name: want a string, got a list"}},
		{"syscalls not a list", head + "  - {name: a, syscalls: read, error: EIO}\n", []string{
			`3: rule "a": syscalls: want a list, got a string`}},
		{"syscalls empty", head + "  - {name: a, syscalls: [], error: EIO}\n", []string{
			`3: rule "a": syscalls: empty list`}},
		{"unknown syscall", head + "  - name: a\n    syscalls:\n      - read\n      - nosuchcall\n      - 7\n    error: EIO\n", []string{
			`6: rule "a": syscalls: ` + policyErr(t, "nosuchcall"),
			`7: rule "a": syscalls: want a string, got an integer`}},
		{"unknown class", head + "  - {name: a, syscalls: [\"%nosuchclass\"], error: EIO}\n", []string{
			`3: rule "a": syscalls: ` + policyErr(t, "%nosuchclass")}},
		{"unknown errno", head + "  - {name: a, syscalls: [read], error: ENOSUCH}\n", []string{
			`3: rule "a": error: unknown errno "ENOSUCH"`}},
		{"negative errno", head + "  - {name: a, syscalls: [read], error: -2}\n", []string{
			`3: rule "a": error: "-2": an errno is positive (ENOENT or 2, not -2)`}},
		{"errno out of range", head + "  - {name: a, syscalls: [read], error: 4096}\n", []string{
			`3: rule "a": error: errno 4096 out of range 1..4095`}},
		{"errno zero", head + "  - {name: a, syscalls: [read], error: 0}\n", []string{
			`3: rule "a": error: errno 0 out of range 1..4095`}},
		{"errno type", head + "  - {name: a, syscalls: [read], error: [EIO]}\n", []string{
			`3: rule "a": error: want an errno name or number, got a list`}},
		{"error and retval", head + "  - name: a\n    syscalls: [read]\n    error: EIO\n    retval: 0\n", []string{
			`6: rule "a": both error and retval given; want exactly one`}},
		{"retval type", head + "  - {name: a, syscalls: [read], retval: zero}\n", []string{
			`3: rule "a": retval: want an integer, got a string`}},
		{"retval errno range", head + "  - {name: a, syscalls: [read], retval: -2}\n", []string{
			`3: rule "a": retval: -2 would read as errno 2; use error: instead`}},
		{"bad when", head + "  - name: a\n    syscalls: [read]\n    error: EIO\n    when: 0\n", []string{
			`6: rule "a": when: bad when "0": first must be 1..65535 (want first[..last][+[step]])`}},
		{"when range", head + "  - {name: a, syscalls: [read], error: EIO, when: 5..2}\n", []string{
			`3: rule "a": when: bad when "5..2": last must be 5..65534 (want first[..last][+[step]])`}},
		{"when type", head + "  - {name: a, syscalls: [read], error: EIO, when: [1]}\n", []string{
			`3: rule "a": when: want first[..last][+[step]], got a list`}},
		{"bad glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: \"/etc/[a\"}\n", []string{
			`3: rule "a": path: bad glob "/etc/[a"`}},
		{"relative glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: etc/x}\n", []string{
			`3: rule "a": path: glob "etc/x" never matches: paths are absolute; start it with / or **/`}},
		{"trailing slash glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: /etc/}\n", []string{
			`3: rule "a": path: glob "/etc/" never matches: paths are cleaned, without a trailing /`}},
		{"empty glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: \"\"}\n", []string{
			`3: rule "a": path: empty glob; leave path out to match any path`}},
		{"bad address", head + "  - {name: a, syscalls: [connect], error: EIO, address: 300.1.1.1}\n", []string{
			`3: rule "a": address: bad IP address "300.1.1.1"`}},
		{"address with port", head + "  - {name: a, syscalls: [connect], error: EIO, address: \"127.0.0.1:80\"}\n", []string{
			`3: rule "a": address: "127.0.0.1:80" has a port; give it as port:`}},
		{"address with zone", head + "  - {name: a, syscalls: [connect], error: EIO, address: \"fe80::1%eth0\"}\n", []string{
			`3: rule "a": address: "fe80::1%eth0" has a zone; zones are not supported`}},
		{"port range", head + "  - {name: a, syscalls: [connect], error: EIO, port: 65536}\n", []string{
			`3: rule "a": port: 65536 out of range 1..65535`}},
		{"port zero", head + "  - {name: a, syscalls: [connect], error: EIO, port: 0}\n", []string{
			`3: rule "a": port: 0 out of range 1..65535`}},
		{"port type", head + "  - {name: a, syscalls: [connect], error: EIO, port: \"5432\"}\n", []string{
			`3: rule "a": port: want an integer, got a string`}},
		{"merge key", "base: &b {syscalls: [read]}\n", []string{
			`1: scenario: unknown key "base" (want one of version, name, description, seed, rules)`,
			"1: missing name", "1: missing rules"}},
		{"merge key in rule", head + "  - {<<: {syscalls: [read]}, name: a, error: EIO}\n", []string{
			`3: rule "a": merge keys (<<) are not supported`,
			`3: rule "a": missing syscalls`}},
		{"many problems", `version: 1
name: t
rules:
  - name: a
    syscalls: [openat]
    path: "/x/{"
    error: ENOSUCH
    when: 0..3
  - name: a
    syscalls: [connect]
    address: nope
    port: -1
    retval: 1
    error: EIO
`, []string{
			`6: rule "a": path: bad glob "/x/{"`,
			`7: rule "a": error: unknown errno "ENOSUCH"`,
			`8: rule "a": when: bad when "0..3": first must be 1..65535 (want first[..last][+[step]])`,
			`9: rule "a": name already used at line 4`,
			`11: rule "a": address: bad IP address "nope"`,
			`12: rule "a": port: -1 out of range 1..65535`,
			`13: rule "a": both error and retval given; want exactly one`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.src), "f.yaml")
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", s)
			}
			if s != nil {
				t.Errorf("Parse returned a scenario with its error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			want := "f.yaml:" + strings.Join(tt.want, "\nf.yaml:")
			if err.Error() != want {
				t.Errorf("error\n got:\n%s\nwant:\n%s", err, want)
			}
			if len(pe.Problems) != len(tt.want) {
				t.Errorf("%d problems, want %d", len(pe.Problems), len(tt.want))
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("name: g\nrules: [{name: a, syscalls: [read], error: EIO}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if s.File != good || s.Name != "g" || s.Rules[0].Errno != 5 {
		t.Errorf("got %+v", s)
	}

	missing := filepath.Join(dir, "missing.yaml")
	_, err = LoadFile(missing)
	if err == nil || err.Error() != missing+": no such file or directory" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadFile(missing) = %v", err)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: b\nrules: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(bad); err == nil || err.Error() != bad+":2: rules: want a list, got an integer" {
		t.Errorf("LoadFile(bad) = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		"name: x\nrules:\n- {name: a, syscalls: [openat], error: EPERM}\n",
		"version: 1\nname: t\nseed: 3\nrules:\n  - name: a\n    syscalls: [openat, \"%file\"]\n    path: \"/etc/**\"\n    error: ENOENT\n    when: 2..9+3\n",
		"name: t\nrules:\n  - name: b\n    syscalls: [connect]\n    address: \"::1\"\n    port: 5432\n    retval: 0\n",
		"a: &x [*x]\nname: *x\n",
		"name: t\nrules: [&r {name: a, syscalls: [read], error: 5}, *r]\n",
		"- [\n",
		"name: {<<: {a: 1}}\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if s != nil {
				t.Fatal("scenario with error")
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml:") {
					t.Fatalf("error line %q lacks the file name", line)
				}
			}
			return
		}
		if s.Name == "" || len(s.Rules) == 0 {
			t.Fatalf("accepted %+v", s)
		}
		for _, r := range s.Rules {
			if r.Name == "" || len(r.Syscalls) == 0 || r.Scenario != s || r.Line < 1 ||
				(r.HasRetval == (r.Errno != 0)) || (r.Errno < 0 || r.Errno > MaxErrno) {
				t.Fatalf("accepted rule %+v", *r)
			}
			NewEngine([]*Scenario{s}).Decide(Event{Pid: 1, Name: r.Syscalls[0], Path: "/a/b", HasPath: true})
		}
	})
}
