package inject

import (
	"net/netip"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestParseKeys parses every rule key and checks what each one sets.
func TestParseKeys(t *testing.T) {
	s, err := Parse([]byte(`name: all-keys
seed: 7
rules:
  - name: create-under-db
    syscalls: [open, openat, creat]
    path: "/var/lib/db/**"
    flags: [O_CREAT, O_WRONLY]
    process: {comm: "post*", exe: "/usr/**/postgres", pid: 42}
    args: [{index: 3, op: "&", value: 0x40}, {index: 0, op: "!=", value: "-100"}, {index: 1, op: "<=", value: 18446744073709551615}]
    after: 2s
    for: 1m30s
    scope: thread
    probability: 0.25
    error: ENOSPC
    delay: 100ms
    delay_exit: 1us
    signal: USR1
    expect: fired
  - name: disk-full
    syscalls: [write, fsync]
    fd_path: "/var/lib/db/**"
    error: 28
    expect: {min: 2, max: 5}
  - name: net
    syscalls: [connect, sendto]
    address: 10.0.0.0/8
    port: "1000-2000"
    family: AF_INET
    scope: global
    probability: 1
    kill: true
    delay: 1s
  - name: mapped-net
    syscalls: [connect]
    address: "::ffff:192.168.0.0/112"
    expect: never
    log: true
  - name: unix-path
    syscalls: [connect]
    address: /run/**/*.sock
    family: unix
    signal: 10
  - name: abstract
    syscalls: [bind]
    address: "@/tmp/.X11-unix/*"
    delay: 5ms
  - name: sockets
    syscalls: [socket]
    flags: [SOCK_DGRAM, SOCK_CLOEXEC]
    retval: 3
    expect: {max: 0}
  - name: v6
    syscalls: [connect]
    address: "fd00::/8"
    family: inet6
    port: 443
    signal: SIGRTMIN
`), "keys.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := s.Rules
	if len(r) != 8 {
		t.Fatalf("%d rules", len(r))
	}
	want0 := Rule{Name: "create-under-db", Line: 4, Col: 5, Syscalls: []string{"creat", "open", "openat"},
		Path: "/var/lib/db/**", Flags: []string{"O_CREAT", "O_WRONLY"},
		flags: flagMatch{set: true, bits: unix.O_CREAT, field: unix.O_WRONLY, mask: unix.O_ACCMODE, hasField: true},
		Comm:  "post*", Exe: "/usr/**/postgres", Pid: 42,
		Args: []ArgTest{{3, ArgAllSet, 0x40}, {0, ArgNe, 0xffffffffffffff9c}, {1, ArgLe, ^uint64(0)}},
		When: Always, After: 2 * time.Second, For: 90 * time.Second, Scope: ScopeThread, Probability: 0.25,
		Errno: int(unix.ENOSPC), Delay: 100 * time.Millisecond, DelayExit: time.Microsecond, Signal: syscall.SIGUSR1,
		Expect: Expect{Set: true, Min: 1, Max: NoMax, Line: 18, Col: 13}, Scenario: s}
	if !reflect.DeepEqual(*r[0], want0) {
		t.Errorf("rule 0:\n got %+v\nwant %+v", *r[0], want0)
	}
	if r[1].FDPath != "/var/lib/db/**" || r[1].Errno != 28 || r[1].Expect != (Expect{true, 2, 5, 23, 13}) {
		t.Errorf("rule 1: %+v", *r[1])
	}
	if r[2].Network != netip.MustParsePrefix("10.0.0.0/8") || r[2].Port != 1000 || r[2].PortLast != 2000 ||
		!r[2].HasFamily || r[2].Family != unix.AF_INET || r[2].Scope != ScopeGlobal || r[2].Probability != 1 ||
		!r[2].Kill || r[2].Delay != time.Second {
		t.Errorf("rule 2: %+v", *r[2])
	}
	if r[3].Network != netip.MustParsePrefix("192.168.0.0/16") || !r[3].Log || r[3].Expect.String() != "never" {
		t.Errorf("rule 3: %+v", *r[3])
	}
	if r[4].UnixPath != "/run/**/*.sock" || r[4].Family != unix.AF_UNIX || r[4].Signal != syscall.SIGUSR1 {
		t.Errorf("rule 4: %+v", *r[4])
	}
	if !r[5].HasAbstract || r[5].Abstract != "/tmp/.X11-unix/*" || r[5].Delay != 5*time.Millisecond {
		t.Errorf("rule 5: %+v", *r[5])
	}
	if want := (flagMatch{set: true, bits: unix.SOCK_CLOEXEC, field: unix.SOCK_DGRAM, mask: sockTypeFlags.fieldMask, hasField: true}); r[6].flags != want ||
		r[6].Expect.String() != "never" {
		t.Errorf("rule 6: flags %+v, expect %v", r[6].flags, r[6].Expect)
	}
	if r[7].Network.Bits() != 8 || r[7].Family != unix.AF_INET6 || r[7].Port != 443 || r[7].PortLast != 443 || r[7].Signal != 32 {
		t.Errorf("rule 7: %+v", *r[7])
	}
}

// TestParseKeyErrors checks the message of every new key's problems.
func TestParseKeyErrors(t *testing.T) {
	rule := func(body string) string { return "name: t\nrules:\n  - name: a\n" + body }
	tests := []struct {
		name string
		src  string
		want []string // lines after "f.yaml:"
	}{
		// flags
		{"flags unknown", rule("    syscalls: [openat]\n    flags: [O_CREAT, O_NOPE]\n    error: EIO\n"), []string{
			`5:22: rule "a": flags: unknown flag "O_NOPE"`}},
		{"flags wrong family", rule("    syscalls: [openat]\n    flags: [SOCK_CLOEXEC]\n    error: EIO\n"), []string{
			`5:13: rule "a": flags: SOCK_CLOEXEC is not a flag of openat (it takes O_* flags)`}},
		{"flags accept4 type", rule("    syscalls: [socket, accept4]\n    flags: [SOCK_STREAM]\n    error: EIO\n"), []string{
			`5:13: rule "a": flags: SOCK_STREAM is not a flag of accept4 (it takes SOCK_* flags)`}},
		{"flags no flags arg", rule("    syscalls: [openat, newfstatat]\n    flags: [O_CREAT]\n    error: EIO\n"), []string{
			`5:5: rule "a": flags: newfstatat: no flags argument syscage knows (flags work on ` + strings.Join(FlagSyscalls(), ", ") + `)`}},
		{"flags mixed families", rule("    syscalls: [openat, socket]\n    flags: [O_CLOEXEC]\n    error: EIO\n"), []string{
			`5:5: rule "a": flags: openat takes O_* flags, socket takes SOCK_* flags; split the rule`}},
		{"flags two modes", rule("    syscalls: [openat]\n    flags: [O_RDONLY, O_RDWR]\n    error: EIO\n"), []string{
			`5:23: rule "a": flags: O_RDONLY and O_RDWR are both an access mode; give one`}},
		{"flags not a list", rule("    syscalls: [openat]\n    flags: O_CREAT\n    error: EIO\n"), []string{
			`5:12: rule "a": flags: want a list, got a string`}},
		{"flags empty", rule("    syscalls: [openat]\n    flags: []\n    error: EIO\n"), []string{
			`5:12: rule "a": flags: empty list`}},
		// address
		{"cidr host bits", rule("    syscalls: [connect]\n    address: 10.1.2.3/8\n    error: EIO\n"), []string{
			`5:14: rule "a": address: "10.1.2.3/8" has host bits set; the network is 10.0.0.0/8`}},
		{"bad cidr", rule("    syscalls: [connect]\n    address: 10.0.0.0/33\n    error: EIO\n"), []string{
			`5:14: rule "a": address: bad CIDR network "10.0.0.0/33" (want 10.0.0.0/8 or fd00::/8)`}},
		{"empty abstract", rule("    syscalls: [connect]\n    address: \"@\"\n    error: EIO\n"), []string{
			`5:14: rule "a": address: "@": empty abstract socket name (want @name, a glob)`}},
		{"bad abstract glob", rule("    syscalls: [connect]\n    address: \"@x[\"\n    error: EIO\n"), []string{
			`5:14: rule "a": address: bad glob "x["`}},
		{"unix trailing slash", rule("    syscalls: [connect]\n    address: /run/\n    error: EIO\n"), []string{
			`5:14: rule "a": address: glob "/run/" never matches: paths are cleaned, without a trailing /`}},
		{"address type", rule("    syscalls: [connect]\n    address: 5\n    error: EIO\n"), []string{
			`5:14: rule "a": address: want a string, got an integer`}},
		// family
		{"family unknown", rule("    syscalls: [connect]\n    family: AF_IPX\n    error: EIO\n"), []string{
			`5:13: rule "a": family: unknown family "AF_IPX" (want one of ` + familyList + `)`}},
		{"family vs ip", rule("    syscalls: [connect]\n    family: unix\n    address: 10.0.0.1\n    error: EIO\n"), []string{
			`5:13: rule "a": family AF_UNIX cannot have an IP address`}},
		{"family vs v6", rule("    syscalls: [connect]\n    family: inet\n    address: \"::1\"\n    error: EIO\n"), []string{
			`5:13: rule "a": family AF_INET cannot have an IPv6 address`}},
		{"family vs unix", rule("    syscalls: [connect]\n    family: inet6\n    address: /x\n    error: EIO\n"), []string{
			`5:13: rule "a": family AF_INET6 cannot have a unix socket address`}},
		{"family vs port", rule("    syscalls: [connect]\n    family: unix\n    port: 80\n    error: EIO\n"), []string{
			`5:13: rule "a": family AF_UNIX has no ports`}},
		// process
		{"process unknown key", rule("    syscalls: [read]\n    process: {name: x}\n    error: EIO\n"), []string{
			`5:15: rule "a": process: unknown key "name" (want one of comm, exe, pid)`}},
		{"process empty", rule("    syscalls: [read]\n    process: {}\n    error: EIO\n"), []string{
			`5:14: rule "a": process: empty; give comm, exe or pid`}},
		{"comm too long", rule("    syscalls: [read]\n    process: {comm: a-very-long-command}\n    error: EIO\n"), []string{
			`5:21: rule "a": process: comm: "a-very-long-command" never matches: the kernel keeps 15 bytes of a comm ("a-very-long-com")`}},
		{"comm slash", rule("    syscalls: [read]\n    process: {comm: /bin/sh}\n    error: EIO\n"), []string{
			`5:21: rule "a": process: comm: "/bin/sh" never matches: a comm has no /; use exe: for a path`}},
		{"exe relative", rule("    syscalls: [read]\n    process: {exe: bin/sh}\n    error: EIO\n"), []string{
			`5:20: rule "a": process: exe: glob "bin/sh" never matches: paths are absolute; start it with / or **/`}},
		{"pid zero", rule("    syscalls: [read]\n    process: {pid: 0}\n    error: EIO\n"), []string{
			`5:20: rule "a": process: pid: 0 out of range 1..2147483647`}},
		// args
		{"args not list", rule("    syscalls: [read]\n    args: {index: 1}\n    error: EIO\n"), []string{
			`5:11: rule "a": args: want a list, got a mapping`}},
		{"args bad", rule("    syscalls: [read]\n    args:\n      - {index: 6, op: \"~\", value: zz}\n      - {op: \"==\"}\n    error: EIO\n"), []string{
			`6:17: rule "a": args 1: index: 6 out of range 0..5`,
			`6:24: rule "a": args 1: op: unknown op "~" (want &, ==, !=, <, <=, > or >=)`,
			`6:36: rule "a": args 1: value: bad value "zz" (want a 64-bit integer: 64, 0x40, 0o100, -1)`,
			`7:9: rule "a": args 2: missing index`,
			`7:9: rule "a": args 2: missing value`}},
		{"args value type", rule("    syscalls: [read]\n    args: [{index: 0, op: \"==\", value: 1.5}]\n    error: EIO\n"), []string{
			`5:40: rule "a": args 1: value: want an integer or a string such as "0x40", got a number`}},
		// timing
		{"after without unit", rule("    syscalls: [read]\n    after: 2\n    error: EIO\n"), []string{
			`5:12: rule "a": after: 2 has no unit; want a Go duration such as 100ms or 2s`}},
		{"after negative", rule("    syscalls: [read]\n    after: -1s\n    error: EIO\n"), []string{
			`5:12: rule "a": after: -1s is negative`}},
		{"for zero", rule("    syscalls: [read]\n    for: 0s\n    error: EIO\n"), []string{
			`5:10: rule "a": for: 0s: want more than 0`}},
		{"for bad", rule("    syscalls: [read]\n    for: soon\n    error: EIO\n"), []string{
			`5:10: rule "a": for: bad duration "soon" (want a Go duration such as 100ms or 2s)`}},
		{"scope bad", rule("    syscalls: [read]\n    scope: cpu\n    error: EIO\n"), []string{
			`5:12: rule "a": scope: unknown scope "cpu" (want process, thread or global)`}},
		{"probability zero", rule("    syscalls: [read]\n    probability: 0\n    error: EIO\n"), []string{
			`5:18: rule "a": probability: 0 out of range (want 0 < p <= 1)`}},
		{"probability big", rule("    syscalls: [read]\n    probability: 1.5\n    error: EIO\n"), []string{
			`5:18: rule "a": probability: 1.5 out of range (want 0 < p <= 1)`}},
		{"probability nan", rule("    syscalls: [read]\n    probability: .nan\n    error: EIO\n"), []string{
			`5:18: rule "a": probability: .nan out of range (want 0 < p <= 1)`}},
		{"probability type", rule("    syscalls: [read]\n    probability: often\n    error: EIO\n"), []string{
			`5:18: rule "a": probability: want a number, got a string`}},
		// actions
		{"no action", rule("    syscalls: [read]\n"), []string{
			`3:5: rule "a": missing action; want one of error, retval, kill, log, or delay, delay_exit, signal`}},
		{"kill false", rule("    syscalls: [read]\n    kill: false\n    delay: 1s\n"), []string{
			`5:11: rule "a": kill: false does nothing; leave the key out`}},
		{"log type", rule("    syscalls: [read]\n    log: yes please\n"), []string{
			`5:10: rule "a": log: want true, got a string`}},
		{"kill and error", rule("    syscalls: [read]\n    kill: true\n    error: EIO\n"), []string{
			`6:5: rule "a": error and kill given together; want at most one of error, retval, kill, log`}},
		{"log and retval", rule("    syscalls: [read]\n    log: true\n    retval: 0\n"), []string{
			`6:5: rule "a": retval and log given together; want at most one of error, retval, kill, log`}},
		{"log and delay", rule("    syscalls: [read]\n    log: true\n    delay: 1s\n"), []string{
			`5:5: rule "a": log only prints; it cannot go with delay, delay_exit or signal`}},
		{"kill and signal", rule("    syscalls: [read]\n    kill: true\n    signal: SIGTERM\n"), []string{
			`6:5: rule "a": signal with kill: the process gets SIGKILL; leave signal out`}},
		{"kill and delay_exit", rule("    syscalls: [read]\n    kill: true\n    delay_exit: 1s\n"), []string{
			`6:5: rule "a": delay_exit with kill: the process is gone after the call`}},
		{"signal unknown", rule("    syscalls: [read]\n    signal: SIGFOO\n"), []string{
			`5:13: rule "a": signal: unknown signal "SIGFOO" (want SIGUSR1, USR1, 10, SIGRTMIN, SIGRT_1 ...)`}},
		{"signal range", rule("    syscalls: [read]\n    signal: 65\n"), []string{
			`5:13: rule "a": signal: unknown signal "65" (want SIGUSR1, USR1, 10, SIGRTMIN, SIGRT_1 ...)`}},
		{"signal type", rule("    syscalls: [read]\n    signal: [1]\n"), []string{
			`5:13: rule "a": signal: want a signal name or number, got a list`}},
		{"delay zero", rule("    syscalls: [read]\n    delay: 0s\n"), []string{
			`5:12: rule "a": delay: 0s: want more than 0`}},
		{"delay no unit", rule("    syscalls: [read]\n    delay: 100\n"), []string{
			`5:12: rule "a": delay: 100 has no unit; want a Go duration such as 100ms or 2s`}},
		// expect
		{"expect unknown", rule("    syscalls: [read]\n    error: EIO\n    expect: sometimes\n"), []string{
			`6:13: rule "a": expect: unknown expectation "sometimes" (want fired, never or {min: N, max: M})`}},
		{"expect min over max", rule("    syscalls: [read]\n    error: EIO\n    expect: {min: 3, max: 1}\n"), []string{
			`6:13: rule "a": expect: min 3 is more than max 1`}},
		{"expect negative", rule("    syscalls: [read]\n    error: EIO\n    expect: {min: -1}\n"), []string{
			`6:19: rule "a": expect: min: -1 is negative`}},
		{"expect empty", rule("    syscalls: [read]\n    error: EIO\n    expect: {}\n"), []string{
			`6:13: rule "a": expect: empty; give min, max or both`}},
		{"expect list", rule("    syscalls: [read]\n    error: EIO\n    expect: [fired]\n"), []string{
			`6:13: rule "a": expect: want fired, never or {min: N, max: M}, got a list`}},
		{"expect unknown key", rule("    syscalls: [read]\n    error: EIO\n    expect: {least: 1}\n"), []string{
			`6:14: rule "a": expect: unknown key "least" (want one of min, max)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse([]byte(tt.src), "f.yaml")
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", s)
			}
			want := "f.yaml:" + strings.Join(tt.want, "\nf.yaml:")
			if err.Error() != want {
				t.Errorf("error\n got:\n%s\nwant:\n%s", err, want)
			}
		})
	}
}

// TestProblemString checks the three forms of a Problem.
func TestProblemString(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{"a.yaml", 3, 7, "bad"}, "a.yaml:3:7: bad"},
		{Problem{"a.yaml", 3, 0, "bad"}, "a.yaml:3: bad"},
		{Problem{"a.yaml", 0, 5, "bad"}, "a.yaml: bad"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// TestYAMLSyntaxErrorsHaveNoColumn: yaml.v3 gives lines only.
func TestYAMLSyntaxErrorsHaveNoColumn(t *testing.T) {
	_, err := Parse([]byte("name: t\nrules: [\n"), "f.yaml")
	if err == nil || err.Error() != "f.yaml:2: did not find expected node content" {
		t.Errorf("got %v", err)
	}
}
