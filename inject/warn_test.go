package inject

import (
	"reflect"
	"strings"
	"testing"

	"github.com/syscage/syscage/policy"
)

const warnSrc = `name: w
rules:
  - {name: old-open, syscalls: [open], error: ENOENT}
  - {name: both-opens, syscalls: [open, openat], error: ENOENT}
  - {name: stats, syscalls: [stat, fstat, lstat], error: ENOENT}
  - {name: fstat, syscalls: [fstat], error: ENOENT}
  - {name: new-stats, syscalls: [stat, newfstatat, statx], error: ENOENT}
  - {name: class, syscalls: ["%fstat"], error: ENOENT}
  - {name: all-reads, syscalls: [read], error: EIO}
  - {name: late-read, syscalls: [read], fd_path: /x, error: EIO}
  - {name: read-and-write, syscalls: [read, write], error: EIO}
  - {name: counted, syscalls: [write], error: EIO, when: "3"}
  - {name: late-write, syscalls: [write], error: EIO}
`

func reasons(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func TestWarnings(t *testing.T) {
	s := mustParse(t, warnSrc)
	common := []string{
		`test.yaml:5:5: rule "stats": glibc 2.33 and later call newfstatat or statx, not fstat or lstat or stat; add newfstatat and statx`,
		`test.yaml:6:5: rule "fstat": glibc 2.33 and later call newfstatat or statx, not fstat; add newfstatat and statx`,
		`test.yaml:6:5: rule "fstat": never fires: rule "stats" before it fires on every call of fstat`,
		`test.yaml:10:5: rule "late-read": never fires: rule "all-reads" before it fires on every call of read`,
		`test.yaml:12:5: rule "counted": never fires: rule "read-and-write" before it fires on every call of write`,
		`test.yaml:13:5: rule "late-write": never fires: rule "read-and-write" before it fires on every call of write`,
	}
	if got := reasons(Warnings(s)); policy.NativeArch() == "x86_64" && !reflect.DeepEqual(got, common) {
		t.Errorf("Warnings on x86_64:\n got %q\nwant %q", got, common)
	}

	// Play an aarch64 machine: no open, stat, lstat there.
	defer func(fh func(string) bool, na func() string) { filterHas, nativeArch = fh, na }(filterHas, nativeArch)
	nativeArch = func() string { return "aarch64" }
	filterHas = func(name string) bool { return name != "open" && name != "stat" && name != "lstat" }
	want := []string{
		`test.yaml:3:5: rule "old-open": open is not on aarch64: the rule can never fire here`,
		`test.yaml:5:5: rule "stats": glibc 2.33 and later call newfstatat or statx, not fstat or lstat or stat; add newfstatat and statx`,
		`test.yaml:6:5: rule "fstat": glibc 2.33 and later call newfstatat or statx, not fstat; add newfstatat and statx`,
		`test.yaml:6:5: rule "fstat": never fires: rule "stats" before it fires on every call of fstat`,
		`test.yaml:10:5: rule "late-read": never fires: rule "all-reads" before it fires on every call of read`,
		`test.yaml:12:5: rule "counted": never fires: rule "read-and-write" before it fires on every call of write`,
		`test.yaml:13:5: rule "late-write": never fires: rule "read-and-write" before it fires on every call of write`,
	}
	if got := reasons(Warnings(s)); !reflect.DeepEqual(got, want) {
		t.Errorf("Warnings on aarch64:\n got %q\nwant %q", got, want)
	}
	filterHas = func(name string) bool { return false }
	two := mustParse(t, "name: w\nrules: [{name: r, syscalls: [open, stat], error: EIO}, {name: s, syscalls: [\"%fstat\"], error: EIO}]\n")
	got := reasons(Warnings(two))
	if len(got) != 2 || !strings.HasSuffix(got[0], `rule "r": open and stat are not on aarch64: the rule can never fire here`) ||
		!strings.Contains(got[1], `rule "s": fstat, fstat64, fstatat64, ... (`) {
		t.Errorf("lists: %q", got)
	}
	if Warnings(nil) != nil {
		t.Error("Warnings(nil)")
	}
}

// TestWarningsNativeOpen checks the real tables: open can fire on
// x86_64, not on aarch64.
func TestWarningsNativeOpen(t *testing.T) {
	s := mustParse(t, "name: w\nrules: [{name: r, syscalls: [open], error: EIO}]\n")
	got := Warnings(s)
	switch policy.NativeArch() {
	case "x86_64":
		if len(got) != 0 || !policy.NativeHas("open") || policy.NativeHas("mmap2") || !policy.FilterHas("mmap2") {
			t.Errorf("x86_64: %v", got)
		}
	case "aarch64":
		if len(got) != 1 || policy.NativeHas("open") || policy.FilterHas("mmap2") {
			t.Errorf("aarch64: %v", got)
		}
	}
}

func TestWarningsInapplicableMatchers(t *testing.T) {
	s := mustParse(t, `name: x
rules:
  - {name: port-on-read, syscalls: [read], port: 80, error: EIO}
  - {name: path-on-getpid, syscalls: [getpid], path: "/etc/*", error: EIO}
  - {name: fdpath-on-getpid, syscalls: [getpid], fd_path: "/etc/*", error: EIO}
  - {name: fine, syscalls: [openat, connect], path: "/etc/*", error: EIO}
  - {name: fine-too, syscalls: [write, sendmsg], fd_path: "/x/**", port: 53, error: EIO}
  - {name: socket-fds, syscalls: [connect, sendto, recvfrom, setsockopt, shutdown], fd_path: "socket:*", error: EIO}
`)
	want := []string{
		`test.yaml:3:5: rule "port-on-read": address, port and family never match: they apply to connect, bind, sendto and sendmsg`,
		`test.yaml:4:5: rule "path-on-getpid": path never matches: getpid takes no file name`,
		`test.yaml:5:5: rule "fdpath-on-getpid": fd_path never matches: getpid takes no file descriptor`,
	}
	if got := reasons(Warnings(s)); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
