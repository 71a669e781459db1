package main

// End-to-end tests of fault injection (issue 4): every shipped scenario on a
// real program, checked by what the program itself then does and by the
// exact injected trace line; strace's -e inject and -e fault; seeded replay;
// delays on one thread that leave the others alone; the run report,
// expectations and --dry-run; bad scenarios.
//
// Traces go to a file (-o) so that the program's own standard error stays
// apart. Programs that may be python3 run the real interpreter
// (sys.executable), not a wrapper script such as pyenv's shim.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// scTraced runs `syscage run -o TRACE ARGS...` and returns the result and
// the trace.
func scTraced(t *testing.T, timeout time.Duration, args ...string) (result, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "trace")
	r := syscage(t, timeout, append([]string{"run", "-o", out}, args...)...)
	return r, readFile(t, out)
}

// scLineRE reports whether s has a line that matches the regular expression
// re entirely, once its pid prefix is dropped and the alignment spaces
// before " = " are folded (as containsLine does).
func scLineRE(s, re string) bool {
	fold := regexp.MustCompile(`\) +=( |$)`)
	rx := regexp.MustCompile(`^(?:` + re + `)$`)
	for _, line := range strings.Split(s, "\n") {
		if rx.MatchString(fold.ReplaceAllString(stripPid(line), ") =$1")) {
			return true
		}
	}
	return false
}

// scWantLine fails the test unless trace has the line want (containsLine).
func scWantLine(t *testing.T, trace, want string) {
	t.Helper()
	if !containsLine(trace, want) {
		t.Errorf("no line\n\t%s\nin the trace:\n%s", want, trace)
	}
}

// scWantLineRE fails the test unless trace has a line matching re (scLineRE).
func scWantLineRE(t *testing.T, trace, re string) {
	t.Helper()
	if !scLineRE(trace, re) {
		t.Errorf("no line matching\n\t%s\nin the trace:\n%s", re, trace)
	}
}

const scHexRE = `0x[0-9a-f]+`

var (
	scPythonOnce sync.Once
	scPythonPath string
	scPythonErr  error
)

// scPython3 returns the path of the real python3 interpreter, or skips.
func scPython3(t *testing.T) string {
	t.Helper()
	scPythonOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, "python3", "-c", "import sys; print(sys.executable)").Output()
		scPythonPath, scPythonErr = strings.TrimSpace(string(out)), err
		if err == nil && scPythonPath == "" {
			scPythonErr = fmt.Errorf("sys.executable is empty")
		}
	})
	if scPythonErr != nil {
		t.Fatalf("python3 is needed (make deps installs it): %v", scPythonErr)
	}
	return scPythonPath
}

// scBuildC compiles testdata/scenarios/NAME.c statically into a temporary
// directory and returns the program's path.
func scBuildC(t *testing.T, name string) string {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Fatal("gcc is needed (make deps installs it)")
	}
	src, err := filepath.Abs(filepath.Join("../../testdata/scenarios", name+".c"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), name)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "gcc", "-static", "-O", "-Wall", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc -static %s: %v\n%s", src, err, out)
	}
	return bin
}

// scDemoDir makes DIR/syscage-demo in a fresh temporary directory: the shipped
// scenarios' path globs match below it and nowhere else.
func scDemoDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "syscage-demo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func scWriteFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scWriteScenario writes a scenario file into a temporary directory.
func scWriteScenario(t *testing.T, yaml string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "scenario.yaml")
	scWriteFile(t, name, yaml)
	return name
}

// scLibraryTests names the test that proves each shipped scenario.
var scLibraryTests = map[string]string{
	"config-missing":           "TestConfigMissingOnCat, TestScenarioConfigMissing",
	"config-permission-denied": "TestScenarioConfigPermissionDenied",
	"connection-refused":       "TestConnectionRefusedOnPython, TestScenarioConnectionRefusedIPv6",
	"connection-timeout":       "TestScenarioConnectionTimeout",
	"dns-failure":              "TestScenarioDNSFailure",
	"disk-full":                "TestScenarioDiskFull",
	"fd-exhaustion":            "TestScenarioFDExhaustion",
	"slow-disk":                "TestScenarioSlowDisk",
	"eintr-storm":              "TestScenarioEINTRStorm",
	"clone3-enosys":            "TestScenarioClone3ENOSYS",
	"readonly-filesystem":      "TestScenarioReadonlyFilesystem",
}

// TestScenarioLibrary checks that every shipped scenario has its end-to-end
// test here, is explained at its top, and passes syscage check without a
// warning.
func TestScenarioLibrary(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 11 {
		t.Errorf("%d shipped scenarios, want at least 11", len(files))
	}
	seen := map[string]bool{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		seen[name] = true
		if _, ok := scLibraryTests[name]; !ok {
			t.Errorf("%s: no end-to-end test in scLibraryTests", f)
		}
		data := readFile(t, f)
		if !strings.HasPrefix(data, "# "+name+": ") {
			t.Errorf("%s does not start with \"# %s: \"", f, name)
		}
		for _, want := range []string{"# Try it", "syscage run"} {
			if !strings.Contains(data, want) {
				t.Errorf("%s: the comments at its top do not say %q", f, want)
			}
		}
	}
	for name := range scLibraryTests {
		if !seen[name] {
			t.Errorf("scLibraryTests names %s, which is not shipped", name)
		}
	}
	r := syscage(t, 10*time.Second, append([]string{"check"}, files...)...)
	if r.code != 0 || r.stderr != "" {
		t.Errorf("syscage check: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestScenarioConfigMissing(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	demo := scDemoDir(t)
	conf := filepath.Join(demo, "app.yaml")
	scWriteFile(t, conf, "port: 8080\n")
	script := `
import os, sys
p = sys.argv[1]
print(os.path.exists(p), os.listdir(os.path.dirname(p)))
try:
    open(p)
except OSError as e:
    print(type(e).__name__, e.strerror)
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=openat,newfstatat,statx", "--scenario", "config-missing", "--", py, "-c", script, conf)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// The directory lists the file, yet stat and open say it is not there.
	if want := "False ['app.yaml']\nFileNotFoundError No such file or directory\n"; r.stdout != want {
		t.Errorf("python3 printed %q, want %q", r.stdout, want)
	}
	scWantLineRE(t, trace, `newfstatat\(AT_FDCWD, "`+regexp.QuoteMeta(conf)+`", `+scHexRE+`, 0\) = -1 ENOENT \(No such file or directory\) \(INJECTED\)`)
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory) (INJECTED)`, conf))
}

