package policy

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// straceWorkload makes a deterministic mix of file, descriptor, process,
// signal, credential, memory, network (id's NSS lookup), stat and statfs calls.
const straceWorkload = `cat /etc/hostname >/dev/null; ls -la /tmp >/dev/null; id >/dev/null; kill -0 $$; df / >/dev/null; stat / >/dev/null; sleep 0.01`

var straceLine = regexp.MustCompile(`^(?:\d+ +)?([a-z_0-9]+)\(`)

// straceNames runs the workload under the installed strace with -e trace=expr
// and returns the sorted syscall names it printed.
func straceNames(t *testing.T, strace, expr string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(strace, "-f", "-qq", "-o", out, "-e", "trace="+expr, "sh", "-c", straceWorkload)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("strace -e trace=%s: %v\n%s", expr, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if m := straceLine.FindStringSubmatch(line); m != nil {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// TestClassesAgainstStrace runs a workload under the real strace, once with
// trace=all and once per class, and checks our classes against what strace
// printed: every call strace shows for a class is in our class, and every
// call of the workload that our class holds is shown by strace for it.
// (Classes follow a newer strace than the one installed; the comparison
// only touches syscalls the workload makes.)
func TestClassesAgainstStrace(t *testing.T) {
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Fatal("strace is needed (make deps installs it)")
	}
	if err := exec.Command(strace, "-qq", "-e", "trace=none", "true").Run(); err != nil {
		t.Skipf("strace cannot trace here (ptrace blocked?): %v", err)
	}
	all := straceNames(t, strace, "all")
	if len(all) < 20 {
		t.Fatalf("workload made only %v", all)
	}
	for _, class := range []string{"%file", "%desc", "%process", "%memory", "%network", "%signal", "%creds", "%clock", "%ipc",
		"%stat", "%lstat", "%fstat", "%%stat", "%statfs", "%fstatfs", "%%statfs", "%pure"} {
		ours, err := ParseTrace(class)
		if err != nil {
			t.Fatal(err)
		}
		theirs := straceNames(t, strace, class)
		for _, n := range theirs {
			if !ours.Has(n) {
				t.Errorf("%s: strace traced %s, our class lacks it", class, n)
			}
		}
		for _, n := range all {
			if ours.Has(n) && !slices.Contains(theirs, n) {
				t.Errorf("%s: our class has %s, strace did not trace it", class, n)
			}
		}
		t.Logf("%s: %v", class, theirs)
	}
}
