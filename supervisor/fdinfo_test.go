package supervisor

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/syscage/syscage/decode"
)

// TestUnixSocket reads a /proc/net/unix table as the kernel writes it
// (paths with spaces and quotes, abstract names) and checks the -yy texts
// against what strace 6.1 printed for the same sockets.
func TestUnixSocket(t *testing.T) {
	table := "Num       RefCount Protocol Flags    Type St Inode Path\n" +
		"0000000000000000: 00000002 00000000 00010000 0001 01 1687502 /tmp/qs p\"q\n" +
		"0000000000000000: 00000002 00000000 00000000 0002 01 1687503 /tmp/qd\n" +
		"0000000000000000: 00000002 00000000 00000000 0005 01 1687504 @ab s\"t\n" +
		"0000000000000000: 00000003 00000000 00000000 0001 03 1687505\n" +
		"0000000000000000: 00000002 00000000 00000000 0001 01   42 /tmp/é\n" +
		"0000000000000000: 00000002 00000000 00010000 0001 01 1687506 /tmp/s\n" +
		"nl\n"
	file := filepath.Join(t.TempDir(), "unix")
	// sock_diag knows two of them: a socketpair end, and a path with a
	// newline the table cannot show.
	peer := func(inode string) (unixInfo, bool) {
		switch inode {
		case "1687505":
			return unixInfo{peer: 1687506}, true
		case "1687506":
			return unixInfo{name: "/tmp/s\nnl", named: true}, true
		}
		return unixInfo{}, false
	}
	if err := os.WriteFile(file, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		inode string
		opt   decode.Options
		want  string
	}{
		{"1687502", decode.Options{}, `UNIX-STREAM:[1687502,"/tmp/qs p\"q"]`},
		{"1687503", decode.Options{}, `UNIX:[1687503,"/tmp/qd"]`},
		{"1687504", decode.Options{}, `UNIX:[1687504,@"ab s\"t"]`},
		{"1687505", decode.Options{}, `UNIX-STREAM:[1687505->1687506]`},
		{"42", decode.Options{}, `UNIX-STREAM:[42,"/tmp/\303\251"]`},
		{"42", decode.Options{Hex: 2}, `UNIX-STREAM:[42,"\x2f\x74\x6d\x70\x2f\xc3\xa9"]`},
		{"1687506", decode.Options{}, `UNIX-STREAM:[1687506,"/tmp/s\nnl"]`},
	} {
		got, ok := unixSocket(file, tc.inode, tc.opt, peer)
		if !ok || got != tc.want {
			t.Errorf("inode %s: %q, %v; want %q", tc.inode, got, ok, tc.want)
		}
	}
	if _, ok := unixSocket(file, "7", decode.Options{}, peer); ok {
		t.Error("an inode not in the table was found")
	}
}
