package inject

import (
	"reflect"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
)

// one returns the engine of a one-rule scenario given as YAML rule keys.
func one(t testing.TB, keys string) *Engine {
	t.Helper()
	return NewEngine([]*Scenario{mustParse(t, "name: one\nrules:\n  - name: r\n"+keys)})
}

func abstractSock(name string) *decode.Sockaddr {
	return &decode.Sockaddr{Family: unix.AF_UNIX, Path: name, Abstract: true}
}

func withArgs(name string, args ...uint64) Event {
	ev := Event{Pid: 1, Tid: 1, Name: name}
	copy(ev.Args[:], args)
	return ev
}

// TestMatchers runs each matcher over calls that must and must not match.
func TestMatchers(t *testing.T) {
	const (
		rdonly = unix.O_RDONLY
		wronly = unix.O_WRONLY
		rdwr   = unix.O_RDWR
		creat  = unix.O_CREAT
		excl   = unix.O_EXCL
		cloexc = unix.O_CLOEXEC
		atcwd  = uint64(0xffffffffffffff9c) // AT_FDCWD sign-extended
	)
	type call struct {
		desc string
		ev   Event
		want bool
	}
	tests := []struct {
		name  string
		keys  string
		calls []call
	}{
		{"flags on openat and open", "    syscalls: [open, openat]\n    flags: [O_CREAT, O_EXCL]\n    error: EEXIST\n", []call{
			{"openat O_CREAT|O_EXCL", withArgs("openat", atcwd, 0, creat|excl|wronly), true},
			{"openat O_CREAT|O_EXCL|O_CLOEXEC", withArgs("openat", atcwd, 0, creat|excl|cloexc), true},
			{"openat O_CREAT only", withArgs("openat", atcwd, 0, creat), false},
			{"open flags in arg 1", withArgs("open", 0, creat|excl), true},
			{"open flags in arg 2 do not count", withArgs("open", 0, 0, creat|excl), false},
			{"upper 32 bits ignored", withArgs("openat", atcwd, 0, 0xffffffff00000000), false},
		}},
		{"access mode", "    syscalls: [openat]\n    flags: [O_RDONLY]\n    error: EACCES\n", []call{
			{"O_RDONLY", withArgs("openat", atcwd, 0, rdonly|cloexc), true},
			{"O_WRONLY", withArgs("openat", atcwd, 0, wronly), false},
			{"O_RDWR", withArgs("openat", atcwd, 0, rdwr|creat), false},
		}},
		{"access mode O_WRONLY", "    syscalls: [openat]\n    flags: [O_WRONLY, O_TRUNC]\n    error: EROFS\n", []call{
			{"O_WRONLY|O_TRUNC", withArgs("openat", atcwd, 0, wronly|unix.O_TRUNC), true},
			{"O_RDWR|O_TRUNC (RDWR is not WRONLY)", withArgs("openat", atcwd, 0, rdwr|unix.O_TRUNC), false},
		}},
		{"creat implies O_CREAT|O_WRONLY|O_TRUNC", "    syscalls: [creat, openat]\n    flags: [O_CREAT, O_WRONLY]\n    error: EROFS\n", []call{
			{"creat", withArgs("creat", 0, 0o644), true},
			{"openat O_RDWR|O_CREAT", withArgs("openat", atcwd, 0, rdwr|creat), false},
		}},
		{"socket type and flags", "    syscalls: [socket]\n    flags: [SOCK_DGRAM, SOCK_NONBLOCK]\n    error: EAFNOSUPPORT\n", []call{
			{"dgram nonblock", withArgs("socket", unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0), true},
			{"stream nonblock", withArgs("socket", unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK, 0), false},
			{"dgram blocking", withArgs("socket", unix.AF_INET, unix.SOCK_DGRAM, 0), false},
		}},
		{"accept4 flags", "    syscalls: [accept4]\n    flags: [SOCK_CLOEXEC]\n    error: EMFILE\n", []call{
			{"cloexec", withArgs("accept4", 3, 0, 0, unix.SOCK_CLOEXEC), true},
			{"none", withArgs("accept4", 3, 0, 0, 0), false},
		}},
		{"mmap", "    syscalls: [mmap]\n    flags: [MAP_SHARED, MAP_ANONYMOUS]\n    error: ENOMEM\n", []call{
			{"shared anon", withArgs("mmap", 0, 4096, 3, unix.MAP_SHARED|unix.MAP_ANONYMOUS), true},
			{"private anon", withArgs("mmap", 0, 4096, 3, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS), false},
			{"shared_validate is not shared", withArgs("mmap", 0, 4096, 3, unix.MAP_SHARED_VALIDATE|unix.MAP_ANONYMOUS), false},
		}},
		{"pipe2 and dup3", "    syscalls: [pipe2, dup3]\n    flags: [O_CLOEXEC]\n    error: EMFILE\n", []call{
			{"pipe2", withArgs("pipe2", 0, cloexc), true},
			{"dup3", withArgs("dup3", 1, 2, cloexc), true},
			{"dup3 no flag", withArgs("dup3", 1, 2, 0), false},
		}},
		{"args ops", "    syscalls: [ioctl]\n    args:\n      - {index: 1, op: \"&\", value: 0x40}\n      - {index: 0, op: \">=\", value: 3}\n      - {index: 0, op: \"<\", value: 10}\n      - {index: 2, op: \"!=\", value: 0}\n    error: ENOTTY\n", []call{
			{"all hold", withArgs("ioctl", 3, 0x41, 1), true},
			{"mask bit missing", withArgs("ioctl", 3, 0x81, 1), false},
			{"fd too low", withArgs("ioctl", 2, 0x40, 1), false},
			{"fd too high", withArgs("ioctl", 10, 0x40, 1), false},
			{"fd upper edge", withArgs("ioctl", 9, 0xff, 1), true},
			{"arg2 zero", withArgs("ioctl", 5, 0x40, 0), false},
		}},
		{"args == and <= > unsigned", "    syscalls: [lseek]\n    args: [{index: 1, op: \"==\", value: -1}, {index: 2, op: \">\", value: 1}, {index: 2, op: \"<=\", value: 2}]\n    error: EINVAL\n", []call{
			{"-1 is 2^64-1", withArgs("lseek", 3, ^uint64(0), 2), true},
			{"whence 1", withArgs("lseek", 3, ^uint64(0), 1), false},
			{"whence 3", withArgs("lseek", 3, ^uint64(0), 3), false},
			{"offset 0", withArgs("lseek", 3, 0, 2), false},
		}},
		{"fd_path", "    syscalls: [write, fsync]\n    fd_path: \"/var/lib/db/**\"\n    error: ENOSPC\n", []call{
			{"file under", Event{Pid: 1, Name: "write", FDPath: "/var/lib/db/base/1", HasFDPath: true}, true},
			{"fsync", Event{Pid: 1, Name: "fsync", FDPath: "/var/lib/db/wal", HasFDPath: true}, true},
			{"other file", Event{Pid: 1, Name: "write", FDPath: "/tmp/x", HasFDPath: true}, false},
			{"not filled", Event{Pid: 1, Name: "write"}, false},
			{"path is not fd_path", Event{Pid: 1, Name: "write", Path: "/var/lib/db/x", HasPath: true}, false},
		}},
		{"fd_path socket", "    syscalls: [write]\n    fd_path: \"socket:*\"\n    error: EPIPE\n", []call{
			{"socket", Event{Pid: 1, Name: "write", FDPath: "socket:[12345]", HasFDPath: true}, true},
			{"pipe", Event{Pid: 1, Name: "write", FDPath: "pipe:[9]", HasFDPath: true}, false},
		}},
		{"cidr v4", "    syscalls: [connect]\n    address: 10.0.0.0/8\n    error: ENETUNREACH\n", []call{
			{"inside", sockEv("connect", inet("10.1.2.3:80")), true},
			{"first", sockEv("connect", inet("10.0.0.0:80")), true},
			{"last", sockEv("connect", inet("10.255.255.255:80")), true},
			{"outside", sockEv("connect", inet("11.0.0.0:80")), false},
			{"v4-mapped inside", sockEv("connect", inet("[::ffff:10.9.9.9]:80")), true},
			{"v6", sockEv("connect", inet("[::a00:1]:80")), false},
			{"unix", sockEv("connect", unixSock("/10.0.0.1")), false},
		}},
		{"cidr v4-mapped rule", "    syscalls: [connect]\n    address: \"::ffff:192.168.0.0/112\"\n    error: ENETUNREACH\n", []call{
			{"v4", sockEv("connect", inet("192.168.7.7:1")), true},
			{"mapped", sockEv("connect", inet("[::ffff:192.168.7.7]:1")), true},
			{"outside", sockEv("connect", inet("192.169.0.1:1")), false},
		}},
		{"cidr v6", "    syscalls: [connect]\n    address: \"2001:db8::/32\"\n    error: ENETUNREACH\n", []call{
			{"inside", sockEv("connect", inet("[2001:db8:1::5]:443")), true},
			{"inside with zone", sockEv("connect", inet("[2001:db8::1%3]:443")), true},
			{"outside", sockEv("connect", inet("[2001:db9::1]:443")), false},
			{"v4", sockEv("connect", inet("32.1.13.184:443")), false},
		}},
		{"unix path glob", "    syscalls: [connect]\n    address: \"/run/**/*.sock\"\n    error: ECONNREFUSED\n", []call{
			{"deep", sockEv("connect", unixSock("/run/docker/x/docker.sock")), true},
			{"shallow", sockEv("connect", unixSock("/run/a.sock")), true},
			{"other suffix", sockEv("connect", unixSock("/run/a.socket")), false},
			{"relative never", sockEv("connect", unixSock("run/a.sock")), false},
			{"abstract with same name", sockEv("connect", abstractSock("/run/a.sock")), false},
			{"unnamed", sockEv("connect", unixSock("")), false},
			{"inet", sockEv("connect", inet("127.0.0.1:80")), false},
		}},
		{"abstract glob", "    syscalls: [connect]\n    address: \"@/tmp/.X11-unix/X*\"\n    error: ECONNREFUSED\n", []call{
			{"X0", sockEv("connect", abstractSock("/tmp/.X11-unix/X0")), true},
			{"path socket", sockEv("connect", unixSock("/tmp/.X11-unix/X0")), false},
			{"other", sockEv("connect", abstractSock("dbus-abc")), false},
		}},
		{"abstract any", "    syscalls: [connect]\n    address: \"@**\"\n    error: ECONNREFUSED\n", []call{
			{"with slash", sockEv("connect", abstractSock("a/b")), true},
			{"plain", sockEv("connect", abstractSock("x")), true},
			{"path", sockEv("connect", unixSock("/x")), false},
		}},
		{"port range", "    syscalls: [connect]\n    port: \"1000-2000\"\n    error: ECONNREFUSED\n", []call{
			{"below", sockEv("connect", inet("1.2.3.4:999")), false},
			{"first", sockEv("connect", inet("1.2.3.4:1000")), true},
			{"middle", sockEv("connect", inet("[::1]:1500")), true},
			{"last", sockEv("connect", inet("1.2.3.4:2000")), true},
			{"above", sockEv("connect", inet("1.2.3.4:2001")), false},
			{"unix", sockEv("connect", unixSock("/x")), false},
		}},
		{"port whole range", "    syscalls: [connect]\n    port: \"1-65535\"\n    error: ECONNREFUSED\n", []call{
			{"1", sockEv("connect", inet("1.2.3.4:1")), true},
			{"65535", sockEv("connect", inet("1.2.3.4:65535")), true},
			{"0", sockEv("connect", inet("1.2.3.4:0")), false},
		}},
		{"family inet6 only", "    syscalls: [connect]\n    family: inet6\n    error: EAFNOSUPPORT\n", []call{
			{"v6", sockEv("connect", inet("[::1]:80")), true},
			{"v4-mapped is AF_INET6", sockEv("connect", inet("[::ffff:1.2.3.4]:80")), true},
			{"v4", sockEv("connect", inet("1.2.3.4:80")), false},
			{"none", Event{Pid: 1, Name: "connect"}, false},
		}},
		{"family unix", "    syscalls: [connect]\n    family: AF_UNIX\n    error: EACCES\n", []call{
			{"path", sockEv("connect", unixSock("/x")), true},
			{"abstract", sockEv("connect", abstractSock("x")), true},
			{"unnamed", sockEv("connect", unixSock("")), true},
			{"inet", sockEv("connect", inet("1.2.3.4:80")), false},
		}},
		{"process comm", "    syscalls: [read]\n    process: {comm: \"post*\"}\n    error: EIO\n", []call{
			{"postgres", Event{Pid: 1, Name: "read", Comm: "postgres"}, true},
			{"psql", Event{Pid: 1, Name: "read", Comm: "psql"}, false},
			{"not filled", Event{Pid: 1, Name: "read"}, false},
		}},
		{"process exe", "    syscalls: [read]\n    process: {exe: \"/usr/**/bin/python3*\"}\n    error: EIO\n", []call{
			{"python3.12", Event{Pid: 1, Name: "read", Exe: "/usr/local/bin/python3.12"}, true},
			{"python2", Event{Pid: 1, Name: "read", Exe: "/usr/bin/python2"}, false},
		}},
		{"process pid", "    syscalls: [read]\n    process: {pid: 42}\n    error: EIO\n", []call{
			{"42", Event{Pid: 42, Tid: 43, Name: "read"}, true},
			{"tid 42 is not pid 42", Event{Pid: 41, Tid: 42, Name: "read"}, false},
		}},
		{"all AND-ed", "    syscalls: [connect]\n    address: 127.0.0.0/8\n    port: 5432\n    process: {comm: psql}\n    error: ECONNREFUSED\n", []call{
			{"all", Event{Pid: 1, Name: "connect", Sockaddr: inet("127.0.0.2:5432"), Comm: "psql"}, true},
			{"wrong comm", Event{Pid: 1, Name: "connect", Sockaddr: inet("127.0.0.2:5432"), Comm: "curl"}, false},
			{"wrong port", Event{Pid: 1, Name: "connect", Sockaddr: inet("127.0.0.2:5433"), Comm: "psql"}, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := one(t, tt.keys)
			for _, c := range tt.calls {
				if got := e.Decide(c.ev).Rule != nil; got != c.want {
					t.Errorf("%s: fired %v, want %v (event %+v)", c.desc, got, c.want, c.ev)
				}
			}
		})
	}
}

// TestActions checks the Decision each action gives.
func TestActions(t *testing.T) {
	tests := []struct {
		keys string
		want Decision // Rule is filled in
	}{
		{"    error: ENOSPC\n", Decision{Action: Error, Errno: int(unix.ENOSPC)}},
		{"    retval: 7\n", Decision{Action: Retval, Retval: 7}},
		{"    kill: true\n", Decision{Action: Kill}},
		{"    kill: true\n    delay: 2s\n", Decision{Action: Kill, Delay: 2 * time.Second}},
		{"    log: true\n", Decision{Log: true}},
		{"    delay: 100ms\n", Decision{Delay: 100 * time.Millisecond}},
		{"    delay_exit: 3ms\n", Decision{DelayExit: 3 * time.Millisecond}},
		{"    delay: 1s\n    error: ETIMEDOUT\n", Decision{Action: Error, Errno: int(unix.ETIMEDOUT), Delay: time.Second}},
		{"    delay: 1s\n    retval: 0\n    delay_exit: 2s\n", Decision{Action: Retval, Delay: time.Second, DelayExit: 2 * time.Second}},
		{"    signal: SIGUSR1\n", Decision{Signal: syscall.SIGUSR1}},
		{"    signal: SIGRT_2\n    error: EINTR\n", Decision{Action: Error, Errno: int(unix.EINTR), Signal: 34}},
	}
	for _, tt := range tests {
		e := one(t, "    syscalls: [read]\n"+tt.keys)
		want := tt.want
		want.Rule = e.rules[0]
		if got := e.Decide(Event{Pid: 1, Name: "read"}); got != want {
			t.Errorf("%q: got %+v, want %+v", tt.keys, got, want)
		}
	}
	if Kill.String() != "kill" {
		t.Errorf("Kill.String() = %q", Kill.String())
	}
}

// TestWindow checks after and for against Event.Elapsed, and that calls
// outside the window do not count.
func TestWindow(t *testing.T) {
	tests := []struct {
		keys string
		at   []time.Duration
		want []bool
	}{
		{"    after: 2s\n", []time.Duration{0, 1999 * time.Millisecond, 2 * time.Second, time.Hour}, []bool{false, false, true, true}},
		{"    for: 5s\n", []time.Duration{0, 4999 * time.Millisecond, 5 * time.Second}, []bool{true, true, false}},
		{"    after: 2s\n    for: 3s\n", []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 6 * time.Second},
			[]bool{false, true, true, false, false}},
		// when counts only calls in the window: the second call in it.
		{"    after: 1s\n    when: 2\n", []time.Duration{0, 0, time.Second, 2 * time.Second, 3 * time.Second}, []bool{false, false, false, true, false}},
	}
	for _, tt := range tests {
		e := one(t, "    syscalls: [read]\n    error: EIO\n"+tt.keys)
		var got []bool
		for _, at := range tt.at {
			got = append(got, e.Decide(Event{Pid: 1, Name: "read", Elapsed: at}).Rule != nil)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q at %v: fired %v, want %v", tt.keys, tt.at, got, tt.want)
		}
	}
}

