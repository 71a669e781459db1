package policy

import (
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	seccomp "github.com/seccomp/libseccomp-golang"
)

func isAMD64(t *testing.T) bool {
	t.Helper()
	a, err := seccomp.GetNativeArch()
	if err != nil {
		t.Fatal(err)
	}
	return a == seccomp.ArchAMD64
}

func TestParseTrace(t *testing.T) {
	amd64 := isAMD64(t)
	tests := []struct {
		expr       string
		has, hasnt []string
		all, none  bool
		names      []string // exact Names(), when set
		amd64Only  bool
	}{
		{expr: "openat", has: []string{"openat"}, hasnt: []string{"close", "open"}, names: []string{"openat"}},
		{expr: "openat,close", names: []string{"close", "openat"}},
		{expr: "open,,close", names: []string{"close", "open"}},
		{expr: "!!openat", names: []string{"openat"}},
		{expr: "all", all: true, has: []string{"openat", "getgid32", "no_such_call"}},
		{expr: "!none", all: true},
		{expr: "none", none: true, hasnt: []string{"openat"}},
		{expr: "!all", none: true},
		{expr: "!!none", none: true},
		{expr: "all,openat", has: []string{"read", "getgid32"}},
		{expr: "!openat,close", has: []string{"read", "getgid32", "no_such_call"}, hasnt: []string{"openat", "close"}},
		{expr: "%file", has: []string{"openat", "execve", "stat", "statfs", "getxattr"}, hasnt: []string{"read", "close"}},
		{expr: "file", has: []string{"openat", "execve"}, hasnt: []string{"read"}},
		{expr: "%network", has: []string{"socket", "connect", "sendmsg"}, hasnt: []string{"read", "socketcall"}},
		{expr: "%net", has: []string{"socket", "connect", "sendmsg"}, hasnt: []string{"read"}},
		{expr: "network", has: []string{"socket"}},
		{expr: "%process", has: []string{"execve", "clone", "exit_group", "wait4", "kill"}, hasnt: []string{"openat"}},
		{expr: "process", has: []string{"execve"}},
		{expr: "%desc", has: []string{"read", "write", "close", "openat", "mmap"}, hasnt: []string{"getpid"}},
		{expr: "%signal", has: []string{"kill", "rt_sigaction", "rt_sigprocmask"}, hasnt: []string{"openat"}},
		{expr: "signal", has: []string{"kill"}},
		{expr: "%memory", has: []string{"mmap", "brk", "munmap", "mprotect"}, hasnt: []string{"read"}},
		{expr: "%ipc", has: []string{"shmget", "semop", "msgsnd"}, hasnt: []string{"read"}},
		{expr: "%creds", has: []string{"getuid", "setresuid", "getgid32", "capget"}, hasnt: []string{"getpid"}},
		{expr: "%clock", has: []string{"clock_gettime", "adjtimex"}, hasnt: []string{"nanosleep"}},
		{expr: "%stat", has: []string{"stat", "stat64"}, hasnt: []string{"fstat", "lstat", "statfs"}},
		{expr: "%lstat", has: []string{"lstat", "lstat64"}, hasnt: []string{"stat"}},
		{expr: "%fstat", has: []string{"fstat", "fstat64", "newfstatat", "statx"}, hasnt: []string{"stat"}},
		{expr: "%%stat", has: []string{"stat", "lstat", "fstat", "newfstatat", "statx"}, hasnt: []string{"statfs"}},
		{expr: "%statfs", has: []string{"statfs", "statfs64"}, hasnt: []string{"fstatfs"}},
		{expr: "%fstatfs", has: []string{"fstatfs", "fstatfs64"}, hasnt: []string{"statfs"}},
		{expr: "%%statfs", names: []string{"fstatfs", "fstatfs64", "statfs", "statfs64", "ustat"}},
		{expr: "%pure", has: []string{"getpid", "getuid", "gettid"}, hasnt: []string{"read"}},
		{expr: "%file,%net", has: []string{"openat", "connect"}},
		{expr: "?foo", none: true},
		{expr: "??foo,openat", names: []string{"openat"}},
		{expr: "?%bar", none: true},
		{expr: "?", none: true},
		{expr: "/^open", has: []string{"open", "openat", "openat2", "open_by_handle_at", "open_tree"}, hasnt: []string{"fsopen"}},
		{expr: "/^(getgid|getuid)32$", names: []string{"getgid32", "getuid32"}},
		{expr: "200", names: []string{"getgid32", "tkill"}, amd64Only: true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			if tt.amd64Only && !amd64 {
				t.Skip("numbers resolve on this machine's arches; case written for x86_64")
			}
			s, err := ParseTrace(tt.expr)
			if err != nil {
				t.Fatalf("ParseTrace(%q): %v", tt.expr, err)
			}
			if s.IsAll() != tt.all || s.IsNone() != tt.none {
				t.Errorf("IsAll=%v IsNone=%v, want %v %v", s.IsAll(), s.IsNone(), tt.all, tt.none)
			}
			for _, n := range tt.has {
				if !s.Has(n) {
					t.Errorf("Has(%q) = false, want true", n)
				}
			}
			for _, n := range tt.hasnt {
				if s.Has(n) {
					t.Errorf("Has(%q) = true, want false", n)
				}
			}
			names := s.Names()
			if !slices.IsSorted(names) {
				t.Errorf("Names() not sorted: %v", names)
			}
			for _, n := range names {
				if !s.Has(n) || !IsSyscall(n) {
					t.Errorf("Names() lists %q: Has=%v IsSyscall=%v", n, s.Has(n), IsSyscall(n))
				}
			}
			if tt.names != nil && !slices.Equal(names, tt.names) {
				t.Errorf("Names() = %v, want %v", names, tt.names)
			}
			if tt.none && len(names) != 0 {
				t.Errorf("IsNone set has Names() %v", names)
			}
		})
	}
}

