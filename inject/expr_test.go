package inject

import (
	"bytes"
	"errors"
	"math"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/policy"
)

func TestParseInjectExprValid(t *testing.T) {
	tests := []struct {
		q, v string
		want Rule // Name, When default and PerSyscall are filled in
	}{
		{"inject", "openat:error=ENOENT", Rule{Syscalls: []string{"openat"}, Errno: 2}},
		{"inject", "openat:error=enoent", Rule{Syscalls: []string{"openat"}, Errno: 2}},
		{"inject", "openat:error=2", Rule{Syscalls: []string{"openat"}, Errno: 2}},
		{"inject", "openat:error=+5", Rule{Syscalls: []string{"openat"}, Errno: 5}},
		{"inject", "openat:error= 05", Rule{Syscalls: []string{"openat"}, Errno: 5}},
		{"inject", "openat:error=4095", Rule{Syscalls: []string{"openat"}, Errno: 4095}},
		{"inject", "openat:error=EWOULDBLOCK", Rule{Syscalls: []string{"openat"}, Errno: int(unix.EAGAIN)}},
		{"inject", "openat,close:error=EIO:when=3", Rule{Syscalls: []string{"close", "openat"}, Errno: 5, When: When{3, LastInf, 0}}},
		{"inject", "openat:error=EIO:when=2+", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{2, LastInf, 1}}},
		{"inject", "openat:error=EIO:when=2+3", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{2, LastInf, 3}}},
		{"inject", "openat:error=EIO:when=2..5", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{2, 5, 1}}},
		{"inject", "openat:error=EIO:when=2..5+", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{2, 5, 1}}},
		{"inject", "openat:error=EIO:when=2..9+3", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{2, 9, 3}}},
		{"inject", "openat:error=EIO:when= +1..+2", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{1, 2, 1}}},
		{"inject", "openat:error=EIO:when=1:when=4", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{4, LastInf, 0}}},
		{"inject", "openat:error=EIO:when=65535", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{65535, LastInf, 0}}},
		{"inject", "openat:error=EIO:when=1..65534+65535", Rule{Syscalls: []string{"openat"}, Errno: 5, When: When{1, 65534, 65535}}},
		{"inject", "openat::error=EIO:", Rule{Syscalls: []string{"openat"}, Errno: 5}},
		{"inject", "read:retval=0", Rule{Syscalls: []string{"read"}, HasRetval: true}},
		{"inject", "read:retval=0x10", Rule{Syscalls: []string{"read"}, Retval: 16, HasRetval: true}},
		{"inject", "read:retval=0X1f", Rule{Syscalls: []string{"read"}, Retval: 31, HasRetval: true}},
		{"inject", "read:retval=010", Rule{Syscalls: []string{"read"}, Retval: 8, HasRetval: true}},
		{"inject", "read:retval= +42", Rule{Syscalls: []string{"read"}, Retval: 42, HasRetval: true}},
		{"inject", "read:retval=18446744073709551615", Rule{Syscalls: []string{"read"}, Retval: -1, HasRetval: true,
			warnings: []string{"Inadvertent injection of error 1 is possible for retval=18446744073709551615"}}},
		{"inject", "read:retval=-0x10", Rule{Syscalls: []string{"read"}, Retval: -16, HasRetval: true,
			warnings: []string{"Inadvertent injection of error 16 is possible for retval=18446744073709551600"}}},
		{"inject", "read:retval=-4096", Rule{Syscalls: []string{"read"}, Retval: -4096, HasRetval: true,
			warnings: compat("Injected return value 18446744073709547520 will be clipped to 4294963200 in compat personality")}},
		{"inject", "read:retval=4294967295", Rule{Syscalls: []string{"read"}, Retval: 4294967295, HasRetval: true,
			warnings: compat("Inadvertent injection of error 1 is possible in compat personality for retval=4294967295")}},
		{"inject", "read:signal=SIGUSR1", Rule{Syscalls: []string{"read"}, Signal: syscall.SIGUSR1}},
		{"inject", "read:signal=usr1:error=EINTR", Rule{Syscalls: []string{"read"}, Signal: syscall.SIGUSR1, Errno: 4}},
		{"inject", "read:signal=sigchld", Rule{Syscalls: []string{"read"}, Signal: syscall.SIGCHLD}},
		{"inject", "read:signal=9", Rule{Syscalls: []string{"read"}, Signal: syscall.SIGKILL}},
		{"inject", "read:signal=09", Rule{Syscalls: []string{"read"}, Signal: syscall.SIGKILL}},
		{"inject", "read:signal=64", Rule{Syscalls: []string{"read"}, Signal: 64}},
		{"inject", "read:signal=SIGRTMIN", Rule{Syscalls: []string{"read"}, Signal: 32}},
		{"inject", "read:signal=rt_1", Rule{Syscalls: []string{"read"}, Signal: 33}},
		{"inject", "read:signal=SIGRT_32", Rule{Syscalls: []string{"read"}, Signal: 64}},
		{"inject", "read:signal=SIGSTKFLT", Rule{Syscalls: []string{"read"}, Signal: 16}},
		{"inject", "read:signal=SIGIO", Rule{Syscalls: []string{"read"}, Signal: syscall.SIGIO}},
		{"inject", "fsync:delay_enter=100000", Rule{Syscalls: []string{"fsync"}, Delay: 100 * time.Millisecond}},
		{"inject", "fsync:delay_enter=10ms", Rule{Syscalls: []string{"fsync"}, Delay: 10 * time.Millisecond}},
		{"inject", "fsync:delay_enter=10mS", Rule{Syscalls: []string{"fsync"}, Delay: 10 * time.Millisecond}},
		{"inject", "fsync:delay_enter=2s", Rule{Syscalls: []string{"fsync"}, Delay: 2 * time.Second}},
		{"inject", "fsync:delay_enter=5us", Rule{Syscalls: []string{"fsync"}, Delay: 5 * time.Microsecond}},
		{"inject", "fsync:delay_enter=7ns", Rule{Syscalls: []string{"fsync"}, Delay: 7}},
		{"inject", "fsync:delay_enter=1.5", Rule{Syscalls: []string{"fsync"}, Delay: 1500}},
		{"inject", "fsync:delay_enter=1.5MS", Rule{Syscalls: []string{"fsync"}, Delay: 1500 * time.Microsecond}},
		{"inject", "fsync:delay_enter=.5s", Rule{Syscalls: []string{"fsync"}, Delay: 500 * time.Millisecond}},
		{"inject", "fsync:delay_enter=1e3", Rule{Syscalls: []string{"fsync"}, Delay: time.Millisecond}},
		{"inject", "fsync:delay_enter=1.", Rule{Syscalls: []string{"fsync"}, Delay: time.Microsecond}},
		{"inject", "fsync:delay_enter= 5", Rule{Syscalls: []string{"fsync"}, Delay: 5 * time.Microsecond}},
		{"inject", "fsync:delay_enter=+5", Rule{Syscalls: []string{"fsync"}, Delay: 5 * time.Microsecond}},
		{"inject", "fsync:delay_enter=0", Rule{Syscalls: []string{"fsync"}}},
		{"inject", "fsync:delay_enter=-0", Rule{Syscalls: []string{"fsync"}}},
		{"inject", "fsync:delay_enter=9223372036854775807", Rule{Syscalls: []string{"fsync"}, Delay: math.MaxInt64}},
		{"inject", "fsync:delay_exit=1s:error=EIO", Rule{Syscalls: []string{"fsync"}, DelayExit: time.Second, Errno: 5}},
		{"fault", "openat", Rule{Syscalls: []string{"openat"}, Errno: int(unix.ENOSYS)}},
		{"fault", "openat:when=3", Rule{Syscalls: []string{"openat"}, Errno: int(unix.ENOSYS), When: When{3, LastInf, 0}}},
		{"fault", "openat:error=EACCES", Rule{Syscalls: []string{"openat"}, Errno: int(unix.EACCES)}},
		{"inject", "%net:error=EACCES", Rule{Syscalls: expand(t, "%net"), Errno: int(unix.EACCES)}},
		{"inject", "?nosuchcall,openat:error=EIO", Rule{Syscalls: []string{"openat"}, Errno: 5}},
	}
	for _, tt := range tests {
		rules, err := ParseInjectExpr(tt.q, tt.v)
		if err != nil {
			t.Errorf("%s=%s: %v", tt.q, tt.v, err)
			continue
		}
		if len(rules) != 1 {
			t.Errorf("%s=%s: %d rules", tt.q, tt.v, len(rules))
			continue
		}
		want := tt.want
		want.Name = tt.q + "=" + tt.v
		want.PerSyscall = true
		if want.When == (When{}) {
			want.When = Always
		}
		if !reflect.DeepEqual(*rules[0], want) {
			t.Errorf("%s=%s:\n got %+v\nwant %+v", tt.q, tt.v, *rules[0], want)
		}
	}
}

