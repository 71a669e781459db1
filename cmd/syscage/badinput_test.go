package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Each bad input: a clear one-line message, exit status 2, nothing launched
// and nothing written (the -o and --report files are not created).
func TestBadInputTable(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "launched")
	trace := filepath.Join(dir, "trace")
	report := filepath.Join(dir, "report.json")
	scenario := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	rule := func(extra string) string {
		return "name: s\nrules:\n  - name: r\n    syscalls: [openat]\n" + extra
	}
	for _, tc := range []struct {
		name string
		args []string // before "--"
		msg  string   // the message must contain it
	}{
		{"unknown flag", []string{"--bogus"}, "unknown flag: --bogus"},
		{"misspelled short flag", []string{"-z"}, "unknown shorthand flag: 'z'"},
		{"unknown syscall", []string{"-e", "trace=opn"}, "invalid system call 'opn'"},
		{"unknown class", []string{"-e", "trace=%flie"}, "invalid system call '%flie'"},
		{"empty trace expression", []string{"-e", "trace="}, "invalid system call ''"},
		{"unknown qualifier", []string{"-e", "bogus=1"}, "invalid -e qualifier 'bogus'"},
		{"unknown errno in -e inject", []string{"-e", "inject=openat:error=EFOO"}, "invalid inject argument"},
		{"unknown signal in -e inject", []string{"-e", "inject=openat:signal=SIGFOO"}, "invalid inject argument"},
		{"bad -s", []string{"-s", "99999999999"}, "invalid -s argument"},
		{"missing scenario", []string{"--scenario", filepath.Join(dir, "nope.yaml")}, "nope.yaml"},
		{"unreadable scenario (a directory)", []string{"--scenario", dir}, dir},
		{"not YAML", []string{"--scenario", scenario("notyaml.yaml", "rules: [\n")}, "notyaml.yaml:"},
		{"wrong type", []string{"--scenario", scenario("type.yaml", "name: s\nrules: 3\n")}, "type.yaml:2:"},
		{"duplicate rule", []string{"--scenario", scenario("dup.yaml", rule("    error: EIO\n  - name: r\n    syscalls: [close]\n    error: EIO\n"))}, "dup.yaml:6:5:"},
		{"unknown key", []string{"--scenario", scenario("key.yaml", rule("    error: EIO\n    eror: EIO\n"))}, "key.yaml:6:"},
		{"unknown errno", []string{"--scenario", scenario("errno.yaml", rule("    error: EFOO\n"))}, "errno.yaml:5:"},
		{"unknown signal", []string{"--scenario", scenario("sig.yaml", rule("    signal: SIGFOO\n"))}, "sig.yaml:5:"},
		{"bad glob", []string{"--scenario", scenario("glob.yaml", rule("    path: \"/etc/[\"\n    error: EIO\n"))}, "glob.yaml:5:"},
		{"port out of range", []string{"--scenario", scenario("port.yaml", "name: s\nrules:\n  - name: r\n    syscalls: [connect]\n    port: 70000\n    error: EIO\n")}, "port.yaml:5:"},
		{"bad CIDR prefix", []string{"--scenario", scenario("cidr.yaml", "name: s\nrules:\n  - name: r\n    syscalls: [connect]\n    address: 10.0.0.0/33\n    error: EIO\n")}, "cidr.yaml:5:"},
		{"output cannot be created", []string{"-o", filepath.Join(dir, "no", "such", "dir", "trace")}, "Can't fopen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"run"}, tc.args...)
			if !contains(tc.args, "-o") {
				args = append(args, "-o", trace)
			}
			args = append(args, "--report", report, "--", "touch", marker)
			r := syscage(t, 10*time.Second, args...)
			if r.code != 2 {
				t.Errorf("exit status %d, want 2\n%s", r.code, r.stderr)
			}
			msg := strings.TrimSpace(r.stderr)
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q does not mention %q", msg, tc.msg)
			}
			if strings.Count(msg, "\n") > 0 {
				t.Errorf("message is not one line: %q", msg)
			}
			for _, f := range []string{marker, trace, report} {
				if _, err := os.Stat(f); err == nil {
					os.Remove(f)
					t.Errorf("%s exists: something was launched or written", filepath.Base(f))
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A command that does not exist gets strace's message and exit status 1.
func TestCommandNotFound(t *testing.T) {
	for _, cmd := range []string{"/nonexistent/prog", "no-such-program-anywhere"} {
		r := syscage(t, 10*time.Second, "run", "--", cmd)
		want := "syscage: Can't stat '" + cmd + "': No such file or directory\n"
		if r.code != 1 || r.stderr != want {
			t.Errorf("%s: exit %d, stderr %q; want 1 and %q", cmd, r.code, r.stderr, want)
		}
	}
}