func TestParseTraceNegatedNames(t *testing.T) {
	s, err := ParseTrace("!openat,close")
	if err != nil {
		t.Fatal(err)
	}
	names := s.Names()
	if slices.Contains(names, "openat") || slices.Contains(names, "close") || !slices.Contains(names, "read") {
		t.Errorf("Names() of !openat,close: openat/close listed or read missing")
	}
	if got := len(names) + 2; got != len(mustTables().all()) {
		t.Errorf("Names() has %d names + 2 excluded, universe %d", len(names), len(mustTables().all()))
	}
	if !s.Negated() || !slices.Equal(s.Excluded(), []string{"close", "openat"}) {
		t.Errorf("Negated=%v Excluded=%v", s.Negated(), s.Excluded())
	}
}

func TestParseTraceErrors(t *testing.T) {
	tests := []struct {
		expr, want string
		invalid    bool // wraps ErrInvalidSyscall
	}{
		{"foo", "invalid system call 'foo'", true},
		{"%bar", "invalid system call '%bar'", true},
		{"", "invalid system call ''", true},
		{"!", "invalid system call '!'", true},
		{",", "invalid system call ','", true},
		{"!,,", "invalid system call '!,,'", true},
		{"openat,!close", "invalid system call '!close'", true},
		{"%FILE", "invalid system call '%FILE'", true},
		{"ALL", "invalid system call 'ALL'", true},
		{"OPENAT", "invalid system call 'OPENAT'", true},
		{" openat", "invalid system call ' openat'", true},
		{"none,openat", "invalid system call 'none'", true},
		{"all,foo", "invalid system call 'foo'", true},
		{"%file,foo", "invalid system call 'foo'", true},
		{"?foo,bar", "invalid system call 'bar'", true},
		{"99999", "invalid system call '99999'", true},
		{"0x10", "invalid system call '0x10'", true},
		{"/zzz", "invalid system call '/zzz'", true},
		{"/[", "invalid regular expression '[': error parsing regexp: missing closing ]: `[`", false},
		{"open@x", "incorrect personality designator 'x' in qualification 'open@x'", false},
		{"open@64", "personality designator '@64' in 'open@64' is not supported", false},
	}
	for _, tt := range tests {
		s, err := ParseTrace(tt.expr)
		if err == nil {
			t.Errorf("ParseTrace(%q) = %+v, want error %q", tt.expr, s, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseTrace(%q) error %q, want %q", tt.expr, err, tt.want)
		}
		if errors.Is(err, ErrInvalidSyscall) != tt.invalid {
			t.Errorf("ParseTrace(%q): errors.Is(ErrInvalidSyscall) = %v", tt.expr, !tt.invalid)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseTrace(%q) error has more than one line", tt.expr)
		}
	}
}

// TestParseTraceErrorsMatchStrace checks the wording against the strace
// installed here, for the expressions whose messages we copy.
func TestParseTraceErrorsMatchStrace(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Fatal("strace is needed (make deps installs it)")
	}
	for _, expr := range []string{"foo", "%bar", "", "!", ",", "openat,!close", "%FILE", "none,openat", "?foo,bar", "99999", "/zzz", "open@x"} {
		out, _ := exec.Command(strace, "-e", "trace="+expr, "true").CombinedOutput()
		first, _, _ := strings.Cut(string(out), "\n")
		first = strings.TrimPrefix(first, strace+": ") // strace prints its argv[0]
		_, err := ParseTrace(expr)
		if err == nil {
			t.Errorf("ParseTrace(%q) accepted what strace rejects: %s", expr, first)
			continue
		}
		if first != err.Error() {
			t.Errorf("expr %q: strace says %q, we say %q", expr, first, err)
		}
	}
}