func TestScenarioConfigPermissionDenied(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	demo := scDemoDir(t)
	conf := filepath.Join(demo, "app.yaml")
	scWriteFile(t, conf, "port: 8080\n")
	script := `
import os, sys
p = sys.argv[1]
print(os.path.exists(p), os.access(p, os.F_OK), os.access(p, os.R_OK))
try:
    open(p)
except OSError as e:
    print(type(e).__name__, e)
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=access,openat", "--scenario", "config-permission-denied", "--", py, "-c", script, conf)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	// There, but not readable.
	if want := fmt.Sprintf("True True False\nPermissionError [Errno 13] Permission denied: '%s'\n", conf); r.stdout != want {
		t.Errorf("python3 printed %q, want %q", r.stdout, want)
	}
	scWantLine(t, trace, fmt.Sprintf(`access("%s", F_OK) = ?`, conf))
	scWantLine(t, trace, fmt.Sprintf(`access("%s", R_OK) = -1 EACCES (Permission denied) (INJECTED)`, conf))
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY|O_CLOEXEC) = -1 EACCES (Permission denied) (INJECTED)`, conf))

	// cat and the shell's test builtin, which asks faccessat2 (faccessat
	// before Linux 5.8).
	r, trace = scTraced(t, 30*time.Second, "-e", "trace=openat,faccessat,faccessat2", "--scenario", "config-permission-denied", "--",
		"/bin/sh", "-c", `export LC_ALL=C; test -e "$1" && echo exists; test -r "$1" || echo unreadable; cat "$1"`, "sh", conf)
	if r.code != 1 || r.stdout != "exists\nunreadable\n" {
		t.Errorf("exit %d, stdout %q; want cat's 1 and \"exists\\nunreadable\\n\"\n%s", r.code, r.stdout, r.stderr)
	}
	if want := "cat: " + conf + ": Permission denied"; !containsLine(r.stderr, want) {
		t.Errorf("cat did not say %q:\n%s", want, r.stderr)
	}
	scWantLineRE(t, trace, `faccessat2\(AT_FDCWD, "`+regexp.QuoteMeta(conf)+`", R_OK, AT_EACCESS\) = -1 EACCES \(Permission denied\) \(INJECTED\)|`+
		`faccessat\(AT_FDCWD, "`+regexp.QuoteMeta(conf)+`", R_OK\) = -1 EACCES \(Permission denied\) \(INJECTED\)`)
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 EACCES (Permission denied) (INJECTED)`, conf))
}

func TestScenarioConnectionRefusedIPv6(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	if ln, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	} else {
		ln.Close()
	}
	script := `
import socket
s = socket.socket(socket.AF_INET6)
try:
    s.connect(("::1", 5432))
    print("connected")
except OSError as e:
    print(e)
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=connect", "--scenario", "connection-refused", "--", py, "-c", script)
	if r.code != 0 || r.stdout != "[Errno 111] Connection refused\n" {
		t.Errorf("exit %d, python3 printed %q, want a refused connection\n%s", r.code, r.stdout, r.stderr)
	}
	scWantLine(t, trace, `connect(3, {sa_family=AF_INET6, sin6_port=htons(5432), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused) (INJECTED)`)
}

func TestScenarioConnectionTimeout(t *testing.T) {
	requireUserNotif(t)
	t.Parallel()
	py := scPython3(t)
	// Another port stays reachable.
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	script := `
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("other port connected")
c.close()
t = time.monotonic()
try:
    socket.create_connection(("127.0.0.1", 443))
    print("443 connected")
except OSError as e:
    print(type(e).__name__, e.errno, e.strerror)
print("%.3f" % (time.monotonic() - t))
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=connect", "--scenario", "connection-timeout", "--", py, "-c", script, strconv.Itoa(port))
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || lines[0] != "other port connected" || lines[1] != "TimeoutError 110 Connection timed out" {
		t.Fatalf("python3 printed %q, want a timed-out connect to 443 only", r.stdout)
	}
	// The failure came after the scenario's 2 s, not at once.
	if el, err := strconv.ParseFloat(lines[2], 64); err != nil || el < 1.99 {
		t.Errorf("connect to 443 failed after %s s, want at least 2 s", lines[2])
	}
	scWantLine(t, trace, fmt.Sprintf(`connect(3, {sa_family=AF_INET, sin_port=htons(%d), sin_addr=inet_addr("127.0.0.1")}, 16) = ?`, port))
	scWantLine(t, trace, `connect(3, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ETIMEDOUT (Connection timed out) (INJECTED) (DELAYED)`)
}

// scFirstNameserver returns the first nameserver of /etc/resolv.conf, or
// glibc's default 127.0.0.1 when there is none.
func scFirstNameserver() string {
	b, _ := os.ReadFile("/etc/resolv.conf")
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "nameserver" {
			return f[1]
		}
	}
	return "127.0.0.1"
}

func TestScenarioDNSFailure(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	script := `
import socket
for host in ("localhost", "example.invalid.test"):
    try:
        print(host, socket.getaddrinfo(host, 80, socket.AF_INET, socket.SOCK_STREAM)[0][4][0])
    except socket.gaierror as e:
        print(host, "gaierror", e.errno, e.strerror, e.errno == socket.EAI_AGAIN)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.sendto(b"q", ("127.0.0.1", 53))
    print("sent")
except OSError as e:
    print("sendto:", e)
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=connect,sendto", "--scenario", "dns-failure", "--", py, "-c", script)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	want := "localhost 127.0.0.1\n" +
		"example.invalid.test gaierror -3 Temporary failure in name resolution True\n" +
		"sendto: [Errno 101] Network is unreachable\n"
	if r.stdout != want {
		t.Errorf("python3 printed\n%s\nwant\n%s", r.stdout, want)
	}
	if ns := net.ParseIP(scFirstNameserver()); ns != nil && ns.To4() != nil {
		scWantLine(t, trace, fmt.Sprintf(`connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("%s")}, 16) = -1 ENETUNREACH (Network is unreachable) (INJECTED)`, ns))
	} else {
		scWantLineRE(t, trace, `connect\(3, \{sa_family=AF_INET6, sin6_port=htons\(53\), .*\}, 28\) = -1 ENETUNREACH \(Network is unreachable\) \(INJECTED\)`)
	}
	scWantLine(t, trace, `sendto(3, "q", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ENETUNREACH (Network is unreachable) (INJECTED)`)
	// glibc asks nscd first; the scenario says it is not there.
	for _, l := range strings.Split(trace, "\n") {
		if strings.Contains(l, "nscd/socket") && !strings.HasSuffix(l, "= -1 ENOENT (No such file or directory) (INJECTED)") {
			t.Errorf("nscd connect not refused: %q", l)
		}
	}
}

func TestScenarioDiskFull(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	demo := scDemoDir(t)
	out := filepath.Join(demo, "out")
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=write", "--scenario", "disk-full", "--",
		"env", "LC_ALL=C", "dd", "if=/dev/zero", "of="+out, "bs=4k", "count=2")
	if r.code != 1 {
		t.Errorf("dd: exit %d, want 1\n%s", r.code, r.stderr)
	}
	if want := "dd: error writing '" + out + "': No space left on device"; !containsLine(r.stderr, want) {
		t.Errorf("dd did not say %q:\n%s", want, r.stderr)
	}
	if !containsLine(r.stderr, "0+0 records out") {
		t.Errorf("dd wrote something:\n%s", r.stderr)
	}
	if st, err := os.Stat(out); err != nil || st.Size() != 0 {
		t.Errorf("%s: %v, want an empty file", out, err)
	}
	scWantLine(t, trace, `write(1, "`+strings.Repeat(`\0`, 32)+`"..., 4096) = -1 ENOSPC (No space left on device) (INJECTED)`)

	// fsync fails too; a file elsewhere is written.
	script := `
import os, sys
d = sys.argv[1]
fd = os.open(os.path.join(d, "db"), os.O_WRONLY | os.O_CREAT, 0o644)
for what, f in (("fsync", lambda: os.fsync(fd)), ("write", lambda: os.write(fd, b"row\n"))):
    try:
        f()
        print(what, "ok")
    except OSError as e:
        print(what, "failed:", e.strerror)
with open(os.path.join(d, "..", "elsewhere"), "w") as f:
    f.write("fine\n")
print("elsewhere ok")
`
	r, trace = scTraced(t, 30*time.Second, "-e", "trace=write,fsync", "--scenario", "disk-full", "--", py, "-c", script, demo)
	if want := "fsync failed: No space left on device\nwrite failed: No space left on device\nelsewhere ok\n"; r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, python3 printed %q, want %q\n%s", r.code, r.stdout, want, r.stderr)
	}
	scWantLine(t, trace, `fsync(3) = -1 ENOSPC (No space left on device) (INJECTED)`)
	scWantLine(t, trace, `write(3, "row\n", 4) = -1 ENOSPC (No space left on device) (INJECTED)`)
	scWantLine(t, trace, `write(4, "fine\n", 5) = ?`)
	if got := readFile(t, filepath.Join(demo, "..", "elsewhere")); got != "fine\n" {
		t.Errorf("the file outside syscage-demo holds %q", got)
	}
}

