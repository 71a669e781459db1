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
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
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
	want := &Scenario{Name: "mixed", Description: "A bit of everything.", File: "mixed.yaml", Line: 3, Col: 7, Seed: &seed}
	want.Rules = []*Rule{
		{Name: "hide-config", Line: 7, Col: 5, Syscalls: expand(t, "openat", "%file"), Path: "/etc/myapp/**",
			Errno: 2, When: When{2, LastInf, 1}, Scenario: want},
		{Name: "refuse-db", Line: 12, Col: 5, Syscalls: []string{"connect"},
			Address: netip.MustParseAddr("127.0.0.1"), HasAddress: true, Port: 5432, PortLast: 5432,
			Errno: 111, When: Always, Scenario: want},
		{Name: "fake-write", Line: 18, Col: 5, Syscalls: []string{"write"}, Retval: 16, HasRetval: true,
			When: When{3, LastInf, 0}, Scenario: want},
		{Name: "big", Line: 22, Col: 5, Syscalls: []string{"read"}, Retval: -4096, HasRetval: true,
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
		{"empty", "", []string{"1:1: empty file; want a scenario with name and rules"}},
		{"comment only", "# nothing\n", []string{"1:1: empty file; want a scenario with name and rules"}},
		{"not a mapping", "- a\n- b\n", []string{"1:1: scenario: want a mapping, got a list"}},
		{"syntax", "name: t\nrules: [\n", []string{"2: did not find expected node content"}},
		{"syntax tab", "name: t\n\trules: []\n", []string{"2: found a tab character that violates indentation"}},
		{"syntax first line", "name: a: b\n", []string{"1: mapping values are not allowed in this context"}},
		{"unknown anchor", "name: t\nrules: *r\n", []string{"2:8: unknown anchor 'r' referenced"}},
		{"two documents", "name: t\nrules: [{name: a, syscalls: [read], error: EIO}]\n---\nname: u\n",
			[]string{"3:1: more than one YAML document; want one scenario per file"}},
		{"missing name and rules", "description: x\n", []string{"1:1: missing name", "1:1: missing rules"}},
		{"unknown top key", "name: t\nversoin: 1\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{`2:1: scenario: unknown key "versoin" (want one of version, name, description, seed, rules)`}},
		{"duplicate top key", "name: t\nname: u\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{`2:1: scenario: key "name" already given at line 1`}},
		{"bad version", "version: 2\nname: t\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1:10: version: unsupported version 2 (want 1)"}},
		{"version type", "version: \"1\"\nname: t\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1:10: version: want an integer, got a string"}},
		{"name type", "name: 12\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1:7: name: want a string, got an integer"}},
		{"empty name", "name: \"\"\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"1:7: name: empty"}},
		{"seed type", "name: t\nseed: 1.5\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"2:7: seed: want an integer, got a number"}},
		{"odd tag", "name: !foo%0A x\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{`1:7: name: want a string, got a value tagged "!foo\n"`}},
		{"seed overflow", "name: t\nseed: 99999999999999999999\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{"2:7: seed: want an integer, got a number"}},
		{"alias used twice", "name: alias\nrules:\n  - &r\n    name: a\n    syscalls: [openat]\n    error: ENOENT\n  - name: b\n    syscalls: [close]\n    error: EIO\n  - *r\n",
			[]string{`10:5: rule "a": name already used at line 3`}},
		{"seed beyond int64", "name: t\nseed: 18446744073709551615\nrules: [{name: a, syscalls: [read], error: EIO}]\n",
			[]string{`2:7: seed: "18446744073709551615" does not fit in a signed 64-bit integer`}},
		{"rules not a list", "name: t\nrules: {name: a}\n", []string{"2:8: rules: want a list, got a mapping"}},
		{"rules empty", "name: t\nrules: []\n", []string{"2:8: rules: empty list"}},
		{"rule not a mapping", head + "  - openat\n", []string{"3:5: rule 1: want a mapping, got a string"}},
		{"rule missing all", head + "  - path: /x\n", []string{
			"3:5: rule 1: missing name",
			"3:5: rule 1: missing syscalls",
			"3:5: rule 1: missing action; want one of error, retval, kill, log, or delay, delay_exit, signal"}},
		{"unknown rule key", head + "  - name: a\n    syscall: [read]\n    error: EIO\n", []string{
			`3:5: rule "a": missing syscalls`,
			`4:5: rule "a": unknown key "syscall" (want one of ` + strings.Join(ruleKeys, ", ") + `)`}},
		{"duplicate rule key", head + "  - name: a\n    syscalls: [read]\n    error: EIO\n    error: EPERM\n", []string{
			`6:5: rule "a": key "error" already given at line 5`}},
		{"duplicate rule names", head +
			"  - {name: a, syscalls: [read], error: EIO}\n" +
			"  - {name: b, syscalls: [read], error: EIO}\n" +
			"  - {name: a, syscalls: [write], error: EIO}\n",
			[]string{`5:5: rule "a": name already used at line 3`}},
		{"rule name type", head + "  - {name: [a], syscalls: [read], error: EIO}\n", []string{
			"3:12: rule 1: name: want a string, got a list"}},
		{"syscalls not a list", head + "  - {name: a, syscalls: read, error: EIO}\n", []string{
			`3:25: rule "a": syscalls: want a list, got a string`}},
		{"syscalls empty", head + "  - {name: a, syscalls: [], error: EIO}\n", []string{
			`3:25: rule "a": syscalls: empty list`}},
		{"unknown syscall", head + "  - name: a\n    syscalls:\n      - read\n      - nosuchcall\n      - 7\n    error: EIO\n", []string{
			`6:9: rule "a": syscalls: ` + policyErr(t, "nosuchcall"),
			`7:9: rule "a": syscalls: want a string, got an integer`}},
		{"unknown class", head + "  - {name: a, syscalls: [\"%nosuchclass\"], error: EIO}\n", []string{
			`3:26: rule "a": syscalls: ` + policyErr(t, "%nosuchclass")}},
		{"unknown errno", head + "  - {name: a, syscalls: [read], error: ENOSUCH}\n", []string{
			`3:40: rule "a": error: unknown errno "ENOSUCH"`}},
		{"negative errno", head + "  - {name: a, syscalls: [read], error: -2}\n", []string{
			`3:40: rule "a": error: "-2": an errno is positive (ENOENT or 2, not -2)`}},
		{"errno out of range", head + "  - {name: a, syscalls: [read], error: 4096}\n", []string{
			`3:40: rule "a": error: errno 4096 out of range 1..4095`}},
		{"errno zero", head + "  - {name: a, syscalls: [read], error: 0}\n", []string{
			`3:40: rule "a": error: errno 0 out of range 1..4095`}},
		{"errno type", head + "  - {name: a, syscalls: [read], error: [EIO]}\n", []string{
			`3:40: rule "a": error: want an errno name or number, got a list`}},
		{"error and retval", head + "  - name: a\n    syscalls: [read]\n    error: EIO\n    retval: 0\n", []string{
			`6:5: rule "a": error and retval given together; want at most one of error, retval, kill, log`}},
		{"retval type", head + "  - {name: a, syscalls: [read], retval: zero}\n", []string{
			`3:41: rule "a": retval: want an integer, got a string`}},
		{"retval errno range", head + "  - {name: a, syscalls: [read], retval: -2}\n", []string{
			`3:41: rule "a": retval: -2 would read as errno 2; use error: instead`}},
		{"bad when", head + "  - name: a\n    syscalls: [read]\n    error: EIO\n    when: 0\n", []string{
			`6:11: rule "a": when: bad when "0": first must be 1..65535 (want first[..last][+[step]])`}},
		{"when range", head + "  - {name: a, syscalls: [read], error: EIO, when: 5..2}\n", []string{
			`3:51: rule "a": when: bad when "5..2": last must be 5..65534 (want first[..last][+[step]])`}},
		{"when type", head + "  - {name: a, syscalls: [read], error: EIO, when: [1]}\n", []string{
			`3:51: rule "a": when: want first[..last][+[step]], got a list`}},
		{"bad glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: \"/etc/[a\"}\n", []string{
			`3:53: rule "a": path: bad glob "/etc/[a"`}},
		{"relative glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: etc/x}\n", []string{
			`3:53: rule "a": path: glob "etc/x" never matches: paths are absolute; start it with / or **/`}},
		{"trailing slash glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: /etc/}\n", []string{
			`3:53: rule "a": path: glob "/etc/" never matches: paths are cleaned, without a trailing /`}},
		{"empty glob", head + "  - {name: a, syscalls: [openat], error: EIO, path: \"\"}\n", []string{
			`3:53: rule "a": path: empty glob; leave the key out to match any path`}},
		{"bad address", head + "  - {name: a, syscalls: [connect], error: EIO, address: 300.1.1.1}\n", []string{
			`3:57: rule "a": address: bad IP address "300.1.1.1" (want an IP address, a CIDR network, /unix/path or @abstract)`}},
		{"address with port", head + "  - {name: a, syscalls: [connect], error: EIO, address: \"127.0.0.1:80\"}\n", []string{
			`3:57: rule "a": address: "127.0.0.1:80" has a port; give it as port:`}},
		{"address with zone", head + "  - {name: a, syscalls: [connect], error: EIO, address: \"fe80::1%eth0\"}\n", []string{
			`3:57: rule "a": address: "fe80::1%eth0" has a zone; zones are not supported`}},
		{"port range", head + "  - {name: a, syscalls: [connect], error: EIO, port: 65536}\n", []string{
			`3:54: rule "a": port: 65536 out of range 1..65535`}},
		{"port zero", head + "  - {name: a, syscalls: [connect], error: EIO, port: 0}\n", []string{
			`3:54: rule "a": port: 0 out of range 1..65535`}},
		{"port type", head + "  - {name: a, syscalls: [connect], error: EIO, port: [1]}\n", []string{
			`3:54: rule "a": port: want a port number or a range "first-last", got a list`}},
		{"port string", head + "  - {name: a, syscalls: [connect], error: EIO, port: \"54x\"}\n", []string{
			`3:54: rule "a": port: bad port "54x" (want 1..65535 or a range such as "1000-2000")`}},
		{"port range reversed", head + "  - {name: a, syscalls: [connect], error: EIO, port: \"2000-1000\"}\n", []string{
			`3:54: rule "a": port: range "2000-1000" is empty (first > last)`}},
		{"port range zero", head + "  - {name: a, syscalls: [connect], error: EIO, port: \"0-10\"}\n", []string{
			`3:54: rule "a": port: bad port "0-10" (want 1..65535 or a range such as "1000-2000")`}},
		{"port range open", head + "  - {name: a, syscalls: [connect], error: EIO, port: \"1000-\"}\n", []string{
			`3:54: rule "a": port: bad port "1000-" (want 1..65535 or a range such as "1000-2000")`}},
		{"merge key", "base: &b {syscalls: [read]}\n", []string{
			`1:1: scenario: unknown key "base" (want one of version, name, description, seed, rules)`,
			"1:1: missing name", "1:1: missing rules"}},
		{"merge key in rule", head + "  - {<<: {syscalls: [read]}, name: a, error: EIO}\n", []string{
			`3:5: rule "a": missing syscalls`,
			`3:6: rule "a": merge keys (<<) are not supported`}},
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
			`6:11: rule "a": path: bad glob "/x/{"`,
			`7:12: rule "a": error: unknown errno "ENOSUCH"`,
			`8:11: rule "a": when: bad when "0..3": first must be 1..65535 (want first[..last][+[step]])`,
			`9:5: rule "a": name already used at line 4`,
			`11:14: rule "a": address: bad IP address "nope" (want an IP address, a CIDR network, /unix/path or @abstract)`,
			`12:11: rule "a": port: -1 out of range 1..65535`,
			`14:5: rule "a": error and retval given together; want at most one of error, retval, kill, log`}},
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
	if _, err := LoadFile(bad); err == nil || err.Error() != bad+":2:8: rules: want a list, got an integer" {
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
		"name: t\nrules:\n  - name: n\n    syscalls: [connect]\n    address: 10.0.0.0/8\n    port: \"1-100\"\n    family: inet\n    probability: 0.5\n    delay: 1s\n    expect: {min: 1}\n",
		"name: t\nrules:\n  - name: f\n    syscalls: [openat, creat]\n    flags: [O_CREAT, O_RDWR]\n    process: {comm: sh, exe: /bin/*, pid: 3}\n    args: [{index: 1, op: \"&\", value: \"0x40\"}]\n    after: 1s\n    for: 2s\n    scope: thread\n    kill: true\n",
		"name: t\nrules:\n  - name: u\n    syscalls: [write]\n    fd_path: \"socket:*\"\n    address: \"@x*\"\n    signal: USR1\n    log: true\n    expect: never\n",
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
			actions := 0
			for _, set := range []bool{r.Errno != 0, r.HasRetval, r.Kill, r.Log} {
				if set {
					actions++
				}
			}
			if r.Name == "" || len(r.Syscalls) == 0 || r.Scenario != s || r.Line < 1 || r.Col < 1 ||
				actions > 1 || (actions == 0 && r.Delay == 0 && r.DelayExit == 0 && r.Signal == 0) ||
				(r.Errno < 0 || r.Errno > MaxErrno) || r.Probability < 0 || r.Probability > 1 ||
				(r.HasRetval && r.Retval < 0 && r.Retval >= -MaxErrno) {
				t.Fatalf("accepted rule %+v", *r)
			}
			for _, a := range r.Args {
				if a.Index < 0 || a.Index > 5 || a.Op.String()[0] == 'A' {
					t.Fatalf("accepted args %+v", r.Args)
				}
			}
			e := NewEngine([]*Scenario{s})
			ev := Event{
				Pid: 1, Tid: 2, Name: r.Syscalls[0], Args: [6]uint64{1, 2, 3, 4, 5, 6},
				Path: "/a/b", HasPath: true, FDPath: "/a/c", HasFDPath: true,
				Comm: "sh", Exe: "/bin/sh", Elapsed: time.Second,
				Sockaddr: &decode.Sockaddr{Family: unix.AF_INET, Addr: netip.MustParseAddrPort("10.1.2.3:80")},
			}
			e.Decide(ev)
			_ = e.Report()
			_ = e.Unmet()
		}
		_ = Warnings(s)
	})
}
