package main

// End-to-end tests: real programs under bin/syscage, under a real filter on
// this kernel. TestMain builds the binary once.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/supervisor"
)

var syscageBin string

func TestMain(m *testing.M) {
	// SYSCAGE_BIN names a binary built beforehand: make test's bin/syscage
	// (linked statically, as shipped), and the unprivileged run's copy of
	// it (nobody cannot use the Go cache).
	if bin := os.Getenv("SYSCAGE_BIN"); bin != "" {
		syscageBin = bin
		os.Exit(m.Run())
	}
	// Otherwise (plain go test) build the binary once, into a directory of
	// the test's own.
	root, err := filepath.Abs("../..")
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "syscage-e2e-")
	if err != nil {
		panic(err)
	}
	syscageBin = filepath.Join(dir, "syscage")
	build := exec.Command("go", "build", "-o", syscageBin, "./cmd/syscage")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "build syscage: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// requireUserNotif skips a kernel test only when the feature probe says
// the kernel lacks user notification.
func requireUserNotif(t *testing.T) {
	t.Helper()
	if err := supervisor.Probe(); err != nil {
		t.Skipf("kernel lacks seccomp user notification: %v", err)
	}
}

type result struct {
	stdout, stderr string
	code           int
}

// syscage runs bin/syscage with args and a timeout; the child is killed
// when the test's time runs out.
func syscage(t *testing.T, timeout time.Duration, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, syscageBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("syscage %s: timed out after %v\nstderr:\n%s", strings.Join(args, " "), timeout, errb.String())
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
		if code < 0 {
			t.Fatalf("syscage %s: %v", strings.Join(args, " "), err)
		}
	} else if err != nil {
		t.Fatalf("syscage %s: %v", strings.Join(args, " "), err)
	}
	return result{out.String(), errb.String(), code}
}

// traceLines splits a trace into lines.
func traceLines(s string) []string {
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}

func TestHostileHandoffTraceSet(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run",
		"-e", "trace=sendmsg,recvmsg,fcntl,close,write,read,execve,openat,dup3,futex,mmap,rt_sigprocmask,exit_group",
		"--", "/bin/true")
	if r.code != 0 {
		t.Fatalf("exit status %d, want 0\n%s", r.code, r.stderr)
	}
	lines := traceLines(r.stderr)
	if want := `execve("/bin/true", ["/bin/true"], `; !strings.HasPrefix(lines[0], want) {
		t.Errorf("first line %q, want prefix %q", lines[0], want)
	}
	if !regexp.MustCompile(`^execve\("/bin/true", \["/bin/true"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) += 0$`).MatchString(lines[0]) {
		t.Errorf("first line %q is not strace's execve line", lines[0])
	}
	if got := lines[len(lines)-1]; got != "+++ exited with 0 +++" {
		t.Errorf("last line %q, want +++ exited with 0 +++", got)
	}
	if !strings.Contains(r.stderr, "exit_group(0)                           = ?\n") {
		t.Errorf("no exit_group line in:\n%s", r.stderr)
	}
}

func TestTraceAllHandoff(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "--", "/bin/true")
	if r.code != 0 {
		t.Fatalf("exit status %d\n%s", r.code, r.stderr)
	}
	if first := traceLines(r.stderr)[0]; !strings.HasPrefix(first, `execve("/bin/true", ["/bin/true"], 0x`) {
		t.Errorf("first line %q", first)
	}
	// Nothing of the launcher: no sendmsg of the hand-off, no seccomp call.
	for _, bad := range []string{"sendmsg(3", "seccomp(", "prctl("} {
		if regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(bad)).MatchString(r.stderr) {
			t.Errorf("launcher call %q printed:\n%s", bad, r.stderr)
		}
	}
}