// TestScopes checks whose calls each scope counts.
func TestScopes(t *testing.T) {
	calls := []struct{ pid, tid int }{
		{100, 100}, {100, 101}, {200, 200}, {100, 100}, {100, 101}, {200, 201},
	}
	tests := []struct {
		scope string
		want  []bool // when: 2 fires on the second call of each key
	}{
		{"process", []bool{false, true, false, false, false, true}},
		{"thread", []bool{false, false, false, true, true, false}},
		{"global", []bool{false, true, false, false, false, false}},
	}
	for _, tt := range tests {
		e := one(t, "    syscalls: [read]\n    error: EIO\n    when: 2\n    scope: "+tt.scope+"\n")
		var got []bool
		for _, c := range calls {
			got = append(got, e.Decide(Event{Pid: c.pid, Tid: c.tid, Name: "read"}).Rule != nil)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("scope %s: fired %v, want %v", tt.scope, got, tt.want)
		}
	}

	// Forget drops a process's thread counters too.
	e := one(t, "    syscalls: [read]\n    error: EIO\n    when: 2\n    scope: thread\n")
	e.Decide(Event{Pid: 5, Tid: 6, Name: "read"})
	e.Forget(5)
	if e.Decide(Event{Pid: 5, Tid: 6, Name: "read"}).Rule != nil {
		t.Error("thread counter survived Forget of its process")
	}
	if e.Decide(Event{Pid: 5, Tid: 6, Name: "read"}).Rule == nil {
		t.Error("second call after Forget did not fire")
	}
	// Global counters survive Forget.
	g := one(t, "    syscalls: [read]\n    error: EIO\n    when: 2\n    scope: global\n")
	g.Decide(Event{Pid: 5, Name: "read"})
	g.Forget(5)
	if g.Decide(Event{Pid: 6, Name: "read"}).Rule == nil {
		t.Error("global counter reset by Forget")
	}
}

