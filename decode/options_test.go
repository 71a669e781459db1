package decode

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestHex checks Options.Hex against what strace 6.1 prints with -x, -xx
// and --strings-in-hex=non-ascii-chars for the same writes (run here:
// write(1, "ab\tc\n", 5), write(1, "ab\1c", 4), write(1, "\342\202\254x", 4)).
func TestHex(t *testing.T) {
	tests := []struct {
		data string
		hex  int
		want string
	}{
		{"ab\tc\n", 0, `write(1, "ab\tc\n", 5)`},
		{"ab\tc\n", 1, `write(1, "ab\tc\n", 5)`},
		{"ab\x01c", 1, `write(1, "\x61\x62\x01\x63", 4)`},
		{"\xe2\x82\xacx", 1, `write(1, "\xe2\x82\xac\x78", 4)`},
		{"ab\tc\n", 2, `write(1, "\x61\x62\x09\x63\x0a", 5)`},
		{"ab\x01c", 2, `write(1, "\x61\x62\x01\x63", 4)`},
		{"ab\tc\n", 3, `write(1, "ab\tc\n", 5)`},
		{"ab\x01c", 3, `write(1, "ab\x01c", 4)`},
		{"\xe2\x82\xacx", 3, `write(1, "\xe2\x82\xacx", 4)`},
		{"ab\x01c", 7, `write(1, "ab\1c", 4)`}, // unknown values act as 0
	}
	for _, tt := range tests {
		c := Call{Arch: x86_64, Nr: unix.SYS_WRITE, Args: [6]uint64{1, 0x7ffd2000, uint64(len(tt.data))}}
		got := Decode(c, fakeMem{0x7ffd2000: []byte(tt.data)}, Options{Hex: tt.hex}).Text
		if got != tt.want {
			t.Errorf("Hex %d, %q:\ngot  %s\nwant %s", tt.hex, tt.data, got, tt.want)
		}
	}
	// -x applies to paths too; a path that stops at its NUL is checked
	// only up to it.
	c := Call{Arch: x86_64, Nr: unix.SYS_OPENAT, Args: [6]uint64{uint64(0xffffff9c), 0x7ffd1000, unix.O_RDONLY}}
	m := fakeMem{0x7ffd1000: cstr("/tmp/\x7f")}
	if got, want := Decode(c, m, Options{Hex: 1}).Text, `openat(AT_FDCWD, "\x2f\x74\x6d\x70\x2f\x7f", O_RDONLY)`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	m = fakeMem{0x7ffd1000: cstr("/etc/passwd")}
	if got, want := Decode(c, m, Options{Hex: 1}).Text, `openat(AT_FDCWD, "/etc/passwd", O_RDONLY)`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestFD checks Options.FD: which arguments are fds and the <...> text.
func TestFD(t *testing.T) {
	var asked []int32
	fdFn := func(fd int32) (string, bool) {
		asked = append(asked, fd)
		switch fd {
		case 3:
			return "/etc/hostname", true
		case 5:
			return "TCP:[127.0.0.1:40000->127.0.0.1:5432]", true
		case 6:
			return "/tmp/x (deleted)", true
		case unix.AT_FDCWD:
			return "/home/u", true
		}
		return "", false
	}
	pollfds := make([]byte, 16)
	copy(pollfds, []byte{3, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0})
	ev := []byte{1, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0}
	tests := []struct {
		name string
		args [6]uint64
		mem  Memory
		want string
		fds  []int32
	}{
		{"read", [6]uint64{3, 0x7ffd2000, 10}, nil, `read(3</etc/hostname>, 0x7ffd2000, 10)`, []int32{3}},
		{"read", [6]uint64{4, 0x7ffd2000, 10}, nil, `read(4, 0x7ffd2000, 10)`, []int32{4}},
		{"close", [6]uint64{0xffffffff}, nil, `close(-1)`, nil},
		{"write", [6]uint64{6, 0x7ffd2000, 0}, nil, `write(6</tmp/x>(deleted), "", 0)`, []int32{6}},
		{"openat", [6]uint64{uint64(0xffffff9c), 0x7ffd1000, 0}, fakeMem{0x7ffd1000: cstr("x")}, `openat(AT_FDCWD</home/u>, "x", O_RDONLY)`, []int32{unix.AT_FDCWD}},
		{"openat", [6]uint64{3, 0x7ffd1000, 0}, fakeMem{0x7ffd1000: cstr("x")}, `openat(3</etc/hostname>, "x", O_RDONLY)`, []int32{3}},
		{"dup2", [6]uint64{5, 3}, nil, `dup2(5<TCP:[127.0.0.1:40000->127.0.0.1:5432]>, 3</etc/hostname>)`, []int32{5, 3}},
		{"poll", [6]uint64{0x7ffd1000, 2, 0}, fakeMem{0x7ffd1000: pollfds}, `poll([{fd=3</etc/hostname>, events=POLLIN}, {fd=-1}], 2, 0)`, []int32{3}},
		{"epoll_ctl", [6]uint64{5, unix.EPOLL_CTL_ADD, 3, 0x7ffd1000}, fakeMem{0x7ffd1000: ev},
			`epoll_ctl(5<TCP:[127.0.0.1:40000->127.0.0.1:5432]>, EPOLL_CTL_ADD, 3</etc/hostname>, {events=EPOLLIN, data={u32=5, u64=5}})`, []int32{5, 3}},
		{"mmap", [6]uint64{0, 4096, unix.PROT_READ, unix.MAP_PRIVATE, 3, 0}, nil, `mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3</etc/hostname>, 0)`, []int32{3}},
		{"kill", [6]uint64{3, 15}, nil, `kill(3, SIGTERM)`, nil}, // pids are not fds
	}
	for _, tt := range tests {
		asked = nil
		c := Call{Arch: x86_64, Nr: nr(t, x86_64, tt.name), Args: tt.args}
		got := Decode(c, tt.mem, Options{FD: fdFn}).Text
		if got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
		if len(asked) != len(tt.fds) {
			t.Errorf("%s: FD called with %v, want %v", tt.name, asked, tt.fds)
		}
		for i := range min(len(asked), len(tt.fds)) {
			if asked[i] != tt.fds[i] {
				t.Errorf("%s: FD called with %v, want %v", tt.name, asked, tt.fds)
			}
		}
	}
}

// TestArgs checks Decoded.Args: raw registers and the exact texts, joined
// back into Text.
func TestArgs(t *testing.T) {
	tests := []struct {
		name string
		arch uint32
		args [6]uint64
		mem  Memory
		want []Arg
	}{
		{"openat", x86_64, [6]uint64{uint64(0xffffff9c), 0x7ffd1000, unix.O_RDONLY | unix.O_CLOEXEC, 0o644}, fakeMem{0x7ffd1000: cstr("/etc/passwd")},
			[]Arg{{0xffffff9c, "AT_FDCWD"}, {0x7ffd1000, `"/etc/passwd"`}, {unix.O_RDONLY | unix.O_CLOEXEC, "O_RDONLY|O_CLOEXEC"}}},
		{"getpid", x86_64, [6]uint64{1, 2}, nil, nil},
		{"clone", x86_64, [6]uint64{unix.CLONE_CHILD_SETTID | uint64(unix.SIGCHLD), 0x7000, 0, 0x7f00, 0},
			nil, []Arg{{0x7000, "child_stack=0x7000"}, {unix.CLONE_CHILD_SETTID | uint64(unix.SIGCHLD), "flags=CLONE_CHILD_SETTID|SIGCHLD"}, {0x7f00, "child_tidptr=0x7f00"}}},
		{"rseq", x86_64, [6]uint64{0x10, 0x20, 0, 0x53053053}, nil,
			[]Arg{{0x10, "0x10"}, {0x20, "0x20"}, {0, "0"}, {0x53053053, "0x53053053"}}},
		{"_llseek", i386, [6]uint64{3, 1, 2, 0x1000, 0}, nil,
			[]Arg{{3, "3"}, {0x100000002, "4294967298"}, {0x1000, "0x1000"}, {0, "SEEK_SET"}}},
	}
	for _, tt := range tests {
		c := Call{Arch: tt.arch, Nr: nr(t, tt.arch, tt.name), Args: tt.args}
		d := Decode(c, tt.mem, Options{})
		if len(d.Args) != len(tt.want) {
			t.Errorf("%s: Args = %+v, want %+v", tt.name, d.Args, tt.want)
			continue
		}
		texts := make([]string, len(d.Args))
		for i, a := range d.Args {
			if a != tt.want[i] {
				t.Errorf("%s: Args[%d] = %+v, want %+v", tt.name, i, a, tt.want[i])
			}
			texts[i] = a.Text
		}
		if j := d.Name + "(" + strings.Join(texts, ", ") + ")"; j != d.Text {
			t.Errorf("%s: joined Args %q != Text %q", tt.name, j, d.Text)
		}
	}
}

// TestArgsJoinGolden checks on every golden case that Text is the Args
// joined.
func TestArgsJoinGolden(t *testing.T) {
	for _, file := range []string{"testdata/strace/x86_64_s32.golden", "testdata/strace/i386_s32.golden"} {
		limit, cases := loadGolden(t, file)
		for _, c := range cases {
			d := Decode(c.call, c.mem, Options{StringLimit: limit})
			texts := make([]string, len(d.Args))
			for i, a := range d.Args {
				texts[i] = a.Text
			}
			if j := d.Name + "(" + strings.Join(texts, ", ") + ")"; j != d.Text {
				t.Errorf("%s: joined Args %q != Text %q", c.name, j, d.Text)
			}
		}
	}
}

func TestFDPathText(t *testing.T) {
	if got, want := FDPathText("/tmp/a<b>\n", Options{}), `/tmp/a\74b\76\n`; got != want {
		t.Errorf("FDPathText = %q, want %q", got, want)
	}
}