func TestScenarioFDExhaustion(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	demo := scDemoDir(t)
	script := `
import os, socket, sys
d = sys.argv[1]
keep = []
def until_error(what, make):
    n = 0
    try:
        while n < 50:
            keep.append(make(n))
            n += 1
        print(what, n, "no error")
    except OSError as e:
        print(what, n, e.strerror)
until_error("open", lambda i: open(os.path.join(d, "f%d" % i), "w"))
until_error("socket", lambda i: socket.socket())
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=openat,socket", "--scenario", "fd-exhaustion", "--", py, "-c", script, demo)
	if want := "open 10 Too many open files\nsocket 10 Too many open files\n"; r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, python3 printed %q, want %q\n%s", r.code, r.stdout, want, r.stderr)
	}
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s/f10", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = -1 EMFILE (Too many open files) (INJECTED)`, demo))
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s/f9", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = ?`, demo))
	scWantLine(t, trace, `socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = -1 EMFILE (Too many open files) (INJECTED)`)

	// accept: 11 clients, each from a forked child (a child's counters
	// start again at 1); the server accepts 10 of them.
	script = `
import os, socket
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(32)
addr = srv.getsockname()
for i in range(11):
    pid = os.fork()
    if pid == 0:
        socket.create_connection(addr)
        os._exit(0)
    os.waitpid(pid, 0)
n = 0
try:
    while n < 11:
        srv.accept()
        n += 1
    print("accepted", n)
except OSError as e:
    print("accepted", n, "then", e)
`
	r, trace = scTraced(t, 30*time.Second, "-e", "trace=accept,accept4", "--scenario", "fd-exhaustion", "--", py, "-c", script)
	if want := "accepted 10 then [Errno 24] Too many open files\n"; r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, python3 printed %q, want %q\n%s", r.code, r.stdout, want, r.stderr)
	}
	scWantLineRE(t, trace, `accept4\(.*\) = -1 EMFILE \(Too many open files\) \(INJECTED\)`)
	if n := countLines(trace, "accept4("); n != 11 {
		t.Errorf("%d accept4 lines, want 11:\n%s", n, trace)
	}
}

func TestScenarioSlowDisk(t *testing.T) {
	requireUserNotif(t)
	t.Parallel()
	py := scPython3(t)
	demo := scDemoDir(t)
	script := `
import os, sys, time
d = sys.argv[1]
def timed(path, sync):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"x")
    t = time.monotonic()
    sync(fd)
    el = time.monotonic() - t
    os.close(fd)
    return el
print("%.3f" % timed(os.path.join(d, "wal"), os.fsync))
print("%.3f" % timed(os.path.join(d, "wal"), os.fdatasync))
timed(os.path.join(d, "..", "other"), os.fsync)
print("done")
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=fsync,fdatasync", "--scenario", "slow-disk", "--", py, "-c", script, demo)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || lines[2] != "done" {
		t.Fatalf("python3 printed %q", r.stdout)
	}
	for i, what := range []string{"fsync", "fdatasync"} {
		if el, err := strconv.ParseFloat(lines[i], 64); err != nil || el < 0.495 {
			t.Errorf("%s took %s s, want at least the scenario's 0.5 s", what, lines[i])
		}
	}
	got := traceLines(trace)
	var calls []string
	for _, l := range got {
		calls = append(calls, regexp.MustCompile(`\) +=`).ReplaceAllString(stripPid(l), ") ="))
	}
	want := []string{"fsync(3) = ? (DELAYED)", "fdatasync(3) = ? (DELAYED)", "fsync(3) = ?", "+++ exited with 0 +++"}
	if strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("trace:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
}

func TestScenarioEINTRStorm(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	demo := scDemoDir(t)
	var b strings.Builder
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	content := b.String()
	file := filepath.Join(demo, "seq.txt")
	scWriteFile(t, file, content)
	signalRE := `--- SIGURG \{si_signo=SIGURG, si_code=SI_TKILL, si_pid=\d+, si_uid=\d+\} ---`

	// coreutils retries: the output is whole.
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=read,write", "--scenario", "eintr-storm", "--", "cat", file)
	if r.code != 0 || r.stdout != content {
		t.Errorf("cat: exit %d, %d of %d bytes out\n%s", r.code, len(r.stdout), len(content), r.stderr)
	}
	scWantLine(t, trace, fmt.Sprintf(`write(1, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14"..., %d) = -1 EINTR (Interrupted system call) (INJECTED)`, len(content)))
	scWantLine(t, trace, fmt.Sprintf(`write(1, "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14"..., %d) = ?`, len(content)))
	scWantLineRE(t, trace, signalRE)

	// python3 retries (PEP 475), on the file and on its stdout pipe.
	script := `
import sys
with open(sys.argv[1], "rb") as f:
    data = f.read()
sys.stdout.buffer.write(data)
sys.stdout.flush()
`
	r, trace = scTraced(t, 30*time.Second, "-e", "trace=read,write", "--scenario", "eintr-storm", "--", py, "-c", script, file)
	if r.code != 0 || r.stdout != content {
		t.Errorf("python3: exit %d, %d of %d bytes out\n%s", r.code, len(r.stdout), len(content), r.stderr)
	}
	// Which calls are hit depends on how many reads python3 makes; every
	// second one of its file and pipe calls is.
	if n := countLines(trace, "= -1 EINTR (Interrupted system call) (INJECTED)"); n < 2 {
		t.Errorf("%d injected EINTRs, want 2 or more:\n%s", n, trace)
	}
	scWantLineRE(t, trace, `(read|write)\((1|3), .*\) = -1 EINTR \(Interrupted system call\) \(INJECTED\)`)
	scWantLineRE(t, trace, signalRE)

	// A program that does not retry fails: the bug the scenario finds.
	rawread := scBuildC(t, "rawread")
	r, trace = scTraced(t, 30*time.Second, "-e", "trace=read,write", "--scenario", "eintr-storm", "--", rawread, file)
	if r.code != 1 || r.stdout != "" || r.stderr != "rawread: write: Interrupted system call\n" {
		t.Errorf("rawread: exit %d, stdout %q, stderr %q; want it to give up at its first write", r.code, r.stdout, r.stderr)
	}
	scWantLine(t, trace, `write(1, "1\n2\n3\n4\n5\n6\n7\n8\n", 16) = -1 EINTR (Interrupted system call) (INJECTED)`)
}