// TestCountersOfNonFiringRules: a rule that matches but does not fire
// still counts the call, and the next rule is tried; a rule after one
// that fired does not count it. The docs say so.
func TestCountersOfNonFiringRules(t *testing.T) {
	s := mustParse(t, `name: c
rules:
  - {name: A, syscalls: [read], error: EIO, when: "3"}
  - {name: B, syscalls: [read], error: EPERM, when: "2+2"}
`)
	e := NewEngine([]*Scenario{s})
	var got []string
	for range 7 {
		got = append(got, decided(e.Decide(Event{Pid: 1, Name: "read"})))
	}
	// A counts 1..7 and fires on 3; B counts every call but the third
	// (A decided it): its 1, 2, -, 3, 4, 5, 6 fire on 2, 4, 6.
	want := []string{"", "B", "A", "", "B", "", "B"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decided %q, want %q", got, want)
	}
	rep := e.Report()
	if rep.Rules[0].Matched != 7 || rep.Rules[0].Fired != 1 || rep.Rules[1].Matched != 6 || rep.Rules[1].Fired != 3 {
		t.Errorf("report %+v", rep.Rules)
	}
}

func TestNeeds(t *testing.T) {
	plain := one(t, "    syscalls: [read]\n    error: EIO\n")
	fd := one(t, "    syscalls: [write, fsync]\n    fd_path: /data/**\n    error: ENOSPC\n")
	proc := one(t, "    syscalls: [read]\n    process: {comm: x}\n    error: EIO\n")
	pid := one(t, "    syscalls: [read]\n    process: {pid: 3}\n    error: EIO\n")
	var nilEngine *Engine
	for _, tt := range []struct {
		e           *Engine
		fd, proc    bool
		fdFor, noFD string
	}{
		{plain, false, false, "", "read"},
		{fd, true, false, "fsync", "read"},
		{proc, false, true, "", "read"},
		{pid, false, false, "", "read"},
		{nilEngine, false, false, "", "read"},
	} {
		if tt.e.NeedsFDPath() != tt.fd || tt.e.NeedsProcess() != tt.proc {
			t.Errorf("engine %p: NeedsFDPath %v NeedsProcess %v", tt.e, tt.e.NeedsFDPath(), tt.e.NeedsProcess())
		}
		if tt.fdFor != "" && !tt.e.NeedsFDPathFor(tt.fdFor) {
			t.Errorf("NeedsFDPathFor(%s) false", tt.fdFor)
		}
		if tt.e.NeedsFDPathFor(tt.noFD) {
			t.Errorf("NeedsFDPathFor(%s) true", tt.noFD)
		}
	}
}
