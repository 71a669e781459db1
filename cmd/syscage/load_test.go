package main

// Load and signals: every call once, under delays and signal storms.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildTool builds a helper program for the test into dir: a C file with
// gcc (extra flags after), or a Go package directory.
func buildTool(t *testing.T, dir, src string, cflags ...string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(src))
	var cmd *exec.Cmd
	if filepath.Ext(src) == ".c" {
		out = out[:len(out)-2]
		cmd = exec.Command("gcc", append([]string{"-O2", "-Wall", "-o", out, src}, cflags...)...)
	} else {
		cmd = exec.Command("go", "build", "-buildvcs=false", "-o", out, ".")
		cmd.Dir = src
		if os.Getuid() != 0 {
			// The unprivileged run (make test-unprivileged) has no Go
			// build cache of its own.
			cmd.Env = append(os.Environ(), "GOCACHE="+filepath.Join(dir, "gocache"))
		}
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", src, err, b)
	}
	return out
}

// writeLoadScenario writes a scenario file into dir.
func writeLoadScenario(t *testing.T, dir, text string) string {
	t.Helper()
	f := filepath.Join(dir, "scenario.yaml")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// A Go program's threads get SIGURG every ~10 ms: with every open delayed
// by 2 ms, a notification cancelled by a signal must come back once, and be
// printed and counted once.
func TestGoTraceeUnderDelays(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	bin := buildTool(t, dir, "../../testdata/load/goopen")
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	sc := writeLoadScenario(t, dir, fmt.Sprintf(`name: slow-open
rules:
  - name: slow
    syscalls: [openat]
    path: %q
    delay: 2ms
    expect: {min: 2000, max: 2000}
`, target))
	out := filepath.Join(dir, "trace")
	report := filepath.Join(dir, "report.json")
	start := time.Now()
	r := syscage(t, 120*time.Second, "run", "-o", out, "--report", report, "-e", "trace=openat", "--scenario", sc, "--", bin, target, "2000")
	if r.code != 0 || r.stdout != "opened=2000\n" {
		t.Fatalf("exit %d, stdout %q (after %v)\n%s", r.code, r.stdout, time.Since(start), r.stderr)
	}
	want := fmt.Sprintf(`openat(AT_FDCWD, %q, O_RDONLY|O_CLOEXEC) = ? (DELAYED)`, target)
	if n := countMatching(readFile(t, out), want); n != 2000 {
		t.Errorf("%d lines %q for 2000 opens", n, want)
	}
	t.Logf("2000 opens delayed 2 ms each by 8 goroutines: %v", time.Since(start))
}

// countMatching counts the lines equal to want (pid prefix and alignment
// folded, as containsLine compares them).
func countMatching(s, want string) int {
	n := 0
	for _, l := range traceLines(s) {
		if containsLine(l, want) {
			n++
		}
	}
	return n
}

// 64 threads × 1000 opens, each delayed 1 ms, while another thread sends
// SIGUSR1 (SA_RESTART) and SIGUSR2 (no SA_RESTART) as fast as it can; the
// first 100 opens of the process fail with EIO. Every completed call is
// printed once, the injected ones exactly 100 (when= counts each call once).
func TestSignalStormUnderDelays(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	bin := buildTool(t, dir, "../../testdata/load/storm.c", "-pthread")
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	sc := writeLoadScenario(t, dir, fmt.Sprintf(`name: storm
rules:
  - name: first-fail
    syscalls: [open, openat]
    path: %q
    when: "1..100"
    error: EIO
  - name: slow
    syscalls: [open, openat]
    path: %q
    delay: 1ms
`, target, target))
	out := filepath.Join(dir, "trace")
	r := syscage(t, 240*time.Second, "run", "-o", out, "-e", "trace=openat", "--scenario", sc, "--", bin, target, "64", "1000")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var opened, injected, eintr, signals int
	if _, err := fmt.Sscanf(r.stdout, "opened=%d injected=%d eintr=%d signals=%d", &opened, &injected, &eintr, &signals); err != nil {
		t.Fatalf("storm printed %q: %v", r.stdout, err)
	}
	t.Logf("opened=%d injected=%d eintr=%d signals=%d", opened, injected, eintr, signals)
	if opened+injected != 64000 || injected != 100 {
		t.Errorf("opened %d + injected %d, want 63900 + 100", opened, injected)
	}
	if signals == 0 {
		t.Errorf("no signal was sent: the storm did not run")
	}
	trace := readFile(t, out)
	injectedLine := fmt.Sprintf(`openat(AT_FDCWD, %q, O_RDONLY) = -1 EIO (Input/output error) (INJECTED)`, target)
	delayedLine := fmt.Sprintf(`openat(AT_FDCWD, %q, O_RDONLY) = ? (DELAYED)`, target)
	if n := countMatching(trace, injectedLine); n != 100 {
		t.Errorf("%d INJECTED lines, want 100", n)
	}
	if n := countMatching(trace, delayedLine); n != opened {
		t.Errorf("%d DELAYED lines for %d completed opens", n, opened)
	}
}

// A delayed call whose thread dies ends with the run: syscage does not sit
// out the delay. The call is reported before the exit line, with "= ?" as
// strace prints a call its process did not live to finish, and " (DELAYED)".
func TestDelayedCallOfAKilledTracee(t *testing.T) {
	requireUserNotif(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, syscageBin, "run", "-e", "trace=clock_nanosleep", "-e", "inject=clock_nanosleep:delay_enter=10s", "--", "sleep", "1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("syscage took %v to end after its tracee died", d)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 143 {
		t.Errorf("exit: %v, want 143", err)
	}
	want := regexp.MustCompile(`^clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=1, tv_nsec=0\}, 0x[0-9a-f]+\) += \? \(DELAYED\)\n\+\+\+ killed by SIGTERM \+\+\+\n$`)
	if !want.MatchString(stderr.String()) {
		t.Errorf("trace %q, want the delayed call with = ? (DELAYED), then the exit line", stderr.String())
	}
}

// A process that exits while threads wait for delayed answers: no line
// comes after the exit line (an answer whose thread is gone is not
// reported as given), and every delayed call is reported once.
func TestNoLineAfterTheExit(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	bin := buildTool(t, dir, "../../testdata/load/quitter.c", "-pthread")
	target := filepath.Join(dir, "target")
	scenario := slowOpens(t, dir, target, "error: ENOENT", "delay: 1ms")
	for i := range 10 {
		trace := filepath.Join(dir, fmt.Sprintf("trace%d", i))
		r := syscage(t, 20*time.Second, "run", "--scenario", scenario, "-e", "trace=openat", "-o", trace, "--", bin, "8", strconv.Itoa(2000+1000*i), target)
		if r.code != 3 {
			t.Fatalf("run %d: exit %d, want 3; stderr %q", i, r.code, r.stderr)
		}
		lines := traceLines(readFile(t, trace))
		if len(lines) == 0 || !strings.HasSuffix(lines[len(lines)-1], "+++ exited with 3 +++") {
			t.Fatalf("run %d: the exit line is not the last one:\n%s", i, strings.Join(lines[max(0, len(lines)-12):], "\n"))
		}
		for _, l := range lines {
			if strings.Contains(l, "(INJECTED)") && !strings.Contains(l, "(DELAYED)") {
				t.Fatalf("run %d: an injected line without its delay: %q", i, l)
			}
		}
	}
}

// A path on a userfaultfd page: reading it waits for the tracee's own
// fault-handling thread, whose calls another receiving worker must answer
// (the watchdog in supervisor/receiving.go lets one join, and starts more
// when every started one is stuck). With every call traced, the run must
// end as it does natively, with one such path and with 16 opened at once
// (more than the workers started at the start).
func TestUserfaultfdPathDoesNotHang(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	bin := buildTool(t, dir, "../../testdata/load/uffd.c", "-pthread")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	native := exec.CommandContext(ctx, bin)
	out, err := native.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 3 {
		t.Skipf("userfaultfd is not available here (kernel or vm.unprivileged_userfaultfd): %s", strings.TrimSpace(string(out)))
	}
	if err != nil {
		t.Fatalf("native run: %v\n%s", err, out)
	}
	for _, n := range []int{1, 16} {
		trace := filepath.Join(dir, fmt.Sprintf("trace%d", n))
		r := syscage(t, 20*time.Second, "run", "-o", trace, "--", bin, strconv.Itoa(n))
		if r.code != 0 || r.stdout != fmt.Sprintf("opened %d paths\n", n) {
			t.Fatalf("%d paths: exit %d, stdout %q, stderr %q", n, r.code, r.stdout, r.stderr)
		}
		if got := countMatching(readFile(t, trace), `openat(AT_FDCWD, "/dev/null", O_RDONLY) = ?`); got != n {
			t.Errorf("%d paths: %d open lines for paths on userfaultfd pages:\n%s", n, got, readFile(t, trace))
		}
	}
}

// Once the command has exited, a signal to syscage ends its wait for the
// command's remaining descendants (as strace detaches), and syscage exits
// with the command's status at once.
func TestSignalAfterExitEndsTheWait(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, syscageBin, "run", "-e", "trace=openat", "-o", filepath.Join(dir, "trace"),
		"--", "/bin/sh", "-c", "sleep 30 & echo $! > "+pidFile+"; exit 5")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if b, err := os.ReadFile(pidFile); err == nil {
			var pid int
			if _, err := fmt.Sscan(string(b), &pid); err == nil && pid > 0 {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	// Wait until the command has exited and left its sleep behind.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(pidFile); err == nil && len(b) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the command never wrote its child's pid")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 5 {
		t.Fatalf("syscage after SIGTERM: %v, want exit status 5 (the command's)", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("syscage took %v to end after SIGTERM", d)
	}
}

// Delayed calls whose threads die are each reported once: in children
// killed while their call waits (no exit line of theirs is printed), and
// in a process that exits just as the delays end.
func TestDelayedCallsOfDyingThreads(t *testing.T) {
	requireUserNotif(t)
	children := `import os, signal, time
pids = []
for i in range(3):
    pid = os.fork()
    if pid == 0:
        os.getppid()
        os._exit(0)
    pids.append(pid)
time.sleep(0.1)
for p in pids:
    os.kill(p, signal.SIGKILL)
for p in pids:
    os.waitpid(p, 0)
time.sleep(0.8)`
	r := syscage(t, 20*time.Second, "run", "-e", "trace=getppid", "-e", "inject=getppid:delay_enter=500000", "--", "/usr/bin/python3", "-c", children)
	if n := countMatching(r.stderr, "getppid() = ? (DELAYED)"); r.code != 0 || n != 3 {
		t.Errorf("children killed while delayed: exit %d, %d delayed lines, want 3:\n%s", r.code, n, r.stderr)
	}
	// 20 threads each wait 300 ms on an open when the process exits, at
	// about the same time: each fired rule has its line, before the exit line.
	dir := t.TempDir()
	bin := buildTool(t, dir, "../../testdata/load/quitter.c", "-pthread")
	target := filepath.Join(dir, "target")
	scenario := slowOpens(t, dir, target, "error: EPERM", "delay: 300ms")
	for i := range 5 {
		trace, report := filepath.Join(dir, fmt.Sprintf("trace%d", i)), filepath.Join(dir, fmt.Sprintf("report%d", i))
		r := syscage(t, 20*time.Second, "run", "--scenario", scenario, "--report", report, "-e", "trace=openat", "-o", trace, "--", bin, "20", strconv.Itoa(295000+2000*i), target)
		lines := traceLines(readFile(t, trace))
		n := 0
		for _, l := range lines {
			if strings.Contains(l, target) {
				n++
			}
		}
		fired := scReadReport(t, report).Rules[0].Fired
		if r.code != 3 || n == 0 || uint64(n) != fired || !strings.HasSuffix(lines[len(lines)-1], "+++ exited with 3 +++") {
			t.Fatalf("run %d: exit %d, %d lines of delayed opens for %d fired, want them all before the exit line:\n%s", i, r.code, n, fired, strings.Join(lines, "\n"))
		}
	}
}

// A fatal signal sent with a call: the call's line and the signal's come
// before the exit line, though the signal killed the thread before the
// answer reached it.
func TestInjectedFatalSignalIsReported(t *testing.T) {
	requireUserNotif(t)
	want := regexp.MustCompile(`^getppid\(\) += \?\n--- SIGTERM \{si_signo=SIGTERM, si_code=SI_TKILL, si_pid=\d+, si_uid=\d+\} ---\n\+\+\+ killed by SIGTERM \+\+\+\n$`)
	for i := range 10 {
		r := syscage(t, 20*time.Second, "run", "-e", "trace=getppid", "-e", "inject=getppid:signal=SIGTERM", "--", "/usr/bin/python3", "-c", "import os; os.getppid()")
		if r.code != 143 || !want.MatchString(r.stderr) {
			t.Fatalf("run %d: exit %d, trace %q; want the call, the signal and the exit line", i, r.code, r.stderr)
		}
	}
	// SIGKILL has no signal line, as in strace: the thread never stops to
	// take it.
	r0 := syscage(t, 20*time.Second, "run", "-e", "trace=getppid", "-e", "inject=getppid:signal=SIGKILL", "--", "/usr/bin/python3", "-c", "import os; os.getppid()")
	if want := regexp.MustCompile(`^getppid\(\) += \?\n\+\+\+ killed by SIGKILL \+\+\+\n$`); r0.code != 137 || !want.MatchString(r0.stderr) {
		t.Errorf("SIGKILL: exit %d, trace %q", r0.code, r0.stderr)
	}
	// A real-time signal, by strace's name in the signal line, the exit
	// line and the JSON (where it had none).
	want = regexp.MustCompile(`^getppid\(\) += \?\n--- SIGRT_3 \{si_signo=SIGRT_3, si_code=SI_TKILL, si_pid=\d+, si_uid=\d+\} ---\n\+\+\+ killed by SIGRT_3 \+\+\+\n$`)
	jsonOut := filepath.Join(t.TempDir(), "trace.jsonl")
	r := syscage(t, 20*time.Second, "run", "-e", "trace=getppid", "-e", "inject=getppid:signal=SIGRT_3", "--json-output", jsonOut, "--", "/usr/bin/python3", "-c", "import os; os.getppid()")
	if r.code != 128+35 || !want.MatchString(r.stderr) {
		t.Fatalf("SIGRT_3: exit %d, trace %q", r.code, r.stderr)
	}
	b, err := os.ReadFile(jsonOut)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"action":"signal","signal":"SIGRT_3"`, `"event":"signal"`, `"signal":"SIGRT_3"`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("JSON lacks %s:\n%s", w, b)
		}
	}
}

// A delayed call whose process exits before the answer: the error, the
// return value or the signal never reached the program, so -c counts no
// error for it and the JSON shows only the delay.
func TestUnfinishedCallIsNoError(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	bin := buildTool(t, dir, "../../testdata/load/quitter.c", "-pthread")
	target := filepath.Join(dir, "target")
	trace, jsonFile := filepath.Join(dir, "trace"), filepath.Join(dir, "trace.json")
	scenario := slowOpens(t, dir, target, "error: EIO", "signal: SIGTERM", "delay: 2s")
	r := syscage(t, 20*time.Second, "run", "-C", "-o", trace, "--json-output", jsonFile, "--scenario", scenario,
		"-e", "trace=openat", "--", bin, "4", "200000", target)
	text := readFile(t, trace)
	if r.code != 3 || countMatching(text, fmt.Sprintf(`openat(AT_FDCWD, %q, O_RDONLY) = ? (DELAYED)`, target)) != 4 {
		t.Fatalf("exit %d, want 3 and 4 unfinished opens:\n%s", r.code, text)
	}
	for _, l := range traceLines(text) {
		if f := strings.Fields(l); len(f) > 0 && f[len(f)-1] == "openat" && !strings.Contains(l, "(") {
			// % time, seconds, usecs/call, calls, [errors], syscall; the
			// library opens before main are not in error either.
			if len(f) != 5 {
				t.Errorf("-c counts errors for calls that never returned: %q", l)
			}
		}
	}
	n := 0
	for _, l := range traceLines(readFile(t, jsonFile)) {
		if strings.Contains(l, `"result":"? (DELAYED)"`) {
			n++
			if !strings.Contains(l, `"action":"delay"`) || strings.Contains(l, `"errno"`) || strings.Contains(l, `"signal"`) {
				t.Errorf("JSON of an unfinished call: %s", l)
			}
		}
	}
	if n != 4 {
		t.Errorf("%d unfinished calls in JSON, want 4", n)
	}
}

// slowOpens writes a scenario into dir whose one rule, "slow", matches
// openat of target and does what the actions say ("error: EIO",
// "delay: 1ms", ...), and returns its path.
func slowOpens(t *testing.T, dir, target string, actions ...string) string {
	t.Helper()
	body := "name: slow-open\nrules:\n  - name: slow\n    syscalls: [openat]\n    path: \"" + target + "\"\n"
	for _, a := range actions {
		body += "    " + a + "\n"
	}
	scenario := filepath.Join(dir, "slow.yaml")
	if err := os.WriteFile(scenario, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return scenario
}
