package main

import (
	"strings"
	"testing"
	"time"
)

// strace's long forms of the counted output options set the same levels
// as the short ones; what syscage does not print is refused.
func TestStraceLongOptionValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want runOptions
	}{
		{[]string{"-yy"}, runOptions{decodeFDs: 2}},
		{[]string{"--decode-fds"}, runOptions{decodeFDs: 1}},
		{[]string{"--decode-fds=path"}, runOptions{decodeFDs: 1}},
		{[]string{"--decode-fds=path,socket"}, runOptions{decodeFDs: 2}},
		{[]string{"--decode-fds=all"}, runOptions{decodeFDs: 2}},
		{[]string{"-y", "--decode-fds=none"}, runOptions{}},
		{[]string{"-xx"}, runOptions{hex: 2}},
		{[]string{"--strings-in-hex"}, runOptions{hex: 2}}, // strace: bare is all
		{[]string{"-xxx"}, runOptions{hex: 2}},
		{[]string{"--strings-in-hex=non-ascii-chars"}, runOptions{hex: 3}},
		{[]string{"--strings-in-hex=non-ascii"}, runOptions{hex: 1}},
		{[]string{"--strings-in-hex=all"}, runOptions{hex: 2}},
		{[]string{"-q"}, runOptions{quiet: quietAttach}},
		{[]string{"-qq"}, runOptions{quiet: quietAttach | quietExit}},
		{[]string{"-qqq"}, runOptions{quiet: quietAll}},
		{[]string{"--quiet=attach,personality,exit"}, runOptions{quiet: quietAttach | quietExit}},
		{[]string{"--quiet=path-resolution"}, runOptions{quiet: quietPath}},
		{[]string{"--quiet=all"}, runOptions{quiet: quietAll}},
		{[]string{"-ttt"}, runOptions{timestamps: 3}},
		{[]string{"--absolute-timestamps"}, runOptions{timestamps: 1}},
		{[]string{"--absolute-timestamps=time"}, runOptions{timestamps: 1}},
		{[]string{"--absolute-timestamps=us"}, runOptions{timestamps: 2}},
		{[]string{"--absolute-timestamps=format:time,precision:us"}, runOptions{timestamps: 2}},
		{[]string{"--absolute-timestamps=unix,us"}, runOptions{timestamps: 3}},
		{[]string{"--absolute-timestamps=format:unix,precision:us"}, runOptions{timestamps: 3}},
		{[]string{"-r", "-T"}, runOptions{relative: true, durations: true}},
		{[]string{"--relative-timestamps=us", "--syscall-times=us"}, runOptions{relative: true, durations: true}},
		// -e quiet= and -e decode-fds= are the same options: the last wins.
		{[]string{"-e", "decode-fds=none", "--decode-fds=path"}, runOptions{decodeFDs: 1}},
		{[]string{"--decode-fds=path", "-e", "decode-fds=none"}, runOptions{}},
		{[]string{"-e", "decode-fds=path", "-yy"}, runOptions{decodeFDs: 2}},
		{[]string{"-e", "quiet=none", "--quiet=exit"}, runOptions{quiet: quietExit}},
		{[]string{"-qq", "-e", "quiet=none"}, runOptions{}},
	} {
		var opt runOptions
		fs := newRunFlags(&opt)
		if err := fs.Parse(append(tc.args, "--", "true")); err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		got := runOptions{decodeFDs: opt.decodeFDs, hex: opt.hex, quiet: opt.quiet, timestamps: opt.timestamps,
			relative: opt.relative, durations: opt.durations}
		if got.decodeFDs != tc.want.decodeFDs || got.hex != tc.want.hex || got.quiet != tc.want.quiet ||
			got.timestamps != tc.want.timestamps || got.relative != tc.want.relative || got.durations != tc.want.durations {
			t.Errorf("%v: got -y %d -x %d -q %#b -t %d -r %v -T %v", tc.args, got.decodeFDs, got.hex, got.quiet,
				got.timestamps, got.relative, got.durations)
		}
	}
	for _, args := range [][]string{
		{"--decode-fds=dev"}, {"--decode-fds=pidfd"}, {"--decode-fds=paths"},
		{"--strings-in-hex=hex"}, {"--quiet=loud"},
		{"--absolute-timestamps=unix"}, {"--absolute-timestamps=precision:ms"}, {"--absolute-timestamps=format:iso"},
		{"--syscall-times=ns"}, {"--relative-timestamps=ms"},
	} {
		var opt runOptions
		if err := newRunFlags(&opt).Parse(append(args, "--", "true")); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
}

// The long forms in a real run: the exit line gone with --quiet=exit, fds
// with their paths with --decode-fds=path, and -e quiet= and -e
// decode-fds= as strace takes them; a refused value exits 2.
func TestStraceLongOptionsRun(t *testing.T) {
	requireUserNotif(t)
	for _, args := range [][]string{
		{"--quiet=exit", "--decode-fds=path"},
		{"-e", "quiet=exit", "-e", "decode-fds=path"},
	} {
		r := syscage(t, 20*time.Second, append(append([]string{"run"}, args...), "-e", "trace=close", "--", "/bin/cat", "/etc/hostname")...)
		if r.code != 0 || strings.Contains(r.stderr, "+++ exited") || !strings.Contains(r.stderr, "close(3</etc/hostname>)") {
			t.Errorf("%v: exit %d, want close(3</etc/hostname>) and no exit line:\n%s", args, r.code, r.stderr)
		}
	}
	r := syscage(t, 20*time.Second, "run", "--decode-fds=dev", "--", "/bin/true")
	if r.code != 2 || !strings.Contains(r.stderr, "'dev' (want path, socket, all or none)") {
		t.Errorf("--decode-fds=dev: exit %d, %q", r.code, r.stderr)
	}
}