func TestScenarioClone3ENOSYS(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	script := `
import os, threading
t = threading.Thread(target=print, args=("thread ok",))
t.start()
t.join()
pid = os.posix_spawn("/bin/echo", ["echo", "spawn ok"], os.environ)
print(os.waitpid(pid, 0)[1])
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=clone,clone3", "--scenario", "clone3-enosys", "--", py, "-c", script)
	if r.code != 0 || r.stdout != "thread ok\nspawn ok\n0\n" {
		t.Errorf("exit %d, python3 printed %q, want the thread's and the spawned echo's lines\n%s", r.code, r.stdout, r.stderr)
	}
	threadFlags := `CLONE_VM\|CLONE_FS\|CLONE_FILES\|CLONE_SIGHAND\|CLONE_THREAD\|CLONE_SYSVSEM\|CLONE_SETTLS\|CLONE_PARENT_SETTID\|CLONE_CHILD_CLEARTID`
	want := []string{
		// pthread_create
		`clone3\(\{flags=` + threadFlags + `, child_tid=` + scHexRE + `, parent_tid=` + scHexRE + `, exit_signal=0, stack=` + scHexRE + `, stack_size=` + scHexRE + `, tls=` + scHexRE + `\}, 88\) = -1 ENOSYS \(Function not implemented\) \(INJECTED\)`,
		`clone\(child_stack=` + scHexRE + `, flags=` + threadFlags + `, parent_tid=` + scHexRE + `, tls=` + scHexRE + `, child_tidptr=` + scHexRE + `\) = \?`,
		// posix_spawn
		`clone3\(\{flags=CLONE_VM\|CLONE_VFORK, exit_signal=SIGCHLD, stack=` + scHexRE + `, stack_size=` + scHexRE + `\}, 88\) = -1 ENOSYS \(Function not implemented\) \(INJECTED\)`,
		`clone\(child_stack=` + scHexRE + `, flags=CLONE_VM\|CLONE_VFORK\|SIGCHLD\) = \?`,
	}
	// Each failed clone3 is followed at once by the clone that replaces it.
	var calls []string
	for _, l := range traceLines(trace) {
		if l = regexp.MustCompile(`\) +=`).ReplaceAllString(stripPid(l), ") ="); strings.HasPrefix(l, "clone") {
			calls = append(calls, l)
		}
	}
	if len(calls) != len(want) {
		t.Fatalf("clone calls:\n%s\nwant %d", strings.Join(calls, "\n"), len(want))
	}
	for i, re := range want {
		if !regexp.MustCompile(`^` + re + `$`).MatchString(calls[i]) {
			t.Errorf("clone call %d:\n\t%s\nwant it to match\n\t%s", i+1, calls[i], re)
		}
	}
}

func TestScenarioReadonlyFilesystem(t *testing.T) {
	requireUserNotif(t)
	py := scPython3(t)
	demo := scDemoDir(t)
	scWriteFile(t, filepath.Join(demo, "f"), "hello\n")
	script := `export LC_ALL=C
cd "$2"
cat f
echo x > f
rm f
mv f g
mkdir sub
touch new
"$1" -c 'open("f", "r+b")' 2>&1 | tail -n 1
cat f
ls
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=%file", "--scenario", "readonly-filesystem", "--", "/bin/sh", "-c", script, "sh", py, demo)
	if want := "hello\nOSError: [Errno 30] Read-only file system: 'f'\nhello\nf\n"; r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout %q, want %q\n%s", r.code, r.stdout, want, r.stderr)
	}
	for _, want := range []string{
		"cannot create f: Read-only file system",
		"rm: cannot remove 'f': Read-only file system",
		"mv: cannot move 'f' to 'g': Read-only file system",
		"mkdir: cannot create directory 'sub': Read-only file system",
		"touch: cannot touch 'new': Read-only file system",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("no %q in stderr:\n%s", want, r.stderr)
		}
	}
	if got := readFile(t, filepath.Join(demo, "f")); got != "hello\n" {
		t.Errorf("f holds %q", got)
	}
	// Relative paths are resolved against the cwd, below syscage-demo.
	for _, want := range []string{
		`openat(AT_FDCWD, "f", O_WRONLY|O_CREAT|O_TRUNC, 0666) = -1 EROFS (Read-only file system) (INJECTED)`,
		`unlinkat(AT_FDCWD, "f", 0) = -1 EROFS (Read-only file system) (INJECTED)`,
		`renameat2(AT_FDCWD, "f", AT_FDCWD, "g", RENAME_NOREPLACE) = -1 EROFS (Read-only file system) (INJECTED)`,
		`mkdir("sub", 0777) = -1 EROFS (Read-only file system) (INJECTED)`,
		`openat(AT_FDCWD, "new", O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK, 0666) = -1 EROFS (Read-only file system) (INJECTED)`,
		`openat(AT_FDCWD, "f", O_RDWR|O_CLOEXEC) = -1 EROFS (Read-only file system) (INJECTED)`,
		`openat(AT_FDCWD, "f", O_RDONLY) = ?`,
	} {
		scWantLine(t, trace, want)
	}
}

// strace compatibility: -e inject and -e fault on a static program that
// opens only its arguments.

func TestInjectWhenRange(t *testing.T) {
	requireUserNotif(t)
	opener := scBuildC(t, "opener")
	dir := t.TempDir()
	var files []string
	for _, n := range []string{"a", "b", "c", "d"} {
		f := filepath.Join(dir, n)
		scWriteFile(t, f, n)
		files = append(files, f)
	}
	r, trace := scTraced(t, 20*time.Second, append([]string{"-e", "trace=openat", "-e", "inject=openat:error=ENOENT:when=2..3", "--", opener}, files...)...)
	want := fmt.Sprintf("%s: ok\n%s: No such file or directory\n%s: No such file or directory\n%s: ok\n", files[0], files[1], files[2], files[3])
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout\n%s\nwant\n%s\n%s", r.code, r.stdout, want, r.stderr)
	}
	var calls []string
	for _, l := range traceLines(trace) {
		calls = append(calls, regexp.MustCompile(`\) +=`).ReplaceAllString(stripPid(l), ") ="))
	}
	wantTrace := []string{
		fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = ?`, files[0]),
		fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`, files[1]),
		fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`, files[2]),
		fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = ?`, files[3]),
		"+++ exited with 0 +++",
	}
	if strings.Join(calls, "\n") != strings.Join(wantTrace, "\n") {
		t.Errorf("trace:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(wantTrace, "\n"))
	}
}

