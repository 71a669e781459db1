package supervisor

import (
	"bytes"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/policy"
)

func requireUserNotif(t *testing.T) {
	t.Helper()
	if err := Probe(); err != nil {
		t.Skipf("kernel lacks seccomp user notification: %v", err)
	}
}

func countFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

func compile(t *testing.T, expr string) []unix.SockFilter {
	t.Helper()
	ts, err := policy.ParseTrace(expr)
	if err != nil {
		t.Fatal(err)
	}
	spec := ts.NotifySpec(nil)
	spec.ExemptFD, spec.ExemptFlags = HandoffFD(), HandoffFlags
	prog, err := policy.CompileFilter(spec)
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// Run in-process (as the Go API will) leaves no fd, worker or goroutine
// behind, and its trace starts at the command's execve.
func TestRunInProcessLeavesNothing(t *testing.T) {
	requireUserNotif(t)
	prog := compile(t, "execve,exit_group")
	var fds, goroutines int
	for i := 0; i < 4; i++ {
		if i == 1 {
			// After the first run: os/signal's watcher goroutine stays.
			fds, goroutines = countFDs(t), runtime.NumGoroutine()
		}
		var buf bytes.Buffer
		out := NewOutput(&buf, OutputOptions{})
		res, err := Run(Config{
			Path:   "/bin/sh",
			Argv:   []string{"sh", "-c", "exit 7"},
			Env:    []string{"PATH=/usr/bin:/bin"},
			Filter: prog,
			Print:  func(string) bool { return true },
			Sink:   out,
		})
		if err != nil {
			t.Fatal(err)
		}
		if res.ExitCode() != 7 {
			t.Errorf("exit code %d, want 7", res.ExitCode())
		}
		out.Flush()
		want := "execve(\"/bin/sh\", [\"sh\", \"-c\", \"exit 7\"], "
		if !strings.HasPrefix(buf.String(), want) {
			t.Errorf("trace starts %q, want %q", buf.String(), want)
		}
		if !strings.HasSuffix(buf.String(), "exit_group(7)                           = ?\n+++ exited with 7 +++\n") {
			t.Errorf("trace ends:\n%s", buf.String())
		}
	}
	if got := countFDs(t); got != fds {
		t.Errorf("fds: %d before, %d after", fds, got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > goroutines {
		t.Errorf("goroutines: %d before, %d after", goroutines, got)
	}
}
