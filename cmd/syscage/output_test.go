package main

// strace's output options: timestamps, durations, -c, -qq, -P, status,
// -ff, and JSON Lines.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syscage/syscage/supervisor"
)

var jsonTimeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$`)

func TestOutputOptions(t *testing.T) {
	requireUserNotif(t)
	for _, tc := range []struct {
		name  string
		flags []string
		line  string // a regexp one line of the trace must match
	}{
		{"-t", []string{"-t"}, `^\d\d:\d\d:\d\d write\(1, "hi\\n", 3\) += \?$`},
		{"-tt", []string{"-tt"}, `^\d\d:\d\d:\d\d\.\d{6} write\(1, "hi\\n", 3\) += \?$`},
		{"-ttt", []string{"-ttt"}, `^1\d{9}\.\d{6} write\(1, "hi\\n", 3\) += \?$`},
		{"-r", []string{"-r"}, `^ +\d+\.\d{6} write\(1, "hi\\n", 3\) += \?$`},
		{"-t -r", []string{"-t", "-r"}, `^\d\d:\d\d:\d\d \(\+ +\d+\.\d{6}\) write\(1, "hi\\n", 3\) += \?$`},
		{"-T", []string{"-T"}, `^write\(1, "hi\\n", 3\) += \? <\d+\.\d{6}>$`},
		{"-T with a delay", []string{"-T", "-e", "inject=write:delay_enter=200000"}, `^write\(1, "hi\\n", 3\) += \? \(DELAYED\) <0\.[2-9]\d{5}>$`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := syscage(t, 20*time.Second, append(append([]string{"run", "-e", "trace=write"}, tc.flags...), "--", "/bin/echo", "hi")...)
			if r.code != 0 || r.stdout != "hi\n" {
				t.Fatalf("exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
			}
			if !regexp.MustCompile(`(?m)` + tc.line).MatchString(r.stderr) {
				t.Errorf("no line matching %s in:\n%s", tc.line, r.stderr)
			}
		})
	}
}

func TestSummaryTable(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "-c", "-e", "inject=openat:error=ENOENT:when=1", "--", "/bin/cat", "/etc/hostname")
	lines := traceLines(r.stderr)
	if len(lines) < 5 || lines[0] != "% time     seconds  usecs/call     calls    errors syscall" {
		t.Fatalf("no strace -c table:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr, "= ?") {
		t.Errorf("-c printed the trace:\n%s", r.stderr)
	}
	// The openat row counts the one injected error; total is last.
	if !regexp.MustCompile(`(?m)^ *\d+\.\d\d +\d+\.\d{6} +\d+ +\d+ +1 openat$`).MatchString(r.stderr) {
		t.Errorf("no openat row with 1 error:\n%s", r.stderr)
	}
	if !regexp.MustCompile(`^100\.00 +\d+\.\d{6} +\d+ +\d+ +1 total$`).MatchString(lines[len(lines)-1]) {
		t.Errorf("last line %q is not the total", lines[len(lines)-1])
	}
	// Nothing counted: no table at all, as strace -c prints none.
	r = syscage(t, 20*time.Second, "run", "-c", "-e", "trace=getppid", "--", "/bin/true")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("-c with nothing counted: exit %d, stderr %q", r.code, r.stderr)
	}
	// -C: the trace, then the table.
	r = syscage(t, 20*time.Second, "run", "-C", "-e", "trace=openat", "--", "/bin/cat", "/etc/hostname")
	if !strings.Contains(r.stderr, `openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = ?`) || !strings.Contains(r.stderr, "% time") {
		t.Errorf("-C: want the trace and the table:\n%s", r.stderr)
	}
}

func TestQuietAndFilters(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "-qq", "-e", "trace=exit_group", "--", "/bin/true")
	if r.stderr != "exit_group(0)                           = ?\n" {
		t.Errorf("-qq: %q", r.stderr)
	}
	// -P keeps the calls on the path and on fds that refer to it; -y
	// shows which file each fd is.
	r = syscage(t, 20*time.Second, "run", "-y", "-P", "/etc/hostname", "--", "/bin/cat", "/etc/hostname")
	for _, l := range traceLines(r.stderr) {
		if !strings.Contains(l, "/etc/hostname") && !strings.HasPrefix(l, "+++") {
			t.Errorf("-P /etc/hostname printed %q", l)
		}
	}
	for _, want := range []string{
		`openat(AT_FDCWD</`, `, "/etc/hostname", O_RDONLY) = ?`,
		`newfstatat(3</etc/hostname>, "", 0x`, `read(3</etc/hostname>, 0x`, `close(3</etc/hostname>)`,
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-y -P: no %q in:\n%s", want, r.stderr)
		}
	}
	// -P resolves its path as strace does (realpath): a relative name,
	// "." and a symlink all match the calls on the file behind them,
	// through its fd too.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f.txt"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("f.txt", filepath.Join(dir, "lnk")); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(dir, "f.txt")
	if p, err := filepath.EvalSymlinks(real); err == nil {
		real = p // TMPDIR may itself be a symlink
	}
	for _, p := range []string{"f.txt", "./f.txt", "lnk", dir + "/./f.txt"} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(ctx, syscageBin, "run", "-P", p, "--", "/bin/cat", "f.txt")
		cmd.Dir = dir
		var errb strings.Builder
		cmd.Stderr = &errb
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("-P %s: %v\n%s", p, err, errb.String())
		}
		want := fmt.Sprintf("syscage: Requested path \"%s\" resolved into \"%s\"\n", p, real)
		if !strings.HasPrefix(errb.String(), want) {
			t.Errorf("-P %s: want first %q, got:\n%s", p, want, errb.String())
		}
		for _, w := range []string{`openat(AT_FDCWD, "f.txt", O_RDONLY)`, "newfstatat(3, ", "read(3, ", "close(3)"} {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("-P %s: no %q in:\n%s", p, w, errb.String())
			}
		}
	}
	// A call that names two files touches both (a rename's or a link's
	// new name), and a symlink's content is no file it touches (strace's
	// pathtrace).
	two := t.TempDir()
	if p, err := filepath.EvalSymlinks(two); err == nil {
		two = p
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	cmd := exec.CommandContext(ctx, syscageBin, "run", "-qq", "-P", two+"/tgt", "-P", two+"/tgt2", "-P", two+"/tgt3",
		"-e", "trace=rename,renameat,renameat2,link,linkat,symlink,symlinkat", "--", "python3", "-c",
		"import os; open('a','w').close(); os.rename('a','tgt'); open('b','w').close(); os.link('b','tgt2'); os.symlink('b','tgt3'); os.symlink('tgt','c')")
	cmd.Dir = two
	var errb strings.Builder
	cmd.Stderr = &errb
	err := cmd.Run()
	cancel()
	var got []string
	for _, l := range traceLines(errb.String()) {
		got = append(got, regexp.MustCompile(`\) +=`).ReplaceAllString(l, ") ="))
	}
	if want := []string{`rename("a", "tgt") = ?`, `link("b", "tgt2") = ?`, `symlink("b", "tgt3") = ?`}; err != nil || !slices.Equal(got, want) {
		t.Errorf("-P on second paths: %v, got %q, want %q", err, got, want)
	}
	r = syscage(t, 20*time.Second, "run", "-e", "status=injected", "-e", "inject=openat:error=ENOENT:when=1", "--", "/bin/cat", "/etc/hostname")
	lines := traceLines(r.stderr)
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "(INJECTED)") {
		t.Errorf("status=injected: want the one injected call and the exit line:\n%s", r.stderr)
	}
}

func TestOutputSeparately(t *testing.T) {
	requireUserNotif(t)
	prefix := filepath.Join(t.TempDir(), "trace")
	r := syscage(t, 20*time.Second, "run", "-ff", "-o", prefix, "-e", "trace=execve", "--", "/bin/sh", "-c", "/bin/true; /bin/true")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	files, _ := filepath.Glob(prefix + ".*")
	if len(files) != 3 {
		t.Fatalf("want one file per process, got %v", files)
	}
	trues := 0
	for _, f := range files {
		text := readFile(t, f)
		if regexp.MustCompile(`(?m)^\d+ `).MatchString(text) {
			t.Errorf("%s: -ff files carry no pid prefix:\n%s", f, text)
		}
		if strings.HasPrefix(text, `execve("/bin/true", ["/bin/true"]`) {
			trues++
		}
	}
	if trues != 2 {
		t.Errorf("want two files starting with /bin/true's execve, got %d", trues)
	}
}

// With -ff a file per thread, more than RLIMIT_NOFILE lets syscage hold
// open at once: 300 children under a limit of 64. Every child's file is
// written whole, with its one openat line, and no write error is reported.
func TestOutputSeparatelyManyChildren(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	bin := buildTool(t, dir, "../../testdata/load/children.c")
	prefix, target := filepath.Join(dir, "t"), filepath.Join(dir, "target")
	// fds this process inherited reach syscage too, and its hand-off fd
	// goes above them: the limit leaves room for it.
	limit := max(64, supervisor.HandoffFD()+16)
	children := max(300, 2*limit)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The shell lowers the hard limit too, so that Go's start-up raise of
	// the soft one to the hard one does not undo it.
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", `ulimit -n "$1" && shift && exec "$0" "$@"`, syscageBin, strconv.Itoa(limit),
		"run", "-ff", "-e", "trace=openat", "-o", prefix, "--", bin, strconv.Itoa(children), target)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("timed out\n%s", stderr.String())
	}
	if err != nil || stderr.Len() != 0 {
		t.Errorf("exit %v, want 0 and nothing on stderr:\n%s", err, stderr.String())
	}
	files, _ := filepath.Glob(prefix + ".*")
	if len(files) != children+1 {
		t.Errorf("%d files, want one per child and the parent's: %d", len(files), children+1)
	}
	child := regexp.MustCompile(`^openat\(AT_FDCWD, "` + regexp.QuoteMeta(target) + `\.(\d+)", O_RDONLY\) += \?\n$`)
	seen := make(map[string]bool)
	parents := 0
	for _, f := range files {
		text := readFile(t, f)
		if strings.HasSuffix(text, "\n+++ exited with 0 +++\n") {
			parents++ // the loader's openat calls, and the exit line
			continue
		}
		m := child.FindStringSubmatch(text)
		if m == nil || seen[m[1]] {
			t.Errorf("%s: want one child's one openat line, got %q", f, text)
			continue
		}
		seen[m[1]] = true
	}
	if parents != 1 || len(seen) != children {
		t.Errorf("%d parent files and %d children's, want 1 and %d", parents, len(seen), children)
	}
}

func TestJSONLines(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "trace.jsonl")
	textFile := filepath.Join(dir, "trace.txt")
	// Text to -o and JSON to --json-output in the same run.
	r := syscage(t, 20*time.Second, "run", "-o", textFile, "--json-output", jsonFile,
		"-e", "trace=openat,connect", "-e", "inject=openat:error=ENOENT:when=1", "--",
		"/usr/bin/python3", "-c", "import socket\ntry: socket.create_connection(('127.0.0.1', 9))\nexcept OSError: pass")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	text := readFile(t, textFile)
	var calls, injected, connects int
	for i, line := range traceLines(readFile(t, jsonFile)) {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		// One width: all nine digits, trailing zeros too (docs/json.md).
		if tm, _ := obj["time"].(string); !jsonTimeRE.MatchString(tm) {
			t.Errorf("line %d: time %q, want 2006-01-02T15:04:05.123456789Z", i+1, tm)
		}
		switch obj["event"] {
		case "call":
			calls++
			for _, k := range []string{"time", "pid", "tid", "arch", "syscall", "nr", "text", "result", "action", "duration_ns"} {
				if _, ok := obj[k]; !ok {
					t.Errorf("line %d lacks %q: %s", i+1, k, line)
				}
			}
			if _, err := time.Parse(time.RFC3339Nano, obj["time"].(string)); err != nil {
				t.Errorf("line %d: time: %v", i+1, err)
			}
			if !strings.Contains(text, obj["text"].(string)) {
				t.Errorf("JSON text %q is not in the text trace", obj["text"])
			}
			if obj["action"] == "error" {
				injected++
				if obj["errno"] != "ENOENT" || obj["scenario"] != "-e inject" || obj["rule"] == nil {
					t.Errorf("injected call: %s", line)
				}
			}
			if obj["syscall"] == "connect" {
				connects++
			}
		case "exit":
			if obj["exit_status"] != float64(0) {
				t.Errorf("exit: %s", line)
			}
		default:
			t.Errorf("unknown event: %s", line)
		}
	}
	if calls == 0 || injected != 1 || connects != 1 {
		t.Errorf("calls %d, injected %d, connects %d", calls, injected, connects)
	}
	// --format json writes the objects where the text would go.
	r = syscage(t, 20*time.Second, "run", "--format", "json", "-e", "trace=exit_group", "--", "/bin/true")
	lines := traceLines(r.stderr)
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"event":"call"`) || !strings.HasPrefix(lines[1], `{"event":"exit"`) {
		t.Errorf("--format json: %q", r.stderr)
	}
	_ = os.Remove(jsonFile)
}