func TestInjectFaultDefaultsToENOSYS(t *testing.T) {
	requireUserNotif(t)
	opener := scBuildC(t, "opener")
	dir := t.TempDir()
	var files []string
	for i := 1; i <= 5; i++ {
		f := filepath.Join(dir, strconv.Itoa(i))
		scWriteFile(t, f, "x")
		files = append(files, f)
	}
	r, trace := scTraced(t, 20*time.Second, append([]string{"-e", "trace=openat", "-e", "fault=openat:when=2+2", "--", opener}, files...)...)
	var want strings.Builder
	for i, f := range files {
		if i%2 == 1 { // the 2nd and 4th
			fmt.Fprintf(&want, "%s: Function not implemented\n", f)
			scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOSYS (Function not implemented) (INJECTED)`, f))
		} else {
			fmt.Fprintf(&want, "%s: ok\n", f)
			scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = ?`, f))
		}
	}
	if r.code != 0 || r.stdout != want.String() {
		t.Errorf("exit %d, stdout\n%s\nwant\n%s\n%s", r.code, r.stdout, want.String(), r.stderr)
	}
}

func TestInjectCountsPerProcessAcrossFork(t *testing.T) {
	requireUserNotif(t)
	opener := scBuildC(t, "opener")
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	scWriteFile(t, a, "a")
	scWriteFile(t, b, "b")

	// -e inject: the forked child counts from 1, so its 2nd openat fails as
	// well as its parent's.
	r, trace := scTraced(t, 20*time.Second, "-e", "trace=openat", "-e", "inject=openat:error=ENOENT:when=2", "--", opener, "--fork", a, b)
	want := fmt.Sprintf("child %s: ok\nchild %s: No such file or directory\nparent %s: ok\nparent %s: No such file or directory\n", a, b, a, b)
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout\n%s\nwant\n%s\n%s", r.code, r.stdout, want, r.stderr)
	}
	injected := fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`, b)
	pids := map[string]bool{}
	for _, l := range traceLines(trace) {
		if strings.Contains(l, "(INJECTED)") {
			f := strings.Fields(l)
			pids[f[0]] = true
		}
	}
	scWantLine(t, trace, injected)
	if countLines(trace, "(INJECTED)") != 2 || len(pids) != 2 {
		t.Errorf("want the injected line once in each of two processes:\n%s", trace)
	}

	// A scenario rule restricted to one file, when: 1: each cat is a new
	// process whose first open of the file fails.
	sc := scWriteScenario(t, fmt.Sprintf(`name: first-open
rules:
  - name: first-open-of-a
    syscalls: [openat]
    path: %q
    when: "1"
    error: ENOENT
`, a))
	script := `export LC_ALL=C; cat "$1"; cat "$1"; echo done`
	r, trace = scTraced(t, 20*time.Second, "-e", "trace=openat", "--scenario", sc, "--", "/bin/sh", "-c", script, "sh", a)
	if r.code != 0 || r.stdout != "done\n" {
		t.Errorf("exit %d, stdout %q, want both cats to fail\n%s", r.code, r.stdout, r.stderr)
	}
	if n := countLines(r.stderr, "cat: "+a+": No such file or directory"); n != 2 {
		t.Errorf("%d cats said the file is missing, want 2:\n%s", n, r.stderr)
	}
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`, a))
	if n := countLines(trace, "(INJECTED)"); n != 2 {
		t.Errorf("%d injected lines, want 2:\n%s", n, trace)
	}
	// scope: global counts the whole run: only the first cat fails.
	sc = scWriteScenario(t, readFile(t, sc)+"    scope: global\n")
	r, trace = scTraced(t, 20*time.Second, "-e", "trace=openat", "--scenario", sc, "--", "/bin/sh", "-c", script, "sh", a)
	if r.code != 0 || r.stdout != "adone\n" || countLines(r.stderr, "No such file or directory") != 1 {
		t.Errorf("scope global: exit %d, stdout %q, stderr %q; want the second cat to read the file", r.code, r.stdout, r.stderr)
	}
	if n := countLines(trace, "(INJECTED)"); n != 1 {
		t.Errorf("scope global: %d injected lines, want 1:\n%s", n, trace)
	}
}

func TestInjectSeveralOnOneSyscall(t *testing.T) {
	requireUserNotif(t)
	opener := scBuildC(t, "opener")
	dir := t.TempDir()
	var files []string
	for _, n := range []string{"a", "b", "c", "d"} {
		f := filepath.Join(dir, n)
		scWriteFile(t, f, n)
		files = append(files, f)
	}
	// Both stay, in order (strace would keep only the last). The first
	// fires on the 2nd openat; the second counts the calls the first did
	// not decide (the 1st, 3rd, 4th) and fires on its 2nd, the 3rd openat.
	r, trace := scTraced(t, 20*time.Second, append([]string{"-e", "trace=openat",
		"-e", "inject=openat:error=ENOENT:when=2", "-e", "inject=openat:error=EACCES:when=2", "--", opener}, files...)...)
	want := fmt.Sprintf("%s: ok\n%s: No such file or directory\n%s: Permission denied\n%s: ok\n", files[0], files[1], files[2], files[3])
	if r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout\n%s\nwant\n%s\n%s", r.code, r.stdout, want, r.stderr)
	}
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`, files[1]))
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 EACCES (Permission denied) (INJECTED)`, files[2]))
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = ?`, files[3]))
}

// scReport is the part of the --report JSON the tests read.
type scReport struct {
	Scenarios  []string `json:"scenarios"`
	Seed       *int64   `json:"seed"`
	ExitStatus *int     `json:"exit_status"`
	Signal     string   `json:"signal"`
	Rules      []struct {
		Scenario  string       `json:"scenario"`
		Name      string       `json:"name"`
		Matched   uint64       `json:"matched"`
		Fired     uint64       `json:"fired"`
		First     *scReportHit `json:"first"`
		Last      *scReportHit `json:"last"`
		Expect    string       `json:"expect"`
		ExpectMet bool         `json:"expect_met"`
	} `json:"rules"`
}

type scReportHit struct {
	ElapsedNS int64     `json:"elapsed_ns"`
	Time      time.Time `json:"time"`
	Pid       int       `json:"pid"`
	Tid       int       `json:"tid"`
	Call      string    `json:"call"`
}

func scReadReport(t *testing.T, name string) scReport {
	t.Helper()
	var rep scReport
	if err := json.Unmarshal([]byte(readFile(t, name)), &rep); err != nil {
		t.Fatalf("report %s: %v\n%s", name, err, readFile(t, name))
	}
	return rep
}

// scInjectedLines returns a trace's injected lines without their pid
// prefixes, sorted.
func scInjectedLines(trace string) []string {
	var out []string
	for _, l := range traceLines(trace) {
		if strings.Contains(l, "(INJECTED)") {
			out = append(out, stripPid(l))
		}
	}
	sort.Strings(out)
	return out
}

func TestSeedReplay(t *testing.T) {
	requireUserNotif(t)
	opener := scBuildC(t, "opener")
	dir := t.TempDir()
	var files []string
	for i := 0; i < 64; i++ {
		f := filepath.Join(dir, fmt.Sprintf("f%02d", i))
		scWriteFile(t, f, "x")
		files = append(files, f)
	}
	sc := scWriteScenario(t, fmt.Sprintf(`name: coin