func TestListenerFDNotLeaked(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "-e", "trace=none", "--", "ls", "-l", "/proc/self/fd/")
	if r.code != 0 {
		t.Fatalf("exit status %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "seccomp") || strings.Contains(r.stdout, "anon_inode") {
		t.Errorf("the tracee holds the listener fd:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "/proc/") {
		t.Errorf("ls printed no fds:\n%s", r.stdout)
	}
}

func TestConfigMissingOnCat(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	conf := filepath.Join(dir, "syscage-demo", "app.yaml")
	if err := os.MkdirAll(filepath.Dir(conf), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte("port: 8080\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "trace")
	r := syscage(t, 20*time.Second, "run", "-o", out, "-e", "trace=openat", "--scenario", "../../scenarios/config-missing.yaml", "--", "cat", conf)
	if r.code != 1 {
		t.Errorf("exit status %d, want cat's 1\n%s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("cat printed the file: %q", r.stdout)
	}
	trace := readFile(t, out)
	want := fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`, conf)
	if !containsLine(trace, want) {
		t.Errorf("no line %q in:\n%s", want, trace)
	}
	if want := "cat: " + conf + ": No such file or directory"; !containsLine(r.stderr, want) {
		t.Errorf("cat did not report the missing file (%q) in:\n%s", want, r.stderr)
	}
	// Without the scenario the same file reads.
	r = syscage(t, 20*time.Second, "run", "-e", "trace=openat", "--", "cat", conf)
	if r.code != 0 || r.stdout != "port: 8080\n" {
		t.Errorf("without the scenario: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	want = fmt.Sprintf(`openat(AT_FDCWD, "%s", O_RDONLY) = ?`, conf)
	if !containsLine(r.stderr, want) {
		t.Errorf("no let-through line %q in:\n%s", want, r.stderr)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// containsLine reports whether s has a line equal to want once its pid
// prefix is dropped and the alignment spaces before " = " are folded.
func containsLine(s, want string) bool {
	fold := regexp.MustCompile(`\) +=( |$)`)
	for _, line := range strings.Split(s, "\n") {
		if fold.ReplaceAllString(stripPid(line), ") =$1") == want {
			return true
		}
	}
	return false
}

var pidPrefixes = regexp.MustCompile(`^(\d+ +|\[pid +\d+\] )`)

// stripPid drops a line's "1234  " (-o) or "[pid  1234] " prefix.
func stripPid(line string) string { return pidPrefixes.ReplaceAllString(line, "") }

func TestConnectionRefusedOnPython(t *testing.T) {
	requireUserNotif(t)
	ln, err := net.Listen("tcp", "127.0.0.1:5432")
	if err != nil {
		t.Fatalf("listen on 127.0.0.1:5432 (the scenario's port): %v", err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	script := `
import socket
s = socket.socket()
try:
    s.connect(("127.0.0.1", 5432))
    print("connected")
except OSError as e:
    print("error:", e)
`
	r := syscage(t, 30*time.Second, "run", "-e", "trace=connect", "--scenario", "connection-refused", "--", "python3", "-c", script)
	if r.code != 0 {
		t.Fatalf("exit status %d\n%s", r.code, r.stderr)
	}
	if r.stdout != "error: [Errno 111] Connection refused\n" {
		t.Errorf("python3 printed %q, want a refused connection", r.stdout)
	}
	want := `connect(3, {sa_family=AF_INET, sin_port=htons(5432), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED (Connection refused) (INJECTED)`
	if !containsLine(r.stderr, want) {
		t.Errorf("no line %q in:\n%s", want, r.stderr)
	}
	// The port listens: without the scenario python3 connects.
	r = syscage(t, 30*time.Second, "run", "-e", "trace=none", "--", "python3", "-c", script)
	if r.stdout != "connected\n" {
		t.Errorf("without the scenario python3 printed %q", r.stdout)
	}
}

func TestExitStatus(t *testing.T) {
	requireUserNotif(t)
	for _, tc := range []struct {
		script string
		code   int
		last   string
	}{
		{"exit 3", 3, "+++ exited with 3 +++"},
		{"exit 0", 0, "+++ exited with 0 +++"},
		{"kill -KILL $$", 137, "+++ killed by SIGKILL +++"},
		{"kill -TERM $$", 143, "+++ killed by SIGTERM +++"},
		// Real-time signals by strace's names: the kernel's range from 32.
		{"kill -34 $$", 162, "+++ killed by SIGRT_2 +++"},
		{"kill -64 $$", 192, "+++ killed by SIGRT_32 +++"},
	} {
		r := syscage(t, 20*time.Second, "run", "-e", "trace=exit_group", "--", "/bin/sh", "-c", tc.script)
		if r.code != tc.code {
			t.Errorf("%s: exit status %d, want %d\n%s", tc.script, r.code, tc.code, r.stderr)
		}
		lines := traceLines(r.stderr)
		if got := lines[len(lines)-1]; got != tc.last {
			t.Errorf("%s: last line %q, want %q", tc.script, got, tc.last)
		}
	}
}

func TestPidPrefixWithSeveralProcesses(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "-e", "trace=execve", "--", "/bin/sh", "-c", "/bin/true; /bin/true")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	lines := traceLines(r.stderr)
	if len(lines) != 4 {
		t.Fatalf("want 3 execve lines and the exit line, got:\n%s", r.stderr)
	}
	if !strings.HasPrefix(lines[0], `execve("/bin/sh", ["/bin/sh", "-c", "/bin/true; /bin/true"], 0x`) {
		t.Errorf("line 1: %q", lines[0])
	}
	pfx := regexp.MustCompile(`^\[pid +\d+\] execve\("/bin/true", \["/bin/true"\], 0x`)
	for _, l := range lines[1:3] {
		if !pfx.MatchString(l) {
			t.Errorf("want [pid N] prefix: %q", l)
		}
	}
	// A child's line is prefixed even when it is the first line printed.
	r = syscage(t, 20*time.Second, "run", "-e", "trace=write", "--", "/bin/sh", "-c", "/bin/echo hi; true")
	if lines := traceLines(r.stderr); !regexp.MustCompile(`^\[pid +\d+\] write\(1, "hi\\n", 3\) += \?$`).MatchString(lines[0]) {
		t.Errorf("the child's write without its pid: %q", lines[0])
	}
	// In a file written with -o -f, every line starts with the pid.
	out := filepath.Join(t.TempDir(), "trace")
	r = syscage(t, 20*time.Second, "run", "-f", "-o", out, "-e", "trace=execve", "--", "/bin/sh", "-c", "/bin/true")
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range traceLines(string(b)) {
		if !regexp.MustCompile(`^\d+ +(execve|\+\+\+)`).MatchString(l) {
			t.Errorf("-o -f line without pid: %q", l)
		}
	}
	if r.stderr != "" {
		t.Errorf("with -o nothing goes to stderr, got %q", r.stderr)
	}
}

func TestStringLimit(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "-s", "5", "-e", "trace=write", "--", "/bin/echo", "hello world")
	want := `write(1, "hello"..., 12) = ?`
	if !containsLine(r.stderr, want) {
		t.Errorf("no line %q in:\n%s", want, r.stderr)
	}
	if r.stdout != "hello world\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestBadInputExitsTwoBeforeLaunch(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "launched")
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\nrules:\n  - name: r\n    syscalls: [openat]\n    error: ENOTANERRNO\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"run", "--bogus", "--", "touch", marker}, "unknown flag: --bogus"},
		{[]string{"run", "-e", "trace=opneat", "--", "touch", marker}, "opneat"},
		{[]string{"run", "-e", "trace=%flie", "--", "touch", marker}, "%flie"},
		{[]string{"run", "-e", "trace=", "--", "touch", marker}, ""},
		{[]string{"run", "-e", "trace=xit", "-e", "trace=getpid", "--", "touch", marker}, "invalid system call 'xit'"},
		{[]string{"run"}, "must have PROG"},
		{[]string{"run", "--scenario", bad, "--", "touch", marker}, bad + ":5:"},
		{[]string{"run", "--scenario", filepath.Join(dir, "missing.yaml"), "--", "touch", marker}, "missing.yaml"},
		{[]string{"run", "-ff", "--format", "json", "-o", filepath.Join(dir, "tr"), "--", "touch", marker}, "-ff"},
		{[]string{"run", "-ff", "-o", "|cat", "--", "touch", marker}, "piping the output and -ff are mutually exclusive"},
		{[]string{"run", "-C", "--format", "json", "--", "touch", marker}, "-C with --format json would put the text table into the JSON lines"},
		{[]string{"run", "-ff", "-o", filepath.Join(dir, "nodir", "tr"), "--", "touch", marker}, "Can't fopen '" + filepath.Join(dir, "nodir", "tr") + ".PID': No such file or directory"},
		{[]string{"run", "--scenario", "config-missing", "--scenario", "config-missing", "--", "touch", marker}, `scenario "config-missing" is given twice`},
		{[]string{"run", "-o", filepath.Join(dir, "out"), "--json-output", filepath.Join(dir, ".", "out"), "--", "touch", marker}, "-o and --json-output name the same file"},
		{[]string{"run", "--json-output", filepath.Join(dir, "r.json"), "--report", dir + "/sub/../r.json", "--", "touch", marker}, "--json-output and --report name the same file"},
		{[]string{"check", bad}, bad + ":5:"},
		{[]string{"frobnicate"}, "frobnicate"},
	} {
		r := syscage(t, 10*time.Second, tc.args...)
		if r.code != 2 {
			t.Errorf("%v: exit status %d, want 2\n%s", tc.args, r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, tc.msg) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("%v: want one line mentioning %q, got %q", tc.args, tc.msg, r.stderr)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatalf("%v: the command was launched", tc.args)
		}
	}
}

func TestMissingCommandLikeStrace(t *testing.T) {
	r := syscage(t, 10*time.Second, "run", "--", "/nonexistent/prog")
	if r.code != 1 || r.stderr != "syscage: Can't stat '/nonexistent/prog': No such file or directory\n" {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	// The report is written still, with the exit status 1, as for a
	// program that exists but cannot be executed.
	rep := filepath.Join(t.TempDir(), "report.json")
	r = syscage(t, 10*time.Second, "run", "--report", rep, "--", "/nonexistent/prog")
	if b, err := os.ReadFile(rep); r.code != 1 || err != nil || !strings.Contains(string(b), `"exit_status": 1,`) {
		t.Errorf("exit %d, report %v:\n%s", r.code, err, b)
	}
}

func TestCheckShippedScenarios(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	if len(files) < 2 {
		t.Fatalf("want the shipped scenarios, found %v", files)
	}
	r := syscage(t, 10*time.Second, append([]string{"check"}, files...)...)
	if r.code != 0 {
		t.Errorf("check: exit %d\n%s", r.code, r.stderr)
	}
	// -- ends the options, as everywhere.
	if r2 := syscage(t, 10*time.Second, append([]string{"check", "--"}, files...)...); r2.code != 0 || r2.stdout != r.stdout {
		t.Errorf("check --: exit %d\n%s%s", r2.code, r2.stdout, r2.stderr)
	}
}

func TestNestedSyscageFailsClearly(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "-e", "trace=none", "--", syscageBin, "run", "--", "/bin/true")
	if r.code == 0 || !strings.Contains(r.stderr, "already runs under a seccomp user-notification supervisor") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	// features cannot open a listener there either: what only a listener
	// tells is unknown, not "no".
	r = syscage(t, 20*time.Second, "run", "-e", "trace=none", "-qq", "--", syscageBin, "features", "--json")
	var f supervisor.Features
	if err := json.Unmarshal([]byte(r.stdout), &f); err != nil || r.code != 0 {
		t.Fatalf("features --json under syscage: exit %d, %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if !slices.Equal(f.Unknown, []string{"continue", "addfd", "sync_wake_up"}) || !strings.Contains(f.Error, "EBUSY") {
		t.Errorf("features under syscage: unknown %q, error %q", f.Unknown, f.Error)
	}
}

func TestRunEndsWithLastProcessNotFirst(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	late := filepath.Join(dir, "late")
	// The first child exits at once; its daemonised grandchild writes a
	// file half a second later. The run must last until the grandchild ends.
	script := "(sleep 0.5; echo done > " + late + ") </dev/null >/dev/null 2>&1 & exit 0"
	out := filepath.Join(dir, "trace")
	r := syscage(t, 20*time.Second, "run", "-o", out, "-e", "trace=openat,execve", "--", "/bin/sh", "-c", script)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if readFile(t, late) != "done\n" {
		t.Errorf("the grandchild had not finished when syscage returned")
	}
	trace := readFile(t, out)
	want := fmt.Sprintf(`openat(AT_FDCWD, "%s", O_WRONLY|O_CREAT|O_TRUNC, 0666) = ?`, late)
	if !containsLine(trace, want) {
		t.Errorf("the grandchild's %q is not in the trace:\n%s", want, trace)
	}
}

func TestSignalsGoToTheTracee(t *testing.T) {
	requireUserNotif(t)
	for _, tc := range []struct {
		sig  unix.Signal
		code int
		last string
	}{
		{unix.SIGTERM, 143, "+++ killed by SIGTERM +++"},
		{unix.SIGINT, 130, "+++ killed by SIGINT +++"},
		{unix.SIGUSR1, 138, "+++ killed by SIGUSR1 +++"},
		{unix.SIGUSR2, 140, "+++ killed by SIGUSR2 +++"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		out := filepath.Join(t.TempDir(), "trace")
		cmd := exec.CommandContext(ctx, syscageBin, "run", "-o", out, "-e", "trace=execve", "--", "sleep", "30")
		cmd.WaitDelay = 2 * time.Second
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until sleep runs under the filter.
		for i := 0; i < 200 && !strings.Contains(readFileOrEmpty(out), "execve("); i++ {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		if err := cmd.Process.Signal(tc.sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		cancel()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
			t.Errorf("%v: syscage ended with %v, want exit status %d", tc.sig, err, tc.code)
		}
		lines := traceLines(readFile(t, out))
		if got := stripPid(lines[len(lines)-1]); got != tc.last {
			t.Errorf("%v: last line %q, want %q", tc.sig, got, tc.last)
		}
	}
}

func readFileOrEmpty(name string) string {
	b, _ := os.ReadFile(name)
	return string(b)
}

func TestTraceeDiesWithSyscage(t *testing.T) {
	requireUserNotif(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, syscageBin, "run", "-e", "trace=none", "--", "/bin/sh", "-c", "echo $$; exec sleep 30")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 32)
	n, _ := stdout.Read(buf)
	var pid int
	if _, err := fmt.Sscan(string(buf[:n]), &pid); err != nil || pid <= 0 {
		t.Fatalf("no pid from the tracee: %q", buf[:n])
	}
	cmd.Process.Kill()
	cmd.Wait()
	// The tracee got SIGKILL from PR_SET_PDEATHSIG: gone, or a zombie
	// waiting for init.
	for i := 0; i < 200; i++ {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(b), ") Z ") {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	unix.Kill(pid, unix.SIGKILL)
	t.Errorf("tracee %d still runs after syscage was killed", pid)
}

func TestTraceeStartedWithStdinClosed(t *testing.T) {
	requireUserNotif(t)
	// The shell closes fd 0 before exec'ing syscage; the tracee must see it
	// closed too (the Go runtime would otherwise have put /dev/null there).
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	probe := `if [ -e /proc/self/fd/0 ]; then echo open; else echo closed; fi`
	for _, tc := range []struct{ redirect, want string }{{"<&-", "closed\n"}, {"</dev/null", "open\n"}} {
		cmd := exec.CommandContext(ctx, "/bin/sh", "-c", `exec "$0" run -e trace=none -- /bin/sh -c "$1" `+tc.redirect, syscageBin, probe)
		out, err := cmd.Output()
		if err != nil || string(out) != tc.want {
			t.Errorf("%s: tracee says fd 0 is %q (%v), want %q", tc.redirect, out, err, tc.want)
		}
	}
}

// countLines counts the lines of s that contain sub.
func countLines(s, sub string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

func TestEveryCallOnceUnderLoad(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	t.Run("shell loop", func(t *testing.T) {
		out := filepath.Join(dir, "loop")
		r := syscage(t, 60*time.Second, "run", "-o", out, "-e", "trace=all", "--", "/bin/sh", "-c",
			`i=0; while [ $i -lt 20000 ]; do echo x >/dev/null; i=$((i+1)); done`)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if n := countLines(readFile(t, out), `openat(AT_FDCWD, "/dev/null", O_WRONLY|O_CREAT|O_TRUNC, 0666) = ?`); n != 20000 {
			t.Errorf("%d openat lines for 20000 opens", n)
		}
	})
	t.Run("threads", func(t *testing.T) {
		out := filepath.Join(dir, "threads")
		script := `
import threading
def work(i):
    for j in range(500):
        open("/dev/null").close()
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print("ok")
`
		r := syscage(t, 60*time.Second, "run", "-o", out, "-e", "trace=openat,close", "--", "python3", "-c", script)
		if r.code != 0 || r.stdout != "ok\n" {
			t.Fatalf("exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
		}
		trace := readFile(t, out)
		if n := countLines(trace, `openat(AT_FDCWD, "/dev/null", O_RDONLY|O_CLOEXEC) = ?`); n != 4000 {
			t.Errorf("%d openat lines for 8 threads × 500 opens", n)
		}
		if n := countLines(trace, "[pid "); n != 0 {
			t.Errorf("-o output uses [pid N] prefixes: %d lines", n)
		}
	})
}

func TestProcessTrees(t *testing.T) {
	requireUserNotif(t)
	for _, tc := range []struct {
		name   string
		argv   []string
		stdout string
		trace  []string // substrings that must appear in the trace
	}{
		{"posix_spawn", []string{"python3", "-c", `import os; pid = os.posix_spawn("/bin/echo", ["echo", "spawned"], os.environ); print(os.waitpid(pid, 0)[1])`},
			"spawned\n0\n", []string{`execve("/bin/echo", ["echo", "spawned"], 0x`}},
		{"vfork", []string{"python3", "-c", `import os, subprocess; subprocess.run(["/bin/echo", "vforked"]); print("done")`},
			"vforked\ndone\n", []string{`execve("/bin/echo", ["/bin/echo", "vforked"], 0x`}},
		{"clone3 threads", []string{"python3", "-c", `import threading; t = threading.Thread(target=print, args=("in thread",)); t.start(); t.join()`},
			"in thread\n", []string{"clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID"}},
		{"execve from a thread", []string{"python3", "-c", `import os, threading, time
def f(): os.execv("/bin/echo", ["echo", "from-thread"])
threading.Thread(target=f).start()
time.sleep(10)`},
			"from-thread\n", []string{`execve("/bin/echo", ["echo", "from-thread"], 0x`}},
		{"zombie", []string{"/bin/sh", "-c", "/bin/true & exec /bin/sleep 0.2"}, "", []string{`execve("/bin/sleep", ["/bin/sleep", "0.2"], 0x`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "trace")
			r := syscage(t, 30*time.Second, append([]string{"run", "-o", out, "-e", "trace=execve,clone,clone3,vfork,fork,exit_group", "--"}, tc.argv...)...)
			if r.code != 0 || r.stdout != tc.stdout {
				t.Errorf("exit %d, stdout %q, want 0 and %q\n%s", r.code, r.stdout, tc.stdout, r.stderr)
			}
			trace := readFile(t, out)
			for _, want := range tc.trace {
				if !strings.Contains(trace, want) {
					t.Errorf("no %q in:\n%s", want, trace)
				}
			}
			if !strings.HasSuffix(trace, "+++ exited with 0 +++\n") {
				t.Errorf("trace does not end with the exit line:\n%s", trace)
			}
		})
	}
}

// An inherited fd opened before the fd limit was lowered leaves the
// launcher no fd number above it: a message that says so and what to do,
// not "bad file descriptor".
func TestInheritedFDAtTheLimit(t *testing.T) {
	requireUserNotif(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", `exec 9</dev/null; ulimit -n 10; exec "$0" run -- /bin/true`, syscageBin)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "at or near the fd limit 10 (ulimit -n)") ||
		!strings.Contains(string(out), "or raise the limit") {
		t.Errorf("%v: %q", err, out)
	}
}

// check repeats a scenario's name: one with terminal control bytes is
// quoted, never printed raw (docs/security.md).
func TestCheckEscapesTheName(t *testing.T) {
	f := filepath.Join(t.TempDir(), "ctl.yaml")
	if err := os.WriteFile(f, []byte("name: \"\\x1b]0;pwned\\x07\"\nrules: [{name: a, syscalls: [read], error: EIO}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := syscage(t, 10*time.Second, "check", f)
	if want := f + `: ok ("\x1b]0;pwned\a", 1 rules)` + "\n"; r.code != 0 || r.stdout != want {
		t.Errorf("exit %d, stdout %q, want %q", r.code, r.stdout, want)
	}
}

// A tracee whose memory syscage may not read (here it makes itself
// non-dumpable, which bars a supervisor without CAP_SYS_PTRACE) gets a
// warning, once, instead of a silent trace of addresses.
func TestWarnsWhenMemoryIsUnreadable(t *testing.T) {
	requireUserNotif(t)
	args := []string{syscageBin}
	if os.Geteuid() == 0 {
		// Root's CAP_SYS_PTRACE reads any memory: run as nobody, from a
		// directory nobody may enter (t.TempDir's parent is 0700).
		dir, err := os.MkdirTemp("", "syscage-nobody-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(dir)
		bin := filepath.Join(dir, "syscage")
		b, err := os.ReadFile(syscageBin)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bin, b, 0o755); err != nil || os.Chmod(dir, 0o755) != nil {
			t.Fatal(err)
		}
		args = []string{"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", bin}
	}
	args = append(args, "run", "-e", "trace=openat", "--", "python3", "-c",
		"import ctypes; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); open('/etc/hostname'); open('/etc/hostname')")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if n := strings.Count(string(out), "syscage: warning: cannot read the memory of traced thread"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, out)
	}
	if !regexp.MustCompile(`(?m)^openat\(AT_FDCWD, 0x[0-9a-f]+, O_RDONLY\|O_CLOEXEC\)`).Match(out) {
		t.Errorf("want the open with its path as an address:\n%s", out)
	}
}

// -e inject=...:retval=-1 is 2^64-1, which the program reads as errno 1:
// syscage warns as strace does, and injects it.
func TestInjectRetvalWarning(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "-e", "trace=close", "-e", "inject=close:retval=-1:when=1", "--", "/bin/true")
	if r.code != 0 || !strings.HasPrefix(r.stderr, "syscage: Inadvertent injection of error 1 is possible for retval=18446744073709551615\n") ||
		!strings.Contains(r.stderr, "(INJECTED)") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
}

// Outputs are compared where they land: through symlinked directories and
// dangling symlinks (a file not there yet), and with ".." taken after the
// symlinks as the kernel takes it, so two different files are no clash.
// -P resolves its path the same way (realpath(3)).
func TestOutputsThroughSymlinks(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	for _, err := range []error{
		os.MkdirAll(filepath.Join(dir, "pdir", "sub"), 0o755),
		os.Symlink("pdir", filepath.Join(dir, "pdirlink")),
		os.Symlink(filepath.Join("pdir", "sub"), filepath.Join(dir, "sublink")),
		os.Symlink("j.txt", filepath.Join(dir, "lnk")),
		os.WriteFile(filepath.Join(dir, "pdir", "f"), []byte("x\n"), 0o644),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, syscageBin, append([]string{"run", "-qq"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("%v: %v", args, err)
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-o", "pdirlink/x", "--json-output", "pdir/x", "-e", "trace=none", "--", "true"}, 2, "-o and --json-output name the same file, pdir/x"},
		{[]string{"-o", "j.txt", "--report", "lnk", "-e", "trace=none", "--", "true"}, 2, "-o and --report name the same file, lnk"},
		{[]string{"-o", "sublink/../t.txt", "--json-output", "t.txt", "-e", "trace=none", "--", "true"}, 0, ""},
		{[]string{"-P", "sublink/../f", "-e", "trace=openat", "--", "cat", "pdir/f"}, 0, `openat(AT_FDCWD, "pdir/f", O_RDONLY)`},
	} {
		out, code := run(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.msg) {
			t.Errorf("%v: exit %d, want %d and %q:\n%s", tc.args, code, tc.code, tc.msg, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pdir", "t.txt")); err != nil {
		t.Errorf("sublink/../t.txt is pdir/t.txt: %v", err)
	}
}
