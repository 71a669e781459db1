package main

// The differential test: the same commands under strace and under syscage,
// comparing the call text before " = " for calls whose arguments are all
// inputs (their text cannot depend on the call's result).

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// diffTraceSet is the set compared: calls decoded on entry whose printed
// arguments are all inputs.
const diffTraceSet = "trace=execve,openat,open,access,faccessat,faccessat2,close,write,unlink,unlinkat,mkdir,mkdirat,rename,renameat,renameat2,chdir,socket,connect,bind,exit_group,kill"

var (
	// strace -f -o prefixes pids; syscage -f -o too.
	pidPrefix = regexp.MustCompile(`^\d+ +`)
	// A tracee address (stack, heap, mmap) differs from run to run.
	address = regexp.MustCompile(`0x[0-9a-f]{5,}`)
	// The call text ends at its last ")" before the result column.
	callText = regexp.MustCompile(`^(.*\)) +=( .*)?$`)
	// The second half of a call strace saw interrupted by another process.
	resumed = regexp.MustCompile(`^<\.\.\. \w+ resumed>(.*)$`)
)

// callTexts reads a trace written with -f -o and returns the sorted call
// texts, addresses folded to 0xADDR. strace's "<unfinished ...>" and
// "<... NAME resumed>" halves are joined into one call.
func callTexts(t *testing.T, file string) []string {
	t.Helper()
	var out []string
	pending := map[string]string{} // pid → unfinished first half
	for _, line := range strings.Split(readFile(t, file), "\n") {
		pid := strings.TrimSpace(pidPrefix.FindString(line))
		line = pidPrefix.ReplaceAllString(line, "")
		if line == "" || strings.HasPrefix(line, "+++") || strings.HasPrefix(line, "---") {
			continue
		}
		if head, ok := strings.CutSuffix(line, " <unfinished ...>"); ok {
			pending[pid] = head
			continue
		}
		if m := resumed.FindStringSubmatch(line); m != nil {
			line = pending[pid] + m[1]
			delete(pending, pid)
		}
		m := callText.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s: unparsed line %q", file, line)
			continue
		}
		out = append(out, address.ReplaceAllString(m[1], "0xADDR"))
	}
	slices.Sort(out)
	return out
}

func TestDifferentialAgainstStrace(t *testing.T) {
	requireUserNotif(t)
	straceBin, err := exec.LookPath("strace")
	if err != nil {
		t.Fatalf("strace is needed for this test (make deps installs it): %v", err)
	}
	dir := t.TempDir()
	commands := [][]string{
		{"/bin/true"},
		{"cat", "/etc/hostname"},
		{"/bin/echo", "hello, world\twith\ttabs and a long string that is cut at thirty-two bytes"},
		{"ls", "/"},
		{"/bin/sh", "-c", "cd / && echo hi >/dev/null; exit 0"},
		{"/bin/sh", "-c", "mkdir " + dir + "/d && mv " + dir + "/d " + dir + "/e && rmdir " + dir + "/e"},
		{"/bin/sh", "-c", "touch " + dir + "/f && rm " + dir + "/f"},
		{"python3", "-c", "import socket; s=socket.socket(socket.AF_UNIX); s.bind('\\0syscage-diff'); s.close()"},
		{"python3", "-c", "import socket\ntry: socket.create_connection(('127.0.0.1', 9))\nexcept OSError: pass"},
		{"head", "-c", "10", "/etc/passwd"},
	}
	total, same := 0, 0
	for i, cmd := range commands {
		sfile := filepath.Join(dir, "strace."+string(rune('a'+i)))
		cfile := filepath.Join(dir, "syscage."+string(rune('a'+i)))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		sc := exec.CommandContext(ctx, straceBin, append([]string{"-f", "-qq", "-o", sfile, "-e", diffTraceSet, "--"}, cmd...)...)
		sc.Stdout, sc.Stderr = nil, nil
		_ = sc.Run()
		cancel()
		r := syscage(t, 30*time.Second, append([]string{"run", "-f", "-o", cfile, "-e", diffTraceSet, "--"}, cmd...)...)
		_ = r
		want, got := callTexts(t, sfile), callTexts(t, cfile)
		if len(want) == 0 {
			t.Fatalf("%v: strace printed no calls", cmd)
		}
		total += len(want)
		// Multiset comparison: processes interleave differently run to run.
		w, g := 0, 0
		var missing, extra []string
		for w < len(want) || g < len(got) {
			switch {
			case g == len(got) || (w < len(want) && want[w] < got[g]):
				missing = append(missing, want[w])
				w++
			case w == len(want) || got[g] < want[w]:
				extra = append(extra, got[g])
				g++
			default:
				same++
				w++
				g++
			}
		}
		for _, m := range missing {
			t.Errorf("%v: strace printed, syscage did not:\n\t%s", cmd, m)
		}
		for _, e := range extra {
			t.Errorf("%v: syscage printed, strace did not:\n\t%s", cmd, e)
		}
	}
	t.Logf("%d of %d strace call texts identical in syscage's trace", same, total)
}