rules:
  - name: flip
    syscalls: [openat]
    path: "%s/f*"
    probability: 0.5
    error: EIO
`, dir))
	run := func(seed string) (result, string, scReport) {
		t.Helper()
		rep := filepath.Join(t.TempDir(), "report.json")
		args := []string{"-e", "trace=openat", "--report", rep, "--scenario", sc}
		if seed != "" {
			args = append(args, "--seed", seed)
		}
		r, trace := scTraced(t, 20*time.Second, append(append(args, "--", opener), files...)...)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		return r, trace, scReadReport(t, rep)
	}
	// A first run picks a seed and records it; a run with that seed
	// makes the same decisions.
	r1, trace1, rep1 := run("")
	if rep1.Seed == nil || *rep1.Seed <= 0 {
		t.Fatalf("report without a seed: %+v", rep1)
	}
	seed := strconv.FormatInt(*rep1.Seed, 10)
	lines1 := scInjectedLines(trace1)
	if fired := rep1.Rules[0].Fired; fired == 0 || fired == 64 || int(fired) != len(lines1) {
		t.Errorf("fired %d of 64 with p=0.5, %d injected lines", fired, len(lines1))
	}
	r2, trace2, rep2 := run(seed)
	if rep2.Seed == nil || *rep2.Seed != *rep1.Seed {
		t.Errorf("--seed %s: the report's seed is %v", seed, rep2.Seed)
	}
	if lines2 := scInjectedLines(trace2); strings.Join(lines1, "\n") != strings.Join(lines2, "\n") {
		t.Errorf("seed %s twice, different decisions:\n%s\n---\n%s", seed, strings.Join(lines1, "\n"), strings.Join(lines2, "\n"))
	}
	if r1.stdout != r2.stdout {
		t.Errorf("seed %s twice, the program saw different failures:\n%s\n---\n%s", seed, r1.stdout, r2.stdout)
	}
	if n := countLines(r1.stdout, "Input/output error"); n != len(lines1) {
		t.Errorf("the program saw %d failures, the trace has %d", n, len(lines1))
	}
	// Another seed decides otherwise (all 64 alike: 2^-64).
	other := strconv.FormatInt(*rep1.Seed+1, 10)
	_, trace3, rep3 := run(other)
	if rep3.Seed == nil || strconv.FormatInt(*rep3.Seed, 10) != other {
		t.Errorf("--seed %s: the report's seed is %v", other, rep3.Seed)
	}
	if lines3 := scInjectedLines(trace3); strings.Join(lines1, "\n") == strings.Join(lines3, "\n") {
		t.Errorf("seeds %s and %s made the same decisions", seed, other)
	}
}

func TestDelayHoldsOnlyItsThread(t *testing.T) {
	requireUserNotif(t)
	t.Parallel()
	py := scPython3(t)
	dir := t.TempDir()
	marker := filepath.Join(dir, "slow-marker")
	scWriteFile(t, marker, "")
	sc := scWriteScenario(t, fmt.Sprintf(`name: one-slow-thread
rules:
  - name: hold-marker
    syscalls: [openat]
    path: %q
    delay: 3s
`, marker))
	// Thread "slow" opens the marker and is held 3 s; meanwhile the main
	// thread makes 50 openat calls, each one notified and printed.
	script := `
import sys, threading, time
marker = sys.argv[1]
start = time.monotonic()
ready = threading.Event()
res = {}
def slow():
    ready.set()
    t = time.monotonic()
    open(marker).close()
    res["slow"] = time.monotonic() - t
    res["slow_done"] = time.monotonic() - start
a = threading.Thread(target=slow)
a.start()
ready.wait()
time.sleep(0.2)
t = time.monotonic()
for i in range(50):
    open("/dev/null").close()
res["fast"] = time.monotonic() - t
res["fast_done"] = time.monotonic() - start
a.join()
print("%.3f %.3f %.3f %.3f" % (res["fast"], res["fast_done"], res["slow"], res["slow_done"]))
`
	r, trace := scTraced(t, 30*time.Second, "-e", "trace=openat", "--scenario", sc, "--", py, "-c", script, marker)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var fast, fastDone, slow, slowDone float64
	if _, err := fmt.Sscanf(r.stdout, "%f %f %f %f", &fast, &fastDone, &slow, &slowDone); err != nil {
		t.Fatalf("python3 printed %q: %v", r.stdout, err)
	}
	t.Logf("50 calls in %.3f s while the other thread was held %.3f s", fast, slow)
	if fast >= 1 {
		t.Errorf("50 calls took %.3f s while another thread was delayed, want well under 1 s", fast)
	}
	if slow < 2.99 {
		t.Errorf("the delayed open took %.3f s, want 3 s", slow)
	}
	if fastDone >= slowDone {
		t.Errorf("the 50 calls ended at %.3f s, after the delayed one (%.3f s)", fastDone, slowDone)
	}
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY|O_CLOEXEC) = ? (DELAYED)`, marker))
	if n := countLines(trace, `openat(AT_FDCWD, "/dev/null", O_RDONLY|O_CLOEXEC) = ?`); n != 50 {
		t.Errorf("%d /dev/null openat lines, want 50", n)
	}
}