func TestDecodeFDsAndHex(t *testing.T) {
	requireUserNotif(t)
	script := `import socket
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
c = socket.create_connection(srv.getsockname()); c.send(b"x")`
	r := syscage(t, 20*time.Second, "run", "-yy", "-e", "trace=sendto", "--", "/usr/bin/python3", "-c", script)
	want := `(?m)^sendto\(\d+<TCP:\[127\.0\.0\.1:\d+->127\.0\.0\.1:\d+\]>, "x", 1, 0, NULL, 0\) += \?$`
	if r.code != 0 || !regexp.MustCompile(want).MatchString(r.stderr) {
		t.Errorf("-yy: exit %d, no line matching %s in:\n%s", r.code, want, r.stderr)
	}
	// A socketpair: each end names the other as its peer (sock_diag).
	script = `import socket
a, b = socket.socketpair(); a.send(b"x"); b.send(b"y")`
	r = syscage(t, 20*time.Second, "run", "-yy", "-e", "trace=sendto", "--", "/usr/bin/python3", "-c", script)
	m := regexp.MustCompile(`(?m)^sendto\(\d+<UNIX-STREAM:\[(\d+)->(\d+)\]>, "x", 1, 0, NULL, 0\) += \?\n` +
		`sendto\(\d+<UNIX-STREAM:\[(\d+)->(\d+)\]>, "y", 1, 0, NULL, 0\) += \?$`).FindStringSubmatch(r.stderr)
	if r.code != 0 || m == nil || m[1] != m[4] || m[2] != m[3] || m[1] == m[2] {
		t.Errorf("-yy socketpair: exit %d, want each end naming the other as its peer in:\n%s", r.code, r.stderr)
	}
	// An abstract name is printed up to its first NUL after the leading
	// one, as strace 6.1 prints it.
	script = `import socket
s = socket.socket(socket.AF_UNIX); s.bind(b"\0abs\0x\n"); s.getsockname()`
	r = syscage(t, 20*time.Second, "run", "-yy", "-e", "trace=getsockname", "--", "/usr/bin/python3", "-c", script)
	if want := regexp.MustCompile(`(?m)^getsockname\(3<UNIX-STREAM:\[\d+,@"abs"\]>, `); r.code != 0 || !want.MatchString(r.stderr) {
		t.Errorf("-yy abstract name: exit %d, no line matching %s in:\n%s", r.code, want, r.stderr)
	}
	// -y -xx escapes a pipe's text too, as strace does.
	r = syscage(t, 20*time.Second, "run", "-y", "-xx", "-e", "trace=close", "--", "/usr/bin/python3", "-c", "import os; r, w = os.pipe(); os.close(r)")
	if want := regexp.MustCompile(`(?m)^(\[pid +\d+\] )?close\(3<\\x70\\x69\\x70\\x65\\x3a\\x5b(\\x3\d)+\\x5d>\) += \?$`); r.code != 0 || !want.MatchString(r.stderr) {
		t.Errorf("-y -xx pipe: exit %d, no line matching %s in:\n%s", r.code, want, r.stderr)
	}
	r = syscage(t, 20*time.Second, "run", "-x", "-e", "trace=write", "--", "/usr/bin/printf", `ab\001c`)
	if !strings.Contains(r.stderr, `write(1, "\x61\x62\x01\x63", 4)`) {
		t.Errorf("-x: %q", r.stderr)
	}
	r = syscage(t, 20*time.Second, "run", "-xx", "-e", "trace=write", "--", "/usr/bin/printf", "ab")
	if !strings.Contains(r.stderr, `write(1, "\x61\x62", 2)`) {
		t.Errorf("-xx: %q", r.stderr)
	}
}

