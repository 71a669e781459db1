package inject

import (
	"net/netip"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
)

func mustParse(t testing.TB, src string) *Scenario {
	t.Helper()
	s, err := Parse([]byte(src), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func inet(addrPort string) *decode.Sockaddr {
	ap := netip.MustParseAddrPort(addrPort)
	fam := uint16(unix.AF_INET)
	if ap.Addr().Is6() {
		fam = unix.AF_INET6
	}
	return &decode.Sockaddr{Family: fam, Addr: ap}
}

func unixSock(path string) *decode.Sockaddr {
	return &decode.Sockaddr{Family: unix.AF_UNIX, Path: path}
}

func pathEv(name, path string) Event {
	return Event{Pid: 1, Name: name, Path: path, HasPath: true}
}

func sockEv(name string, sa *decode.Sockaddr) Event {
	return Event{Pid: 1, Name: name, Sockaddr: sa}
}

// decided is the name of the rule that decided, "" for Continue.
func decided(d Decision) string {
	if d.Rule == nil {
		return ""
	}
	return d.Rule.Name
}

func TestMatching(t *testing.T) {
	s := mustParse(t, `name: m
rules:
  - {name: yaml-in-myapp, syscalls: [openat, statx], path: "/etc/myapp/*.yaml", error: ENOENT}
  - {name: under-data, syscalls: [openat], path: "/data/**", error: EACCES}
  - {name: any-app-yaml, syscalls: [openat], path: "**/app.yaml", error: EIO}
  - {name: v4-db, syscalls: [connect], address: 127.0.0.1, port: 5432, error: ECONNREFUSED}
  - {name: v6-db, syscalls: [connect], address: "::1", port: 5432, error: ECONNREFUSED}
  - {name: mapped, syscalls: [connect], address: "::ffff:10.0.0.1", error: EPERM}
  - {name: link-local, syscalls: [connect], address: "fe80::1", error: EPERM}
  - {name: dns, syscalls: [sendto, connect], port: 53, error: EAGAIN}
  - {name: any-read, syscalls: [read], retval: 0}
`)
	e := NewEngine([]*Scenario{s})
	tests := []struct {
		desc string
		ev   Event
		want string
	}{
		{"glob * in segment", pathEv("openat", "/etc/myapp/a.yaml"), "yaml-in-myapp"},
		{"other syscall of the rule", pathEv("statx", "/etc/myapp/b.yaml"), "yaml-in-myapp"},
		{"* does not cross /", pathEv("openat", "/etc/myapp/sub/a.yaml"), ""},
		{"wrong suffix", pathEv("openat", "/etc/myapp/a.yml"), ""},
		{"syscall not in rule", pathEv("newfstatat", "/etc/myapp/a.yaml"), ""},
		{"no path", Event{Pid: 1, Name: "openat"}, ""},
		{"** deep", pathEv("openat", "/data/x/y/z"), "under-data"},
		{"** one level", pathEv("openat", "/data/x"), "under-data"},
		{"** dir itself", pathEv("openat", "/data"), "under-data"},
		{"prefix is not a dir", pathEv("openat", "/database/x"), ""},
		{"leading ** deep", pathEv("openat", "/srv/a/b/app.yaml"), "any-app-yaml"},
		{"leading ** at root", pathEv("openat", "/app.yaml"), "any-app-yaml"},
		{"leading ** name only", pathEv("openat", "/srv/myapp.yaml"), ""},
		{"v4", sockEv("connect", inet("127.0.0.1:5432")), "v4-db"},
		{"v4-mapped v6 matches v4 rule", sockEv("connect", inet("[::ffff:127.0.0.1]:5432")), "v4-db"},
		{"v4 other port", sockEv("connect", inet("127.0.0.1:5433")), ""},
		{"v4 other address", sockEv("connect", inet("127.0.0.2:5432")), ""},
		{"v6", sockEv("connect", inet("[::1]:5432")), "v6-db"},
		{"v6 other port", sockEv("connect", inet("[::1]:80")), ""},
		{"mapped rule matches v4", sockEv("connect", inet("10.0.0.1:9")), "mapped"},
		{"mapped rule matches mapped", sockEv("connect", inet("[::ffff:10.0.0.1]:9")), "mapped"},
		{"event zone ignored", sockEv("connect", inet("[fe80::1%2]:22")), "link-local"},
		{"port only, v4", sockEv("connect", inet("8.8.8.8:53")), "dns"},
		{"port only, v6", sockEv("sendto", inet("[2001:db8::1]:53")), "dns"},
		{"unix socket never matches", sockEv("connect", unixSock("/run/postgresql/.s.PGSQL.5432")), ""},
		{"abstract unix socket", sockEv("connect", &decode.Sockaddr{Family: unix.AF_UNIX, Path: "x", Abstract: true}), ""},
		{"AF_INET with unset address", sockEv("connect", &decode.Sockaddr{Family: unix.AF_INET}), ""},
		{"no sockaddr", Event{Pid: 1, Name: "connect"}, ""},
		{"no matchers", Event{Pid: 1, Name: "read"}, "any-read"},
		{"unknown syscall", Event{Pid: 1, Name: "syscall_0x1ff"}, ""},
	}
	for _, tt := range tests {
		if got := decided(e.Decide(tt.ev)); got != tt.want {
			t.Errorf("%s: %+v decided by %q, want %q", tt.desc, tt.ev, got, tt.want)
		}
	}
}

func TestDecision(t *testing.T) {
	s := mustParse(t, `name: d
rules:
  - {name: err, syscalls: [openat], error: ENOENT}
  - {name: ret, syscalls: [write], retval: 42}
  - {name: neg, syscalls: [read], retval: -5000}
`)
	e := NewEngine([]*Scenario{s})
	tests := []struct {
		name string
		want Decision
	}{
		{"openat", Decision{Action: Error, Errno: 2, Rule: s.Rules[0]}},
		{"write", Decision{Action: Retval, Retval: 42, Rule: s.Rules[1]}},
		{"read", Decision{Action: Retval, Retval: -5000, Rule: s.Rules[2]}},
		{"close", Decision{}},
	}
	for _, tt := range tests {
		if got := e.Decide(Event{Pid: 7, Name: tt.name}); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if (Decision{}).Action != Continue || Continue.String() != "continue" || Error.String() != "error" ||
		Retval.String() != "retval" || Action(9).String() != "Action(9)" {
		t.Error("Action zero value or names wrong")
	}
}

// TestOrder checks the order semantics: an earlier rule that fires stops
// later rules from counting; one that matched without firing lets them try.
func TestOrder(t *testing.T) {
	s := mustParse(t, `name: o
rules:
  - {name: A, syscalls: [openat], path: "/a/**", error: EIO, when: 2}
  - {name: B, syscalls: [openat], error: EACCES, when: 2}
`)
	e := NewEngine([]*Scenario{s})
	steps := []struct {
		path string
		want string
	}{
		{"/a/1", ""},  // A#1 no, B#1 no
		{"/a/2", "A"}, // A#2 fires; B not tried, stays at 1
		{"/a/3", "B"}, // A#3 no, B#2 fires (would be #3 had it counted call 2)
		{"/a/4", ""},  // A#4 no, B#3 no
		{"/b/1", ""},  // A does not match; B#4 no
	}
	for i, st := range steps {
		if got := decided(e.Decide(pathEv("openat", st.path))); got != st.want {
			t.Errorf("call %d (%s): decided by %q, want %q", i+1, st.path, got, st.want)
		}
	}

	// A rule that does not match does not count: C fires on its second
	// match even with non-matching calls in between.
	s2 := mustParse(t, `name: o2
rules:
  - {name: C, syscalls: [openat], path: "/c", error: EIO, when: 2}
`)
	e2 := NewEngine([]*Scenario{s2})
	var got []string
	for _, p := range []string{"/c", "/x", "/y", "/c", "/c"} {
		got = append(got, decided(e2.Decide(pathEv("openat", p))))
	}
	if want := []string{"", "", "", "C", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("non-matching calls counted: %q, want %q", got, want)
	}
}

func TestScenarioOrder(t *testing.T) {
	first := mustParse(t, "name: first\nrules: [{name: x, syscalls: [openat], error: EIO}]\n")
	second := mustParse(t, "name: second\nrules: [{name: x, syscalls: [openat, read], error: EPERM}]\n")
	e := NewEngine([]*Scenario{first, nil, second})
	if d := e.Decide(pathEv("openat", "/f")); d.Rule == nil || d.Rule.Scenario != first || d.Errno != 5 {
		t.Errorf("openat decided by %+v, want first's rule", d)
	}
	if d := e.Decide(pathEv("read", "/f")); d.Rule == nil || d.Rule.Scenario != second || d.Errno != 1 {
		t.Errorf("read decided by %+v, want second's rule", d)
	}
	e = NewEngine([]*Scenario{second, first})
	if d := e.Decide(pathEv("openat", "/f")); d.Rule == nil || d.Rule.Scenario != second {
		t.Errorf("openat decided by %+v, want second's rule", d)
	}
}

func TestPerProcess(t *testing.T) {
	s := mustParse(t, "name: p\nrules: [{name: second, syscalls: [openat], error: EIO, when: 2}]\n")
	e := NewEngine([]*Scenario{s})
	ev := func(pid int) Event { return Event{Pid: pid, Name: "openat"} }
	steps := []struct {
		pid    int
		forget bool
		want   string
	}{
		{pid: 100, want: ""},
		{pid: 200, want: ""}, // a forked child starts at 1
		{pid: 100, want: "second"},
		{pid: 100, want: ""},
		{pid: 200, want: "second"},
		{pid: 100, forget: true},
		{pid: 100, want: ""}, // a new process with a recycled pid starts at 1
		{pid: 100, want: "second"},
		{pid: 0, want: ""},
		{pid: 0, want: "second"},
	}
	for i, st := range steps {
		if st.forget {
			e.Forget(st.pid)
			continue
		}
		if got := decided(e.Decide(ev(st.pid))); got != st.want {
			t.Errorf("step %d (pid %d): decided by %q, want %q", i, st.pid, got, st.want)
		}
	}
	e.Forget(12345) // unknown pid: nothing happens

	// Thread scope: ForgetThread drops one thread's counters only.
	s = mustParse(t, "name: t\nrules: [{name: second, syscalls: [openat], error: EIO, when: 2, scope: thread}]\n")
	e = NewEngine([]*Scenario{s})
	tev := func(tid int) Event { return Event{Pid: 100, Tid: tid, Name: "openat"} }
	for i, st := range []struct {
		tid    int
		forget bool
		want   string
	}{
		{tid: 101, want: ""},
		{tid: 102, want: ""},
		{tid: 101, forget: true},
		{tid: 101, want: ""}, // a new thread with a recycled tid starts at 1
		{tid: 102, want: "second"},
		{tid: 101, want: "second"},
	} {
		if st.forget {
			e.ForgetThread(100, st.tid)
			continue
		}
		if got := decided(e.Decide(tev(st.tid))); got != st.want {
			t.Errorf("thread step %d (tid %d): decided by %q, want %q", i, st.tid, got, st.want)
		}
	}
	e.ForgetThread(999, 1) // unknown: nothing happens
	(*Engine)(nil).ForgetThread(1, 1)
}

func TestEngineSyscalls(t *testing.T) {
	a := mustParse(t, "name: a\nrules: [{name: x, syscalls: [write, openat], error: EIO}, {name: y, syscalls: [openat], error: EIO}]\n")
	b := mustParse(t, "name: b\nrules: [{name: z, syscalls: [connect], error: EIO}]\n")
	e := NewEngine([]*Scenario{a, b})
	want := []string{"connect", "openat", "write"}
	if got := e.Syscalls(); !reflect.DeepEqual(got, want) {
		t.Errorf("Syscalls() = %q, want %q", got, want)
	}
	e.Syscalls()[0] = "changed"
	if got := e.Syscalls(); !reflect.DeepEqual(got, want) {
		t.Errorf("Syscalls() shares its slice: %q", got)
	}
	if e.Empty() {
		t.Error("Empty() with rules")
	}
	for _, empty := range []*Engine{nil, NewEngine(nil), NewEngine([]*Scenario{{Name: "none"}})} {
		if !empty.Empty() || len(empty.Syscalls()) != 0 {
			t.Errorf("engine %v not empty", empty)
		}
		if d := empty.Decide(Event{Pid: 1, Name: "openat"}); d != (Decision{}) {
			t.Errorf("empty engine decided %+v", d)
		}
		empty.Forget(1)
	}
}

func TestDecideAllocs(t *testing.T) {
	s := mustParse(t, `name: a
rules:
  - {name: x, syscalls: [openat], path: "/etc/**", error: EIO, when: 3+}
  - {name: y, syscalls: [connect], address: 127.0.0.1, error: EIO}
  - {name: flags, syscalls: [openat], flags: [O_CREAT, O_WRONLY], path: "/tmp/**", error: EROFS, scope: thread}
  - {name: net, syscalls: [connect], address: 10.0.0.0/8, port: "1000-2000", family: inet, error: EIO, probability: 0.5}
  - {name: sock, syscalls: [connect], address: "/run/**/*.sock", error: EIO, after: 1s, for: 1h}
  - {name: abstract, syscalls: [connect], address: "@dbus-*", error: EIO, scope: global}
  - name: disk
    syscalls: [write]
    fd_path: "/var/lib/**"
    process: {comm: "post*", exe: "/usr/**"}
    args: [{index: 2, op: ">", value: 0}]
    error: ENOSPC
    delay: 1ms
    signal: SIGUSR1
`)
	e := NewEngine([]*Scenario{s})
	// Make pid 1's and tid 1's counters.
	e.Decide(pathEv("openat", "/etc/x"))
	e.Decide(Event{Pid: 1, Tid: 1, Name: "openat", Path: "/tmp/x", HasPath: true})
	write := Event{Pid: 1, Tid: 1, Name: "write", FDPath: "/var/lib/db/x", HasFDPath: true,
		Comm: "postgres", Exe: "/usr/lib/postgresql/bin/postgres", Text: "write(3, ...)"}
	write.Args[2] = 100
	creat := Event{Pid: 1, Tid: 1, Name: "openat", Path: "/tmp/f", HasPath: true}
	creat.Args[2] = unix.O_CREAT | unix.O_WRONLY
	for _, ev := range []Event{
		{Pid: 1, Name: "read"},
		pathEv("openat", "/usr/lib/libc.so.6"),
		pathEv("openat", "/etc/passwd"),
		sockEv("connect", inet("127.0.0.1:80")),
		sockEv("connect", inet("10.0.0.1:80")),
		sockEv("connect", inet("10.0.0.1:1500")),
		{Pid: 1, Name: "connect", Sockaddr: unixSock("/run/x/y.sock"), Elapsed: 2 * time.Second},
		{Pid: 1, Name: "connect", Sockaddr: &decode.Sockaddr{Family: unix.AF_UNIX, Path: "dbus-1", Abstract: true}},
		write,
		creat,
	} {
		if n := testing.AllocsPerRun(100, func() { e.Decide(ev) }); n != 0 {
			t.Errorf("Decide(%+v) allocates %v times", ev, n)
		}
	}
}

// TestConcurrent runs Decide from many goroutines (run with -race): counts
// stay exact per process, whichever thread makes the call.
func TestConcurrent(t *testing.T) {
	s := mustParse(t, `name: c
rules:
  - {name: every-fifth, syscalls: [openat], path: "/hot/**", error: EIO, when: 5+5}
  - {name: rest, syscalls: [openat, read], error: EPERM, when: 1..1000}
`)
	e := NewEngine([]*Scenario{s})
	const (
		pids       = 4
		goroutines = 32 // 8 threads per process
		calls      = 500
	)
	var fifth, rest, cont [pids]atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pid := 1000 + g%pids
			for i := range calls {
				ev := pathEv("openat", "/hot/f")
				if i%2 == 1 {
					ev = Event{Pid: pid, Name: "read"}
				}
				ev.Pid = pid
				switch decided(e.Decide(ev)) {
				case "every-fifth":
					fifth[g%pids].Add(1)
				case "rest":
					rest[g%pids].Add(1)
				default:
					cont[g%pids].Add(1)
				}
				if i%100 == 0 {
					e.Forget(99999) // Forget of another process runs alongside
				}
			}
		}()
	}
	wg.Wait()
	perPid := int64(goroutines / pids * calls) // 4000 calls: 2000 openat, 2000 read
	for p := range pids {
		// openat: every fifth of 2000 fires the first rule; the other
		// 1600 and all 2000 reads go on to "rest", which fires on its
		// first 1000 matches only.
		if fifth[p].Load() != 400 || rest[p].Load() != 1000 || cont[p].Load() != perPid-1400 {
			t.Errorf("pid %d: every-fifth %d, rest %d, continue %d; want 400, 1000, %d",
				1000+p, fifth[p].Load(), rest[p].Load(), cont[p].Load(), perPid-1400)
		}
	}
}

func BenchmarkDecideUnwatched(b *testing.B) {
	s := mustParse(b, "name: b\nrules: [{name: x, syscalls: [openat], path: \"/etc/**\", error: EIO}]\n")
	e := NewEngine([]*Scenario{s})
	ev := Event{Pid: 1, Name: "read"}
	for b.Loop() {
		e.Decide(ev)
	}
}

func BenchmarkDecideGlob(b *testing.B) {
	s := mustParse(b, "name: b\nrules: [{name: x, syscalls: [openat], path: \"/etc/**/*.yaml\", error: EIO}]\n")
	e := NewEngine([]*Scenario{s})
	ev := pathEv("openat", "/etc/myapp/conf.d/app.yaml")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e.Decide(ev)
		}
	})
}