func TestReportJSON(t *testing.T) {
	requireUserNotif(t)
	demo := scDemoDir(t)
	conf := filepath.Join(demo, "app.yaml")
	scWriteFile(t, conf, "port: 8080\n")
	sc := scWriteScenario(t, `name: watch
rules:
  - name: never-opened
    syscalls: [openat]
    path: "/nonexistent/**"
    log: true
`)
	rep := filepath.Join(t.TempDir(), "report.json")
	r, trace := scTraced(t, 20*time.Second, "-e", "trace=openat", "--seed", "42", "--report", rep,
		"--scenario", "config-missing", "--scenario", sc, "--", "/bin/sh", "-c", `cat "$1"; cat "$1"; exit 4`, "sh", conf)
	if r.code != 4 {
		t.Errorf("exit %d, want the program's 4\n%s", r.code, r.stderr)
	}
	got := scReadReport(t, rep)
	if strings.Join(got.Scenarios, ",") != "config-missing,watch" {
		t.Errorf("scenarios %q", got.Scenarios)
	}
	if got.Seed == nil || *got.Seed != 42 {
		t.Errorf("seed %v, want 42", got.Seed)
	}
	if got.ExitStatus == nil || *got.ExitStatus != 4 || got.Signal != "" {
		t.Errorf("exit_status %v, signal %q; want 4", got.ExitStatus, got.Signal)
	}
	if len(got.Rules) != 2 {
		t.Fatalf("rules: %+v", got.Rules)
	}
	hide, watch := got.Rules[0], got.Rules[1]
	if hide.Scenario != "config-missing" || hide.Name != "hide-config" || hide.Matched != 2 || hide.Fired != 2 || hide.Expect != "" || !hide.ExpectMet {
		t.Errorf("hide-config: %+v", hide)
	}
	// The two hits are the two cats, each its own process; the trace's pid
	// column says which.
	var pids []int
	for _, l := range traceLines(trace) {
		if strings.Contains(l, "(INJECTED)") {
			pid, _ := strconv.Atoi(strings.Fields(l)[0])
			pids = append(pids, pid)
		}
	}
	call := fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY)`, conf)
	if len(pids) != 2 || pids[0] == pids[1] {
		t.Fatalf("injected lines in two processes expected:\n%s", trace)
	}
	for i, h := range []*scReportHit{hide.First, hide.Last} {
		if h == nil {
			t.Errorf("hit %d is null", i)
			continue
		}
		if h.Pid != pids[i] || h.Tid != pids[i] || h.Call != call || h.ElapsedNS <= 0 ||
			h.Time.IsZero() || time.Since(h.Time) > time.Minute {
			t.Errorf("hit %d: %+v, want pid %d and call %s", i, *h, pids[i], call)
		}
	}
	if hide.First != nil && hide.Last != nil && hide.First.ElapsedNS > hide.Last.ElapsedNS {
		t.Errorf("first hit after the last: %d > %d", hide.First.ElapsedNS, hide.Last.ElapsedNS)
	}
	if watch.Scenario != "watch" || watch.Name != "never-opened" || watch.Matched != 0 || watch.Fired != 0 || watch.First != nil || watch.Last != nil {
		t.Errorf("never-opened: %+v", watch)
	}

	// Killed by a signal: no exit status, the signal's name.
	r = syscage(t, 20*time.Second, "run", "-e", "trace=none", "--report", rep, "--scenario", "config-missing", "--", "/bin/sh", "-c", "kill -KILL $$")
	if r.code != 137 {
		t.Errorf("exit %d, want 137", r.code)
	}
	if got := scReadReport(t, rep); got.ExitStatus != nil || got.Signal != "SIGKILL" {
		t.Errorf("killed: exit_status %v, signal %q", got.ExitStatus, got.Signal)
	}
	// A real-time signal has a name too, in the report and in the JSON
	// exit event (it had none, and CI could not tell why the program died).
	jsonOut := filepath.Join(t.TempDir(), "exit.jsonl")
	r = syscage(t, 20*time.Second, "run", "-e", "trace=none", "--report", rep, "--json-output", jsonOut, "--", "/bin/sh", "-c", "kill -40 $$")
	if r.code != 168 || !strings.Contains(r.stderr, "+++ killed by SIGRT_8 +++") {
		t.Errorf("exit %d, want 168 and SIGRT_8\n%s", r.code, r.stderr)
	}
	if got := scReadReport(t, rep); got.ExitStatus != nil || got.Signal != "SIGRT_8" {
		t.Errorf("killed by 40: exit_status %v, signal %q", got.ExitStatus, got.Signal)
	}
	if b, err := os.ReadFile(jsonOut); err != nil || !strings.Contains(string(b), `"event":"exit"`) || !strings.Contains(string(b), `"signal":"SIGRT_8"`) {
		t.Errorf("JSON exit event: %v\n%s", err, b)
	}
}

func TestReportExpectNever(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	scWriteFile(t, secret, "s3cr3t\n")
	yaml := fmt.Sprintf(`name: must-not-read
rules:
  - name: no-secret
    syscalls: [openat]
    path: %q
    log: true
    expect: never
`, secret)
	sc := scWriteScenario(t, yaml)
	rep := filepath.Join(t.TempDir(), "report.json")
	r := syscage(t, 20*time.Second, "run", "-o", filepath.Join(dir, "trace"), "-e", "trace=none", "--report", rep, "--scenario", sc, "--", "cat", secret)
	if r.code != 3 {
		t.Errorf("exit %d, want 3 (the program exited 0, an expectation failed)", r.code)
	}
	if r.stdout != "s3cr3t\n" {
		t.Errorf("cat printed %q: a log rule must let the call run", r.stdout)
	}
	// One line, placed at the rule's expect value (line 7, column 13).
	if want := fmt.Sprintf("syscage: %s:7:13: rule \"no-secret\" expected never, fired 1 time\n", sc); r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	got := scReadReport(t, rep)
	if len(got.Rules) != 1 || got.Rules[0].Expect != "never" || got.Rules[0].ExpectMet || got.Rules[0].Fired != 1 {
		t.Errorf("report rules: %+v", got.Rules)
	}
	// A failing program's own status wins.
	r = syscage(t, 20*time.Second, "run", "-e", "trace=none", "--scenario", sc, "--", "/bin/sh", "-c", `cat "$1" >/dev/null; exit 5`, "sh", secret)
	if r.code != 5 || countLines(strings.TrimSpace(r.stderr), "expected never") != 1 {
		t.Errorf("exit %d, stderr %q; want 5 and the unmet line", r.code, r.stderr)
	}
	// Met: exit 0, nothing said.
	r, _ = scTraced(t, 20*time.Second, "-e", "trace=none", "--scenario", sc, "--", "/bin/true")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("met: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestDryRun(t *testing.T) {
	requireUserNotif(t)
	demo := scDemoDir(t)
	conf := filepath.Join(demo, "app.yaml")
	scWriteFile(t, conf, "port: 8080\n")
	// The delay is not applied either.
	sc := scWriteScenario(t, fmt.Sprintf(`name: slow-deny
rules:
  - name: slow-deny
    syscalls: [openat]
    path: %q
    delay: 5s
    error: EACCES
