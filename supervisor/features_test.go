package supervisor

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

func kernelAtLeast(t *testing.T, release string, major, minor int) bool {
	t.Helper()
	var ma, mi int
	if _, err := fmt.Sscanf(release, "%d.%d", &ma, &mi); err != nil {
		t.Fatalf("parse kernel release %q: %v", release, err)
	}
	return ma > major || (ma == major && mi >= minor)
}

func TestFlagProbeRejectsUnknownFlags(t *testing.T) {
	if flagKnown(unix.SECCOMP_FILTER_FLAG_NEW_LISTENER | 1<<30) {
		t.Error("an unknown filter flag was reported as known")
	}
	if !flagKnown(0) {
		t.Error("flags 0 reported as unknown")
	}
}

// Each feature must be reported present on a kernel that has it.
func TestProbeFeaturesMatchesKernelVersion(t *testing.T) {
	requireUserNotif(t)
	f := ProbeFeatures()
	if f.Error != "" {
		t.Fatalf("probe: %s", f.Error)
	}
	for _, c := range []struct {
		name         string
		have         bool
		major, minor int
	}{
		{"CONTINUE", f.Continue, 5, 5},
		{"TSYNC_ESRCH", f.TSyncESRCH, 5, 7},
		{"ADDFD", f.AddFD, 5, 9},
		{"WAIT_KILLABLE_RECV", f.WaitKillableRecv, 5, 19},
		{"SYNC_WAKE_UP", f.SyncWakeUp, 6, 6},
	} {
		if want := kernelAtLeast(t, f.Kernel, c.major, c.minor); c.have != want {
			t.Errorf("%s on %s: probed %v, kernel version says %v", c.name, f.Kernel, c.have, want)
		}
	}
}
