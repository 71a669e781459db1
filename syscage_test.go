package syscage

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/syscage/syscage/supervisor"
)

func requireUserNotif(t *testing.T) {
	t.Helper()
	if err := supervisor.Probe(); err != nil {
		t.Skipf("kernel lacks seccomp user notification: %v", err)
	}
}

func TestRunTraceAndInject(t *testing.T) {
	requireUserNotif(t)
	var trace, stdout strings.Builder
	res, err := Run(context.Background(), Options{
		Command:     []string{"/bin/sh", "-c", "cat /etc/hostname >/dev/null && echo read || echo failed"},
		Inject:      []string{"inject=openat:error=EACCES:when=3"},
		Trace:       "openat",
		TraceOutput: &trace,
		Stdout:      &stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Errorf("exit code %d", res.ExitCode)
	}
	if !strings.Contains(trace.String(), "(INJECTED)") {
		t.Errorf("no injected line in:\n%s", trace.String())
	}
	if len(res.Report.Rules) != 1 || res.Report.Rules[0].Fired != 1 {
		t.Errorf("report: %+v", res.Report.Rules)
	}
	if res.Report.ExitStatus == nil || *res.Report.ExitStatus != 0 {
		t.Errorf("report exit status %v", res.Report.ExitStatus)
	}
}

func TestRunCancel(t *testing.T) {
	requireUserNotif(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := Run(ctx, Options{Command: []string{"sleep", "30"}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
	if res == nil || res.ExitCode != 128+9 {
		t.Errorf("result %+v, want killed by SIGKILL", res)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancel took %v", d)
	}
}

// Runs leave no fd and no goroutine behind.
func TestRunLeavesNothing(t *testing.T) {
	requireUserNotif(t)
	run := func() {
		var out strings.Builder
		if _, err := Run(context.Background(), Options{Command: []string{"echo", "hi"}, Stdout: &out, Trace: "all", TraceOutput: &out}); err != nil {
			t.Fatal(err)
		}
	}
	run()
	fds, _ := os.ReadDir("/proc/self/fd")
	g := runtime.NumGoroutine()
	for i := 0; i < 3; i++ {
		run()
	}
	after, _ := os.ReadDir("/proc/self/fd")
	if len(after) != len(fds) {
		t.Errorf("fds: %d before, %d after", len(fds), len(after))
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > g && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > g {
		t.Errorf("goroutines: %d before, %d after", g, got)
	}
}