`, conf))
	start := time.Now()
	r, trace := scTraced(t, 20*time.Second, "--dry-run", "-e", "trace=openat", "--scenario", "config-missing", "--", "cat", conf)
	if r.code != 0 || r.stdout != "port: 8080\n" {
		t.Errorf("exit %d, stdout %q: the program must run as without syscage\n%s", r.code, r.stdout, r.stderr)
	}
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (WOULD INJECT)`, conf))
	if strings.Contains(trace, "(INJECTED)") {
		t.Errorf("dry run injected:\n%s", trace)
	}
	r, trace = scTraced(t, 20*time.Second, "--dry-run", "-e", "trace=openat", "--scenario", sc, "--", "cat", conf)
	if r.code != 0 || r.stdout != "port: 8080\n" {
		t.Errorf("exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 EACCES (Permission denied) (WOULD INJECT)`, conf))
	if el := time.Since(start); el > 4*time.Second {
		t.Errorf("dry runs took %v: the 5 s delay was applied", el)
	}
	// -e status=injected keeps what the dry run would inject: the preview
	// of a scenario (it printed nothing).
	r, trace = scTraced(t, 20*time.Second, "--dry-run", "-e", "status=injected", "--scenario", "config-missing", "--", "cat", conf)
	if r.code != 0 || r.stdout != "port: 8080\n" {
		t.Errorf("status=injected: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	lines := traceLines(trace)
	for i, l := range lines {
		if last := i == len(lines)-1; last != strings.Contains(l, "+++ exited with 0 +++") || !last && !strings.HasSuffix(l, "(WOULD INJECT)") {
			t.Errorf("status=injected --dry-run: want only would-be injections and the exit line:\n%s", trace)
			break
		}
	}
	scWantLine(t, trace, fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (WOULD INJECT)`, conf))
	// The report says it was a dry run; a real run's has no such key.
	rep := filepath.Join(t.TempDir(), "report.json")
	for _, dry := range []bool{true, false} {
		args := []string{"run", "-e", "trace=none", "--report", rep, "--scenario", "config-missing", "--", "cat", conf}
		if dry {
			args = append([]string{"run", "--dry-run"}, args[1:]...)
		}
		syscage(t, 20*time.Second, args...)
		if b := readFile(t, rep); strings.Contains(b, `"dry_run": true`) != dry {
			t.Errorf("dry run %v: report\n%s", dry, b)
		}
	}
}

func TestScenarioBadFileLineCol(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "launched")
	head := "name: bad\nrules:\n  - name: r\n"
	for _, tc := range []struct {
		body, want string // want follows "syscage: FILE:"
	}{
		{"    syscalls: [opneat]\n    error: ENOENT\n", `4:16: rule "r": syscalls: invalid system call 'opneat'`},
		{"    syscalls: [openat]\n    error: ENOENT\n    retval: 0\n", `6:5: rule "r": error and retval given together; want at most one of error, retval, kill, log`},
		{"    syscalls: [connect]\n    port: 70000\n    error: ECONNREFUSED\n", `5:11: rule "r": port: 70000 out of range 1..65535`},
		{"    syscalls: [openat]\n    when: \"0+\"\n    error: ENOENT\n", `5:11: rule "r": when: bad when "0+": first must be 1..65535 (want first[..last][+[step]])`},
		{"    syscalls: [openat]\n    flags: [SOCK_STREAM]\n    error: ENOENT\n", `5:13: rule "r": flags: SOCK_STREAM is not a flag of openat (it takes O_* flags)`},
		{"    syscalls: [openat]\n    path: \"etc/x\"\n    error: ENOENT\n", `5:11: rule "r": path: glob "etc/x" never matches: paths are absolute; start it with / or **/`},
		{"    syscalls: [openat]\n    probability: 1.5\n    error: ENOENT\n", `5:18: rule "r": probability: 1.5 out of range (want 0 < p <= 1)`},
		{"    syscalls: [openat]\n    error: ENOENT\n    expect: sometimes\n", `6:13: rule "r": expect: unknown expectation "sometimes" (want fired, never or {min: N, max: M})`},
		{"    syscalls: [openat]\n    error: EFOO\n", `5:12: rule "r": error: `},
	} {
		bad := filepath.Join(dir, "bad.yaml")
		scWriteFile(t, bad, head+tc.body)
		r := syscage(t, 10*time.Second, "run", "--scenario", bad, "--", "touch", marker)
		want := "syscage: " + bad + ":" + tc.want
		if r.code != 2 || !strings.HasPrefix(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%q:\nexit %d, stderr %q\nwant exit 2 and one line starting %q", tc.body, r.code, r.stderr, want)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("%q: the command was launched", tc.body)
		}
	}
}

// A log rule prints its calls whatever -e trace= and -P select; -e
// status=injected keeps only changed calls, and a logged call is not one.
func TestLogRuleSelection(t *testing.T) {
	requireUserNotif(t)
	sc := scWriteScenario(t, `name: logit
rules:
  - name: see
    syscalls: [openat]
    path: "/etc/hostname"
    log: true
`)
	line := `openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = ?`
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-e", "trace=none"}, true},
		{[]string{"-e", "trace=close"}, true},
		{[]string{"-P", "/nonexistent"}, true},
		{[]string{"-e", "status=injected"}, false},
	} {
		r, trace := scTraced(t, 20*time.Second, append(tc.args, "--scenario", sc, "--", "cat", "/etc/hostname")...)
		if r.code != 0 || containsLine(trace, line) != tc.want {
			t.Errorf("%v: exit %d, want the logged line %v:\n%s", tc.args, r.code, tc.want, trace)
		}
	}
}

// A process that gets the pid of one that has exited starts its counters
// at 1 (docs/scenarios.md: "a forked child starts at 1"); it used to go on
// from the old process's count. ns_last_pid in a new pid namespace makes
// the second child reuse the first one's pid.
func TestCountersOfAReusedPid(t *testing.T) {
	requireUserNotif(t)
	// A user namespace owns the new pid namespace, so that writing its
	// ns_last_pid needs no root.
	ns := []string{"unshare", "-U", "-r", "-p", "-f", "--mount-proc"}
	if out, err := exec.Command(ns[0], append(ns[1:], "true")...).CombinedOutput(); err != nil {
		t.Skipf("the kernel gives this user no user and pid namespaces (%s: %v, %s)", strings.Join(ns, " "), err, out)
	}
	script := `import os, socket
def child(tag):
    n = 0
    try:
        for i in range(12):
            socket.socket(); n += 1
    except OSError as e:
        print(tag, n, e.errno, flush=True)
p = os.fork()
if p == 0:
    child("first"); os._exit(0)
os.waitpid(p, 0)
open("/proc/sys/kernel/ns_last_pid", "w").write(str(p - 1))
q = os.fork()
if q == 0:
    child("same" if os.getpid() == p else "other"); os._exit(0)
os.waitpid(q, 0)
`
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, ns[0], append(ns[1:], syscageBin, "run", "-e", "trace=none", "-qq",
		"--scenario", "fd-exhaustion", "--", "python3", "-c", script)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	// fd-exhaustion: socket calls fail with EMFILE (24) after 10 per process.
	if string(out) != "first 10 24\nsame 10 24\n" {
		t.Errorf("got %q, want both processes to open 10 sockets, the second one on the first one's pid", out)
	}
}

// fd_path on mmap looks at its fd (the fifth argument), not at the address:
// a file's mapping is refused, and an anonymous one (fd -1) never matches,
// even when fd 0 is the file.
func TestFDPathOnMmap(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.WriteFile(data, []byte("0123456789abcdef"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := scWriteScenario(t, fmt.Sprintf(`name: no-map
rules:
  - {name: no-map-data, syscalls: [mmap], fd_path: %q, error: ENODEV}
`, data))
	script := fmt.Sprintf(`import mmap, os
f = os.open(%q, os.O_RDONLY)
try:
    mmap.mmap(f, 0, prot=mmap.PROT_READ); print("file mapped")
except OSError as e:
    print("file", e.errno)
mmap.mmap(-1, 8192); print("anonymous mapped")
`, data)
	stdin, err := os.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, syscageBin, "run", "-e", "trace=none", "-qq", "--scenario", sc, "--", "python3", "-c", script)
	cmd.Stdin = stdin // fd 0 is the file: the old reading of argument 0 matched anonymous maps
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "file 19\nanonymous mapped\n" {
		t.Errorf("%v: %q, want the file's mapping refused with ENODEV (19) and the anonymous one made", err, out)
	}
}
