package scenarios

import (
	"errors"
	"io/fs"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/decode"
	"github.com/syscage/syscage/inject"
)

func TestNames(t *testing.T) {
	want := []string{"clone3-enosys", "config-missing", "config-permission-denied", "connection-refused", "connection-timeout", "disk-full", "dns-failure", "eintr-storm", "fd-exhaustion", "readonly-filesystem", "slow-disk"}
	if got := Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
}

// TestShippedParse parses every shipped file and checks that it starts with
// the comments that explain it.
func TestShippedParse(t *testing.T) {
	for _, name := range Names() {
		s, err := Load(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if s.Name != name {
			t.Errorf("%s.yaml: name %q, want the file's name", name, s.Name)
		}
		if s.Description == "" {
			t.Errorf("%s.yaml: no description", name)
		}
		data, _ := FS.ReadFile(name + ".yaml")
		if !strings.HasPrefix(string(data), "# "+name+": ") {
			t.Errorf("%s.yaml does not start with a comment \"# %s: ...\"", name, name)
		}
	}
}

func TestLoad(t *testing.T) {
	if s, err := Load("config-missing.yaml"); err != nil || s.Name != "config-missing" || s.File != "config-missing.yaml" {
		t.Errorf("Load(config-missing.yaml) = %+v, %v", s, err)
	}
	_, err := Load("nope")
	if err == nil || !errors.Is(err, fs.ErrNotExist) ||
		err.Error() != "load scenario nope: no such shipped scenario (have clone3-enosys, config-missing, config-permission-denied, connection-refused, connection-timeout, disk-full, dns-failure, eintr-storm, fd-exhaustion, readonly-filesystem, slow-disk)" {
		t.Errorf("Load(nope) = %v", err)
	}
}

func load(t *testing.T, name string) *inject.Engine {
	t.Helper()
	s, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return inject.NewEngine([]*inject.Scenario{s})
}

func TestConfigMissing(t *testing.T) {
	e := load(t, "config-missing")
	for _, sc := range []string{"open", "openat", "openat2", "newfstatat", "statx", "access", "faccessat", "faccessat2", "stat", "lstat"} {
		if !contains(e.Syscalls(), sc) {
			t.Errorf("config-missing does not cover %s", sc)
		}
	}
	tests := []struct {
		name, path string
		want       inject.Action
	}{
		{"openat", "/etc/syscage-demo/app.yaml", inject.Error},
		{"openat", "/tmp/TestE2E123/001/syscage-demo/app.yaml", inject.Error},
		{"statx", "/tmp/syscage-demo/conf.d/db.conf", inject.Error},
		{"access", "/syscage-demo/x", inject.Error},
		{"openat", "/etc/syscage-demo", inject.Continue}, // the directory stays
		{"openat", "/etc/passwd", inject.Continue},
		{"openat", "/lib/x86_64-linux-gnu/libc.so.6", inject.Continue},
		{"openat", "/etc/syscage-demo-other/app.yaml", inject.Continue},
		{"read", "/etc/syscage-demo/app.yaml", inject.Continue},
	}
	for i, tt := range tests {
		d := e.Decide(inject.Event{Pid: 100 + i, Name: tt.name, Path: tt.path, HasPath: true})
		if d.Action != tt.want || (d.Action == inject.Error && d.Errno != int(unix.ENOENT)) {
			t.Errorf("%s %s: %+v, want %v", tt.name, tt.path, d, tt.want)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	e := load(t, "connection-refused")
	if got := e.Syscalls(); !reflect.DeepEqual(got, []string{"connect"}) {
		t.Errorf("Syscalls() = %q", got)
	}
	tests := []struct {
		addr string
		want inject.Action
	}{
		{"127.0.0.1:5432", inject.Error},
		{"[::1]:5432", inject.Error},
		{"[::ffff:127.0.0.1]:5432", inject.Error},
		{"127.0.0.1:5433", inject.Continue},
		{"10.1.2.3:5432", inject.Continue},
		{"[::2]:5432", inject.Continue},
	}
	for _, tt := range tests {
		ap := netip.MustParseAddrPort(tt.addr)
		fam := uint16(unix.AF_INET6)
		if ap.Addr().Is4() {
			fam = unix.AF_INET
		}
		for n := 1; n <= 3; n++ { // every call, not only the first
			d := e.Decide(inject.Event{Pid: 1, Name: "connect", Sockaddr: &decode.Sockaddr{Family: fam, Addr: ap}})
			if d.Action != tt.want || (d.Action == inject.Error && d.Errno != int(unix.ECONNREFUSED)) {
				t.Errorf("connect %s (call %d): %+v, want %v", tt.addr, n, d, tt.want)
			}
		}
	}
	unixPG := &decode.Sockaddr{Family: unix.AF_UNIX, Path: "/run/postgresql/.s.PGSQL.5432"}
	if d := e.Decide(inject.Event{Pid: 1, Name: "connect", Sockaddr: unixPG}); d.Action != inject.Continue {
		t.Errorf("unix socket: %+v", d)
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