// compat is a warning strace gives only where it traces i386 calls too.
func compat(w string) []string {
	if policy.NativeArch() == "x86_64" {
		return []string{w}
	}
	return nil
}

func TestParseInjectExprSets(t *testing.T) {
	neg, err := ParseInjectExpr("inject", "!openat:error=EIO")
	if err != nil {
		t.Fatal(err)
	}
	names := neg[0].Syscalls
	if len(names) < 300 || contains(names, "openat") || !contains(names, "close") {
		t.Errorf("!openat: %d names, openat %v, close %v", len(names), contains(names, "openat"), contains(names, "close"))
	}
	if rules, err := ParseInjectExpr("inject", "none:error=EIO"); err != nil || rules != nil {
		t.Errorf("none: %v, %v", rules, err)
	}
	if rules, err := ParseInjectExpr("inject", "all:error=EIO"); err != nil || len(rules[0].Syscalls) < 300 {
		t.Errorf("all: %v", err)
	}
	re, err := ParseInjectExpr("inject", "/^open:error=EIO")
	if err != nil || !contains(re[0].Syscalls, "openat") || contains(re[0].Syscalls, "close") {
		t.Errorf("/^open: %v %v", re, err)
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

func TestParseInjectExprErrors(t *testing.T) {
	tests := []struct {
		q, v, want string
	}{
		{"inject", "openat", "invalid inject argument 'openat'"},
		{"inject", "openat:when=2", "invalid inject argument 'openat:when=2'"},
		{"inject", "openat:error=ENOENT:retval=0", "invalid inject argument 'openat:error=ENOENT:retval=0'"},
		{"inject", "openat:retval=0:error=ENOENT", "invalid inject argument 'openat:retval=0:error=ENOENT'"},
		{"inject", "openat:error=EIO:error=EIO", "invalid inject argument 'openat:error=EIO:error=EIO'"},
		{"inject", "openat:error=EFOO", "invalid inject argument 'openat:error=EFOO'"},
		{"inject", "openat:error=4096", "invalid inject argument 'openat:error=4096'"},
		{"inject", "openat:error=0", "invalid inject argument 'openat:error=0'"},
		{"inject", "openat:error=-0", "invalid inject argument 'openat:error=-0'"},
		{"inject", "openat:error=5x", "invalid inject argument 'openat:error=5x'"},
		{"inject", "openat:when=0:error=EIO", "invalid inject argument 'openat:when=0:error=EIO'"},
		{"inject", "openat:when=+:error=EIO", "invalid inject argument 'openat:when=+:error=EIO'"},
		{"inject", "openat:when=65536:error=EIO", "invalid inject argument 'openat:when=65536:error=EIO'"},
		{"inject", "openat:when=1.2:error=EIO", "invalid inject argument 'openat:when=1.2:error=EIO'"},
		{"inject", "openat:when=2..1:error=EIO", "invalid inject argument 'openat:when=2..1:error=EIO'"},
		{"inject", "openat:when=1..65535:error=EIO", "invalid inject argument 'openat:when=1..65535:error=EIO'"},
		{"inject", "openat:when=1+0:error=EIO", "invalid inject argument 'openat:when=1+0:error=EIO'"},
		{"inject", "openat:when=1+65536:error=EIO", "invalid inject argument 'openat:when=1+65536:error=EIO'"},
		{"inject", "openat:when=:error=EIO", "invalid inject argument 'openat:when=:error=EIO'"},
		{"inject", "openat:signal=SIGFOO", "invalid inject argument 'openat:signal=SIGFOO'"},
		{"inject", "openat:signal=0", "invalid inject argument 'openat:signal=0'"},
		{"inject", "openat:signal=65", "invalid inject argument 'openat:signal=65'"},
		{"inject", "openat:signal=+5", "invalid inject argument 'openat:signal=+5'"},
		{"inject", "openat:signal=9x", "invalid inject argument 'openat:signal=9x'"},
		{"inject", "openat:signal=SIG", "invalid inject argument 'openat:signal=SIG'"},
		{"inject", "openat:signal=SIGRTMAX", "invalid inject argument 'openat:signal=SIGRTMAX'"},
		{"inject", "openat:signal=SIGRT_0", "invalid inject argument 'openat:signal=SIGRT_0'"},
		{"inject", "openat:signal=SIGPOLL", "invalid inject argument 'openat:signal=SIGPOLL'"},
		{"inject", "openat:signal=1:signal=2", "invalid inject argument 'openat:signal=1:signal=2'"},
		{"inject", "openat:retval=", "invalid inject argument 'openat:retval='"},
		{"inject", "openat:retval=0x", "invalid inject argument 'openat:retval=0x'"},
		{"inject", "openat:retval=08", "invalid inject argument 'openat:retval=08'"},
		{"inject", "openat:retval=18446744073709551616", "invalid inject argument 'openat:retval=18446744073709551616'"},
		{"inject", "openat:delay_enter=1x", "invalid inject argument 'openat:delay_enter=1x'"},
		{"inject", "openat:delay_enter=-1", "invalid inject argument 'openat:delay_enter=-1'"},
		{"inject", "openat:delay_enter=", "invalid inject argument 'openat:delay_enter='"},
		{"inject", "openat:delay_enter=10MS", "invalid inject argument 'openat:delay_enter=10MS'"},
		{"inject", "openat:delay_enter=10S", "invalid inject argument 'openat:delay_enter=10S'"},
		{"inject", "openat:delay_enter=5 ", "invalid inject argument 'openat:delay_enter=5 '"},
		{"inject", "openat:delay_enter=1e", "invalid inject argument 'openat:delay_enter=1e'"},
		{"inject", "openat:delay_enter=1e400", "invalid inject argument 'openat:delay_enter=1e400'"},
		{"inject", "openat:delay_enter=1e-400", "invalid inject argument 'openat:delay_enter=1e-400'"},
		{"inject", "openat:delay_enter=.", "invalid inject argument 'openat:delay_enter=.'"},
		{"inject", "openat:delay_enter=0x10", "invalid inject argument 'openat:delay_enter=0x10'"},
		{"inject", "openat:delay_enter=5m", "invalid inject argument 'openat:delay_enter=5m'"},
		{"inject", "openat:delay_enter=5min", "invalid inject argument 'openat:delay_enter=5min'"},
		{"inject", "openat:delay_enter=9223372036854775808", "invalid inject argument 'openat:delay_enter=9223372036854775808'"},
		{"inject", "openat:delay_enter=1:delay_enter=2", "invalid inject argument 'openat:delay_enter=1:delay_enter=2'"},
		{"inject", "openat:foo=1", "invalid inject argument 'openat:foo=1'"},
		{"inject", "openat:ERROR=EIO", "invalid inject argument 'openat:ERROR=EIO'"},
		{"inject", "openat:error", "invalid inject argument 'openat:error'"},
		{"inject", "foo:error=EFOO", "invalid inject argument 'foo:error=EFOO'"}, // tokens first
		{"inject", "foo:error=EIO", "invalid system call 'foo'"},
		{"inject", "%foo:error=EIO", "invalid system call '%foo'"},
		{"inject", "foo", "invalid system call 'foo'"}, // the set before the missing action
		{"inject", ":error=EIO", "invalid system call ''"},
		{"inject", ":error=EFOO", "invalid system call ''"}, // strace does not read tokens then
		{"inject", "", "invalid system call ''"},
		{"fault", "openat:retval=1", "invalid fault argument 'openat:retval=1'"},
		{"fault", "openat:signal=SIGUSR1", "invalid fault argument 'openat:signal=SIGUSR1'"},
		{"fault", "openat:delay_enter=1", "invalid fault argument 'openat:delay_enter=1'"},
		{"fault", "openat:error=EFOO", "invalid fault argument 'openat:error=EFOO'"},
		{"fault", "foo", "invalid system call 'foo'"},
		{"trace", "openat", "invalid -e qualifier 'trace' (want inject or fault)"},
	}
	for _, tt := range tests {
		rules, err := ParseInjectExpr(tt.q, tt.v)
		if err == nil {
			t.Errorf("%s=%s: accepted: %+v", tt.q, tt.v, rules)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s=%s: error %q, want %q", tt.q, tt.v, err, tt.want)
		}
		var ee *ExprError
		if strings.HasPrefix(tt.want, "invalid "+tt.q+" argument") && (!errors.As(err, &ee) || ee.Reason == "" || ee.Qualifier != tt.q || ee.Value != tt.v) {
			t.Errorf("%s=%s: %T %+v is not an *ExprError with a reason", tt.q, tt.v, err, ee)
		}
	}
}

func TestParseInjectExprUnsupported(t *testing.T) {
	for _, v := range []string{"getuid:syscall=getpid:error=EIO", "read:poke_enter=@arg1=00", "read:poke_exit=@arg2=0000:error=EIO"} {
		_, err := ParseInjectExpr("inject", v)
		if !errors.Is(err, ErrUnsupported) || !strings.HasPrefix(err.Error(), "inject argument '"+v+"': ") {
			t.Errorf("%s: %v", v, err)
		}
	}
	if _, err := ParseInjectExpr("fault", "getuid:syscall=getpid"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("fault syscall=: %v", err)
	}
}

// TestParseInjectExprAgainstStrace asks the strace on this machine
// whether it accepts each expression and compares its message with ours.
// The set is mknodat, which `true` never calls, so nothing is injected.
func TestParseInjectExprAgainstStrace(t *testing.T) {
	path, err := exec.LookPath("strace")
	if err != nil {
		t.Fatal("strace is needed (make deps installs it)")
	}
	if out, err := exec.Command(path, "-qq", "-o", "/dev/null", "true").CombinedOutput(); err != nil {
		t.Skipf("strace cannot trace here: %v: %s", err, out)
	}
	exprs := []string{
		"error=ENOENT", "error=enoent", "error=+5", "error= 05", "error=0", "error=-0", "error=4095", "error=4096",
		"error=EFOO", "error=5x", "error=EIO:error=EIO", "error=EIO:retval=1",
		"when=2", "when=2:error=EIO", "when=0:error=EIO", "when=+:error=EIO", "when=1+:error=EIO",
		"when=01:error=EIO", "when=65535:error=EIO", "when=65536:error=EIO", "when=1..2+:error=EIO",
		"when=1.2:error=EIO", "when= 1:error=EIO", "when=+1:error=EIO", "when=1..+1:error=EIO",
		"when=1+65536:error=EIO", "when=1+65535:error=EIO", "when=1..65534:error=EIO", "when=1..65535:error=EIO",
		"when=2..1:error=EIO", "when=1+0:error=EIO", "when=:error=EIO", "error=EIO:when=1:when=2",
		"retval=0", "retval=", "retval= 1", "retval=010", "retval=08", "retval=+1", "retval=0x", "retval=0X1f",
		"retval=18446744073709551616", "retval=-1", "retval=4294967295", "retval=-4096",
		"signal=SIGUSR1", "signal=sigusr1", "signal=usr1", "signal=+5", "signal=9", "signal=09", "signal=9x",
		"signal=0", "signal=64", "signal=65", "signal=255", "signal=256", "signal=SIGRT_0", "signal=SIGRT_1",
		"signal=SIGRT_32", "signal=SIGRT_33", "signal=SIGRTMAX", "signal=RTMIN", "signal=SIGrtmin",
		"signal=SIGIOT", "signal=SIGPOLL", "signal=SIGCLD", "signal=SIGUNUSED", "signal=SIGSTKFLT",
		"signal=SIGPWR", "signal=SIGIO", "signal=SIGSYS", "signal=SIG", "signal=1:signal=2",
		"delay_enter=10ms", "delay_enter=1s", "delay_enter=10us", "delay_enter=10ns", "delay_enter=1.5",
		"delay_enter=1.5ms", "delay_enter=1.5MS", "delay_enter=10mS", "delay_enter=10S", "delay_enter=10MS",
		"delay_enter=5Ms", "delay_enter=10sx", "delay_enter=+5", "delay_enter=5 ", "delay_enter= 5",
		"delay_enter=1e", "delay_enter=1e3", "delay_enter=1E3", "delay_enter=1e3x", "delay_enter=1.",
		"delay_enter=-", "delay_enter=.", "delay_enter=.5", "delay_enter=-0", "delay_enter=-1",
		"delay_enter=1e400", "delay_enter=1e-400", "delay_enter=1e-310", "delay_enter=0e-400", "delay_enter=1e-300", "delay_enter=0x10", "delay_enter=5m", "delay_enter=5n",
		"delay_enter=5u", "delay_enter=5min", "delay_enter=", "delay_enter=0", "delay_exit=1",
		"delay_enter=9223372036854775808", "delay_enter=1:delay_enter=2", "delay_enter=1:when=2",
		"foo=1", "ERROR=EIO", "error", ":error=EIO", "", "signal=SIGUSR1:error=EIO",
	}
	for _, tok := range exprs {
		for _, q := range []string{"inject", "fault"} {
			value := "mknodat:" + tok
			if tok == "" {
				value = "mknodat"
			}
			var stderr bytes.Buffer
			cmd := exec.Command(path, "-qq", "-o", "/dev/null", "-e", q+"="+value, "true")
			cmd.Args[0] = "strace" // its messages start with argv[0]
			cmd.Stderr = &stderr
			runErr := cmd.Run()
			straceMsg := ""
			for _, line := range strings.Split(stderr.String(), "\n") {
				if strings.HasPrefix(line, "strace: invalid") {
					straceMsg = strings.TrimPrefix(line, "strace: ")
					break
				}
			}
			rules, err := ParseInjectExpr(q, value)
			ours := ""
			if err != nil {
				ours = err.Error()
			}
			if ours != straceMsg {
				t.Errorf("-e %s=%s: strace says %q (exit %v), syscage %q", q, value, straceMsg, runErr, ours)
			}
			if err != nil {
				continue
			}
			// Warnings about retval=, in strace's words.
			var straceWarn, ourWarn []string
			for _, line := range strings.Split(stderr.String(), "\n") {
				if strings.HasPrefix(line, "strace: Inadvertent") || strings.HasPrefix(line, "strace: Injected") {
					straceWarn = append(straceWarn, strings.TrimPrefix(line, "strace: "))
				}
			}
			for _, p := range Warnings(ScenarioFromExprs(rules)) {
				if strings.HasPrefix(p.Reason, "Inadvertent") || strings.HasPrefix(p.Reason, "Injected") {
					ourWarn = append(ourWarn, p.Reason)
				}
			}
			if !reflect.DeepEqual(straceWarn, ourWarn) {
				t.Errorf("-e %s=%s: strace warns %q, syscage %q", q, value, straceWarn, ourWarn)
			}
		}
	}
}

func TestParseWhenStraceAgreesWithParseWhen(t *testing.T) {
	for _, s := range []string{"1", "2+", "2+3", "2..5", "2..5+", "2..9+3", "65535", "1..65534+65535",
		"0", "65536", "1..65535", "2..1", "1+0", "+", "1.2", "..", "1..", "1..2+x", "x"} {
		w1, err := ParseWhen(s)
		w2, ok := parseWhenStrace(s)
		if (err == nil) != ok || (ok && w1 != w2) {
			t.Errorf("%q: ParseWhen %v %v, strace's %v %v", s, w1, err, w2, ok)
		}
	}
}

func TestScenarioFromExprs(t *testing.T) {
	if ScenarioFromExprs(nil) != nil {
		t.Error("no rules gave a scenario")
	}
	var rules []*Rule
	for _, v := range []string{"openat,close:error=EIO:when=2", "openat:error=ENOENT"} {
		r, err := ParseInjectExpr("inject", v)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r...)
	}
	s := ScenarioFromExprs(rules)
	if s.Name != ExprScenarioName || s.File != ExprScenarioName || len(s.Rules) != 2 || s.Rules[0].Scenario != s {
		t.Fatalf("scenario %+v", s)
	}
	// Counted per syscall: openat and close each fail on their own
	// second call; the second option decides the calls the first one
	// lets through.
	e := NewEngine([]*Scenario{s})
	var got []string
	for _, name := range []string{"openat", "close", "close", "openat", "openat", "close"} {
		d := e.Decide(Event{Pid: 1, Name: name})
		got = append(got, name+"="+d.Action.String()+":"+unix.ErrnoName(unix.Errno(d.Errno)))
	}
	want := []string{"openat=error:ENOENT", "close=continue:", "close=error:EIO", "openat=error:EIO",
		"openat=error:ENOENT", "close=continue:"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// Per process: a forked child starts at 1.
	if d := e.Decide(Event{Pid: 2, Name: "close"}); d.Action != Continue {
		t.Errorf("child's first close: %+v", d)
	}
	if d := e.Decide(Event{Pid: 2, Name: "close"}); d.Errno != int(unix.EIO) {
		t.Errorf("child's second close: %+v", d)
	}
}

func FuzzParseInjectExpr(f *testing.F) {
	for _, s := range []string{
		"openat:error=ENOENT", "openat,close:error=EIO:when=2..9+3", "read:retval=0x10:signal=SIGUSR1",
		"fsync:delay_enter=1.5ms:delay_exit=10", "!openat:error=EIO", "%file:error=EACCES:when=3+",
		"openat:when= +1..+2:error=+5", ":error=EIO", "openat::", "x:syscall=getpid", "read:delay_enter=1e3",
		"read:retval=-1", "none:error=EIO", "/^open:error=EIO",
	} {
		f.Add("inject", s)
		f.Add("fault", s)
	}
	f.Fuzz(func(t *testing.T, q, v string) {
		rules, err := ParseInjectExpr(q, v)
		if err != nil {
			if rules != nil {
				t.Fatal("rules with an error")
			}
			if strings.Contains(err.Error(), "\n") && !strings.Contains(q+v, "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if q != "inject" && q != "fault" {
			t.Fatalf("qualifier %q accepted", q)
		}
		for _, r := range rules {
			if len(r.Syscalls) == 0 || !r.PerSyscall || r.Name != q+"="+v {
				t.Fatalf("rule %+v", *r)
			}
			if r.Errno < 0 || r.Errno > MaxErrno || (r.Errno != 0 && r.HasRetval) {
				t.Fatalf("action %+v", *r)
			}
			if r.Signal < 0 || r.Signal > 64 || r.Delay < 0 || r.DelayExit < 0 {
				t.Fatalf("signal or delay %+v", *r)
			}
			if q == "fault" && (r.HasRetval || r.Signal != 0 || r.Delay != 0 || r.DelayExit != 0 || r.Errno == 0) {
				t.Fatalf("fault rule %+v", *r)
			}
			if w := r.When; w.First < 1 || w.First > WhenMax || w.Step > WhenMax || (w.Last != LastInf && w.Last < w.First) {
				t.Fatalf("when %+v", w)
			}
			for _, n := range r.Syscalls {
				if !policy.IsSyscall(n) {
					t.Fatalf("syscall %q", n)
				}
			}
			e := NewEngine([]*Scenario{ScenarioFromExprs(rules)})
			e.Decide(Event{Pid: 1, Name: r.Syscalls[0]})
		}
	})
}