// The JSON args, joined, give the call's text.
func TestJSONArgsMatchText(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "--format", "json", "--", "/bin/cat", "/etc/hostname")
	n := 0
	for _, line := range traceLines(r.stderr) {
		var c struct {
			Event, Syscall, Text string
			Args                 []struct {
				Raw  uint64
				Text string
			}
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if c.Event != "call" {
			continue
		}
		n++
		var texts []string
		for _, a := range c.Args {
			texts = append(texts, a.Text)
		}
		if got := c.Syscall + "(" + strings.Join(texts, ", ") + ")"; got != c.Text {
			t.Errorf("args give %q, text is %q", got, c.Text)
		}
	}
	if n < 10 {
		t.Errorf("only %d calls", n)
	}
}

// kill: the process dies before the call runs.
func TestKillAction(t *testing.T) {
	requireUserNotif(t)
	dir := t.TempDir()
	sc := filepath.Join(dir, "kill.yaml")
	if err := os.WriteFile(sc, []byte("name: kill\nrules:\n  - name: die\n    syscalls: [openat]\n    path: /etc/hostname\n    kill: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := syscage(t, 20*time.Second, "run", "-e", "trace=openat", "--scenario", sc, "--", "/bin/cat", "/etc/hostname")
	if r.code != 137 || r.stdout != "" {
		t.Errorf("exit %d, stdout %q; want 137 and nothing", r.code, r.stdout)
	}
	if !containsLine(r.stderr, `openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = ? (INJECTED)`) || !strings.HasSuffix(r.stderr, "+++ killed by SIGKILL +++\n") {
		t.Errorf("trace:\n%s", r.stderr)
	}
}

// A report that cannot be written is said on stderr; the command's status
// still comes back, and a run that otherwise succeeded fails (exit 1).
func TestReportWriteFailure(t *testing.T) {
	requireUserNotif(t)
	for _, tc := range []struct {
		status, want int
	}{{42, 42}, {0, 1}} {
		r := syscage(t, 20*time.Second, "run", "--report", "/dev/full", "-e", "trace=none", "--", "/bin/sh", "-c", fmt.Sprintf("exit %d", tc.status))
		if r.code != tc.want || !strings.Contains(r.stderr, "syscage: write report: ") {
			t.Errorf("command status %d: exit %d, stderr %q; want %d and the write error", tc.status, r.code, r.stderr, tc.want)
		}
	}
}

// A call without arguments has "args": [] in JSON (docs/json.md), not null.
func TestJSONNoArgs(t *testing.T) {
	requireUserNotif(t)
	r := syscage(t, 20*time.Second, "run", "--format", "json", "-e", "trace=getppid", "--", "/usr/bin/python3", "-c", "import os; os.getppid()")
	if r.code != 0 || !strings.Contains(r.stderr, `"syscall":"getppid","nr":110,"args":[],"text":"getppid()"`) {
		t.Errorf("exit %d, want getppid with args []:\n%s", r.code, r.stderr)
	}
}
