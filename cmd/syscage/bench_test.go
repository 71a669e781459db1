package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The bench's C reference supervisor (testdata/bench/c/refsup.c) is the
// floor make bench compares syscage with: it must really trace every call
// of the threaded loop, with one worker and with two, and hand back the
// program's exit status.
func TestBenchReferenceSupervisor(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	ref := buildTool(t, dir, "../../testdata/bench/c/refsup.c", "-pthread")
	loop := buildTool(t, dir, "../../testdata/bench/c/openat_mt.c", "-pthread")
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, ref, args...).Output()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return string(out), 0
		case errors.As(err, &ee) && ctx.Err() == nil:
			return string(out), ee.ExitCode()
		}
		t.Fatalf("refsup %v: %v", args, err)
		return "", 0
	}
	for _, workers := range []string{"1", "2"} {
		trace := filepath.Join(dir, "trace"+workers)
		out, code := run("-w", workers, "-o", trace, "--", loop, "4", "400", target)
		if code != 0 || !strings.Contains(out, "calls=400 failed=0") {
			t.Fatalf("-w %s: exit %d, stdout %q", workers, code, out)
		}
		b, err := os.ReadFile(trace)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf(`openat(AT_FDCWD, %q, 0)`, target)
		if n := strings.Count(string(b), want); n != 400 {
			t.Errorf("-w %s: %d lines with %s, want 400; the trace begins:\n%.500s", workers, n, want, b)
		}
	}
	if _, code := run("-o", filepath.Join(dir, "status"), "--", "sh", "-c", "exit 7"); code != 7 {
		t.Errorf("exit status %d, want the program's 7", code)
	}
}