func TestExpandNames(t *testing.T) {
	got, err := ExpandNames([]string{"openat", "%net", "close", "openat"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("not sorted and de-duplicated: %v", got)
	}
	for _, n := range []string{"openat", "close", "connect", "sendmsg"} {
		if !slices.Contains(got, n) {
			t.Errorf("missing %q in %v", n, got)
		}
	}
	if slices.Contains(got, "read") {
		t.Errorf("read listed: %v", got)
	}
	if got, err := ExpandNames(nil); err != nil || got != nil {
		t.Errorf("ExpandNames(nil) = %v, %v", got, err)
	}
	for _, tt := range []struct {
		items []string
		want  string
		is    error
	}{
		{[]string{"openat", "foo"}, "invalid system call 'foo'", ErrInvalidSyscall},
		{[]string{""}, "invalid system call ''", ErrInvalidSyscall},
		{[]string{"%bar"}, "invalid class '%bar'", ErrInvalidClass},
		{[]string{"file"}, "invalid system call 'file'", ErrInvalidSyscall},
	} {
		_, err := ExpandNames(tt.items)
		if err == nil || err.Error() != tt.want || !errors.Is(err, tt.is) {
			t.Errorf("ExpandNames(%q) error %v, want %q", tt.items, err, tt.want)
		}
	}
}

func TestIsSyscall(t *testing.T) {
	for name, want := range map[string]bool{
		"openat": true, "getgid32": true, "tkill": true, "socketcall": true, "open": true,
		"newfstatat": true, "foo": false, "": false, "%file": false, "OPENAT": false,
	} {
		if got := IsSyscall(name); got != want {
			t.Errorf("IsSyscall(%q) = %v", name, got)
		}
	}
}

// TestClasses checks the generated table: every class expands to names
// libseccomp knows, and says which of strace's names libseccomp lacks.
func TestClasses(t *testing.T) {
	for _, c := range Classes() {
		names, ok := classMembers(c)
		if !ok || len(names) == 0 {
			t.Errorf("class %s: ok=%v, %d names", c, ok, len(names))
		}
		for _, n := range names {
			if !IsSyscall(n) {
				t.Errorf("class %s: %q unknown to libseccomp", c, n)
			}
		}
	}
	var missing []string
	for _, members := range straceClasses {
		for _, n := range members {
			if !IsSyscall(n) && !slices.Contains(missing, n) {
				missing = append(missing, n)
			}
		}
	}
	slices.Sort(missing)
	t.Logf("strace %s class members libseccomp %s does not know (dropped): %v", straceVersion, libseccompVersion(), missing)
}

func libseccompVersion() string {
	ma, mi, mc := seccomp.GetLibraryVersion()
	return fmt.Sprintf("%d.%d.%d", ma, mi, mc)
}

func TestFilterSpecNotify(t *testing.T) {
	s := FilterSpec{Names: []string{"openat"}}
	s.Notify("execve", "openat")
	if got := strings.Join(s.Names, ","); got != "openat,execve" {
		t.Errorf("Names = %s", got)
	}
	a := FilterSpec{All: true, Except: []string{"execve", "close"}}
	a.Notify("execve")
	if got := strings.Join(a.Except, ","); got != "close" {
		t.Errorf("Except = %s", got)
	}
}

// TestHasAgreesWithFullTable checks the name-by-name membership test
// (archTable.has, a hash lookup in libseccomp) against the arch's whole
// number → name table, for every name of every supported arch and for the
// socketcall and ipc names libseccomp gives pseudo numbers on i386.
func TestHasAgreesWithFullTable(t *testing.T) {
	tb := mustTables()
	names := append(slices.Clone(tb.all()), "send", "recv", "accept", "socketcall", "ipc",
		"semop", "shmat", "nosuchcall", "")
	for _, at := range tb.arches {
		full := at.full().names
		for _, n := range names {
			if got, want := at.has(n), full[n]; got != want {
				t.Errorf("%v: has(%q) = %v, the table says %v", at.arch, n, got, want)
			}
		}
	}
}
