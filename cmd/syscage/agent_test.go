package main

// syscage agent under real runtimes (issue 7): Debian's runc and crun run a
// busybox-static rootfs whose seccomp profile sends the listener fd to the
// agent, which injects the faults of the scenario the container's
// listenerMetadata picks.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/syscage/syscage/supervisor"
)

// The scenarios the agent loads: each hides one file of the rootfs.
const (
	agentHideHello = `version: 1
name: hide-hello
rules:
  - name: hide-hello
    syscalls: [open, openat]
    path: /etc/hello
    error: ENOENT
`
	agentHideOther = `version: 1
name: hide-other
rules:
  - name: hide-other
    syscalls: [open, openat]
    path: /etc/other
    error: ENOENT
    expect: fired
`
)

// agentProc is a running syscage agent whose log the test reads.
type agentProc struct {
	cmd       *exec.Cmd
	sock, out string
	mu        sync.Mutex
	log       bytes.Buffer
	done      chan struct{}
	waitErr   error
}

func (a *agentProc) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.log.Write(p)
}

func (a *agentProc) logText() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.log.String()
}

// startAgent starts syscage agent on sock writing to out, and waits until it
// listens. It is stopped when the test ends.
func startAgent(t *testing.T, sock, out string, args ...string) *agentProc {
	t.Helper()
	a := &agentProc{sock: sock, out: out, done: make(chan struct{})}
	// Killed if it outlives the whole test file's budget.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	a.cmd = exec.CommandContext(ctx, syscageBin, append([]string{"agent", "--listen", sock, "-o", out}, args...)...)
	a.cmd.Stdout, a.cmd.Stderr = a, a
	if err := a.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	go func() {
		a.waitErr = a.cmd.Wait()
		close(a.done)
	}()
	t.Cleanup(func() {
		select {
		case <-a.done:
			return
		default:
		}
		a.cmd.Process.Signal(unix.SIGTERM)
		select {
		case <-a.done:
		case <-time.After(10 * time.Second):
			a.cmd.Process.Kill()
			<-a.done
		}
		if t.Failed() {
			t.Logf("agent log:\n%s", a.logText())
		}
	})
	a.waitLog(t, 0, "listening on "+sock)
	return a
}

// waitLog waits up to 10 s for a log line containing sub at or after byte
// offset from, and returns it.
func (a *agentProc) waitLog(t *testing.T, from int, sub string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		text := a.logText()
		if from > len(text) {
			from = len(text)
		}
		for _, line := range strings.Split(text[from:], "\n") {
			if strings.Contains(line, sub) {
				return line
			}
		}
		select {
		case <-a.done:
			t.Fatalf("the agent exited (%v) before logging %q:\n%s", a.waitErr, sub, text)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no agent log line with %q in 10 s:\n%s", sub, text)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// agentStatus is what a leak would change: the counts the agent logs on
// SIGUSR1 (goroutines) and what /proc shows of it from outside (fds).
type agentStatus struct {
	containers, goroutines, fds int
}

var agentStatusLine = regexp.MustCompile(`status: (\d+) containers \[[^]]*\], (\d+) goroutines, (\d+) fds`)

func (a *agentProc) status(t *testing.T) agentStatus {
	t.Helper()
	from := len(a.logText())
	if err := a.cmd.Process.Signal(unix.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	line := a.waitLog(t, from, "status: ")
	m := agentStatusLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("status line %q", line)
	}
	var st agentStatus
	st.containers, _ = strconv.Atoi(m[1])
	st.goroutines, _ = strconv.Atoi(m[2])
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", a.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	st.fds = len(fds)
	return st
}

// settles waits up to 5 s for the agent to be back at base: no container,
// as many goroutines and fds as before.
func (a *agentProc) settles(t *testing.T, base agentStatus) {
	t.Helper()
	var st agentStatus
	for i := 0; i < 50; i++ {
		if st = a.status(t); st == base {
			t.Logf("agent back at %+v", st)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("agent leaks: %+v, was %+v before the containers\nfds now:\n%s", st, base, agentFdList(a.cmd.Process.Pid))
}

func agentFdList(pid int) string {
	var b strings.Builder
	dir := fmt.Sprintf("/proc/%d/fd", pid)
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		l, _ := os.Readlink(filepath.Join(dir, e.Name()))
		fmt.Fprintf(&b, "  %s -> %s\n", e.Name(), l)
	}
	return b.String()
}

// stop sends SIGTERM and checks that the agent exits 0 and removes its
// socket.
func (a *agentProc) stop(t *testing.T) {
	t.Helper()
	a.cmd.Process.Signal(unix.SIGTERM)
	select {
	case <-a.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("agent did not stop in 10 s after SIGTERM:\n%s", a.logText())
	}
	if a.waitErr != nil {
		t.Errorf("agent after SIGTERM: %v\n%s", a.waitErr, a.logText())
	}
	if _, err := os.Lstat(a.sock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket %s left behind after SIGTERM (%v)", a.sock, err)
	}
}

// agentTestReport is the part of DIR/ID.report.json the tests read.
type agentTestReport struct {
	Scenarios []string `json:"scenarios"`
	Rules     []struct {
		Scenario string `json:"scenario"`
		Name     string `json:"name"`
		Matched  uint64 `json:"matched"`
		Fired    uint64 `json:"fired"`
	} `json:"rules"`
	Container struct {
		ID       string `json:"id"`
		Pid      int    `json:"pid"`
		Metadata string `json:"metadata"`
		Bundle   string `json:"bundle"`
	} `json:"container"`
	Complete bool     `json:"complete"`
	Unmet    []string `json:"unmet"`
	Trace    string   `json:"trace"`
	Error    string   `json:"error"`
}

// waitReport waits up to 10 s for a container's report: the agent writes it
// when the listener hangs up, just after the runtime has reaped the
// container.
func waitReport(t *testing.T, dir, name string) agentTestReport {
	t.Helper()
	path := filepath.Join(dir, name+".report.json")
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil {
			var r agentTestReport
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatalf("%s: %v\n%s", path, err, b)
			}
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("no report %s after 10 s", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// agentEnv is a busybox-static rootfs, shared read-only by every container
// of the test, with a directory bind-mounted at /shared (read-write).
type agentEnv struct {
	dir, rootfs, shared string
	spec                []byte // runc spec, adapted: the template of each config.json
	runc, crun          string
	scenarios           map[string]string // name: the file
	n                   int
}

func newAgentEnv(t *testing.T) *agentEnv {
	t.Helper()
	e := &agentEnv{
		runc:      containerLookPath(t, "runc", "/usr/sbin/runc", "apt-get install runc (.ci/run installs it)"),
		crun:      containerLookPath(t, "crun", "/usr/bin/crun", "apt-get install crun (.ci/run installs it)"),
		dir:       t.TempDir(),
		scenarios: map[string]string{},
	}
	busybox := containerLookPath(t, "busybox", "/bin/busybox", "apt-get install busybox-static (.ci/run installs it)")
	if !containerIsStatic(t, busybox) {
		t.Fatalf("%s is dynamically linked: apt-get install busybox-static (.ci/run installs it)", busybox)
	}
	e.rootfs = filepath.Join(e.dir, "rootfs")
	e.shared = filepath.Join(e.dir, "shared")
	for _, d := range []string{"bin", "etc", "proc", "dev", "sys", "tmp", "shared"} {
		containerMkdir(t, filepath.Join(e.rootfs, d))
	}
	containerMkdir(t, e.shared)
	containerCopy(t, busybox, filepath.Join(e.rootfs, "bin", "busybox"))
	for _, applet := range []string{"sh", "cat", "echo", "sleep", "true", "ls"} {
		if err := os.Symlink("busybox", filepath.Join(e.rootfs, "bin", applet)); err != nil {
			t.Fatal(err)
		}
	}
	containerWrite(t, filepath.Join(e.rootfs, "etc", "hello"), "hello from the container\n")
	containerWrite(t, filepath.Join(e.rootfs, "etc", "other"), "another file\n")
	for name, text := range map[string]string{"hide-hello": agentHideHello, "hide-other": agentHideOther} {
		f := filepath.Join(e.dir, name+".yaml")
		containerWrite(t, f, text)
		e.scenarios[name] = f
	}

	// runc's default spec, non-interactive, on the shared rootfs, with
	// /shared bind-mounted.
	tmpl := filepath.Join(e.dir, "template")
	containerMkdir(t, tmpl)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, e.runc, "spec", "--bundle", tmpl).CombinedOutput(); err != nil {
		t.Fatalf("runc spec: %v\n%s", err, out)
	}
	var spec map[string]any
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(tmpl, "config.json"))), &spec); err != nil {
		t.Fatal(err)
	}
	spec["process"].(map[string]any)["terminal"] = false
	spec["root"] = map[string]any{"path": e.rootfs, "readonly": true}
	spec["mounts"] = append(spec["mounts"].([]any), map[string]any{
		"destination": "/shared", "type": "bind", "source": e.shared, "options": []any{"rbind", "rw"},
	})
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	e.spec = b
	return e
}

// seccompFor is a linux.seccomp that notifies names (and execve) to the
// agent on sock, with metadata.
func agentSeccomp(sock, metadata string, names ...string) map[string]any {
	s := map[string]any{
		"defaultAction":    "SCMP_ACT_ALLOW",
		"listenerPath":     sock,
		"listenerMetadata": metadata,
		"syscalls": []any{map[string]any{
			"names": append([]string{"execve"}, names...), "action": "SCMP_ACT_NOTIFY",
		}},
	}
	if archs := nativeArchitectures(); archs != nil {
		s["architectures"] = archs
	}
	return s
}

// agentContainer is one container being run by a runtime.
type agentRun struct {
	id       string
	cmd      *exec.Cmd
	out, err bytes.Buffer
	cancel   context.CancelFunc
}

// start starts args in a new container of the runtime (e.runc or e.crun)
// under seccomp; it is deleted when the test ends.
func (e *agentEnv) start(t *testing.T, runtime string, seccomp map[string]any, args ...string) *agentRun {
	t.Helper()
	e.n++
	r := &agentRun{id: fmt.Sprintf("syscage-agent-%d-%d", os.Getpid(), e.n)}
	var spec map[string]any
	if err := json.Unmarshal(e.spec, &spec); err != nil {
		t.Fatal(err)
	}
	spec["process"].(map[string]any)["args"] = args
	spec["linux"].(map[string]any)["seccomp"] = seccomp
	bundle := filepath.Join(e.dir, "bundles", r.id)
	containerMkdir(t, bundle)
	b, err := json.MarshalIndent(spec, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	containerWrite(t, filepath.Join(bundle, "config.json"), string(b))
	global := []string{"--root", filepath.Join(e.dir, "state-"+filepath.Base(runtime))}
	if runtime == e.crun {
		// crun 1.8 cannot use the machine's hybrid cgroup layout with a
		// cgroup manager; the test needs no cgroup limits.
		global = append(global, "--cgroup-manager=disabled")
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		exec.CommandContext(ctx, runtime, append(global, "delete", "-f", r.id)...).Run()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	r.cancel = cancel
	r.cmd = exec.CommandContext(ctx, runtime, append(global, "run", "--bundle", bundle, r.id)...)
	r.cmd.Stdout, r.cmd.Stderr = &r.out, &r.err
	r.cmd.WaitDelay = 2 * time.Second
	if err := r.cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	return r
}

// wait waits for the container's runtime and returns what it printed.
func (r *agentRun) wait(t *testing.T) result {
	t.Helper()
	defer r.cancel()
	err := r.cmd.Wait()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("container %s: %v\n%s", r.id, err, r.err.String())
	}
	if code < 0 {
		t.Fatalf("container %s: killed (timeout?)\nstdout:\n%s\nstderr:\n%s", r.id, r.out.String(), r.err.String())
	}
	return result{r.out.String(), r.err.String(), code}
}

func (e *agentEnv) run(t *testing.T, runtime string, seccomp map[string]any, args ...string) (string, result) {
	t.Helper()
	r := e.start(t, runtime, seccomp, args...)
	return r.id, r.wait(t)
}

// agentCrunCgroups lets crun 1.8 run on this machine's hybrid cgroup
// layout: it refuses one where cgroup2 (/sys/fs/cgroup/unified) still has
// controllers, here hugetlb. Each is moved to a v1 hierarchy of its own
// for the test, and moved back after.
func agentCrunCgroups(t *testing.T) {
	t.Helper()
	var st unix.Statfs_t
	if err := unix.Statfs("/sys/fs/cgroup", &st); err != nil || st.Type == unix.CGROUP2_SUPER_MAGIC {
		return // no cgroup fs, or pure cgroup2: nothing to move
	}
	b, err := os.ReadFile("/sys/fs/cgroup/unified/cgroup.controllers")
	if err != nil {
		return // no cgroup2 beside v1: not hybrid
	}
	for _, ctl := range strings.Fields(string(b)) {
		dir := filepath.Join("/sys/fs/cgroup", ctl)
		made := false
		if err := os.Mkdir(dir, 0o755); err == nil {
			made = true
		} else if !errors.Is(err, os.ErrExist) {
			t.Fatalf("crun needs cgroup2 without controllers: mkdir %s: %v", dir, err)
		}
		if err := unix.Mount("cgroup", dir, "cgroup", 0, ctl); err != nil {
			if made {
				os.Remove(dir)
			}
			t.Fatalf("crun needs cgroup2 without controllers: mount -t cgroup -o %s cgroup %s: %v", ctl, dir, err)
		}
		t.Logf("moved the %s controller to a cgroup v1 hierarchy at %s for crun", ctl, dir)
		t.Cleanup(func() {
			if err := unix.Unmount(dir, 0); err != nil {
				t.Errorf("umount %s: %v", dir, err)
			}
			if made {
				os.Remove(dir)
			}
		})
	}
}

// traceHasLine reports whether a text trace of the agent has a line whose
// prefix is "HOSTTID/CONTAINERTID" and whose call is want; it returns the
// two ids.
func agentTraceLine(trace, want string) (host, inner int, ok bool) {
	re := regexp.MustCompile(`^(\d+)/(\d+) +(.*)$`)
	fold := regexp.MustCompile(`\) +=( |$)`)
	for _, l := range strings.Split(trace, "\n") {
		m := re.FindStringSubmatch(l)
		if m != nil && fold.ReplaceAllString(m[3], ") =$1") == want {
			host, _ = strconv.Atoi(m[1])
			inner, _ = strconv.Atoi(m[2])
			return host, inner, true
		}
	}
	return 0, 0, false
}

const (
	agentInjected  = `openat(AT_FDCWD, "/etc/hello", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`
	agentCatScript = `cat /etc/hello; echo "cat exit $?"; echo still works`
)

// checkHidden checks a container that ran agentCatScript under hide-hello.
func checkHidden(t *testing.T, r result) {
	t.Helper()
	if r.code != 0 || r.stdout != "cat exit 1\nstill works\n" {
		t.Errorf("container: exit %d, stdout %q, want cat's exit 1 and echo's line\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if want := "cat: can't open '/etc/hello': No such file or directory"; !containsLine(r.stderr, want) {
		t.Errorf("container stderr %q, want %q", r.stderr, want)
	}
}

func TestAgentContainers(t *testing.T) {
	requireUserNotif(t)
	if os.Geteuid() != 0 {
		t.Skip("runc and crun run rootful containers only as root (euid is not 0)")
	}
	start := time.Now()
	e := newAgentEnv(t)
	sock := filepath.Join(e.dir, "run", "agent.sock")
	out := filepath.Join(e.dir, "out")
	a := startAgent(t, sock, out, "--scenario", e.scenarios["hide-hello"], "--scenario", e.scenarios["hide-other"])
	if st, err := os.Stat(sock); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("socket %s: %v, mode %v, want 0600", sock, err, st.Mode())
	}
	base := a.status(t)

	t.Run("runc", func(t *testing.T) {
		id, r := e.run(t, e.runc, agentSeccomp(sock, "scenario=hide-hello", "open", "openat"), "sh", "-c", agentCatScript)
		checkHidden(t, r)
		rep := waitReport(t, out, id)
		trace := readFile(t, filepath.Join(out, id+".trace"))
		t.Logf("runc container %s, trace:\n%s", id, trace)
		host, inner, ok := agentTraceLine(trace, agentInjected)
		if !ok {
			t.Errorf("no line %q with a HOST/CONTAINER pid prefix in the trace", agentInjected)
		} else if host == inner || inner == 0 {
			t.Errorf("the injected line's prefix %d/%d: want the container's own pid after the slash", host, inner)
		}
		if !regexp.MustCompile(`(?m)^\d+/1 +execve\("/bin/sh", \["sh", "-c", `).MatchString(trace) {
			t.Errorf("no execve of /bin/sh by the container's pid 1 in the trace")
		}
		if len(rep.Rules) != 1 || rep.Rules[0].Name != "hide-hello" || rep.Rules[0].Fired != 1 || !rep.Complete ||
			rep.Container.ID != id || rep.Container.Metadata != "scenario=hide-hello" || rep.Trace != id+".trace" {
			t.Errorf("report: %+v", rep)
		}
		a.waitLog(t, 0, "container "+id+": exited; 1 faults injected; report "+id+".report.json")
	})

	t.Run("crun", func(t *testing.T) {
		agentCrunCgroups(t)
		// crun sends the fd from a helper process that the filter does not
		// cover: unlike runc, it accepts SCMP_ACT_NOTIFY on write.
		id, r := e.run(t, e.crun, agentSeccomp(sock, "scenario=hide-hello;format=json", "open", "openat", "write"), "sh", "-c", agentCatScript)
		checkHidden(t, r)
		rep := waitReport(t, out, id)
		trace := readFile(t, filepath.Join(out, id+".jsonl"))
		t.Logf("crun container %s, trace:\n%s", id, trace)
		found := false
		for _, line := range strings.Split(strings.TrimSpace(trace), "\n") {
			var ev struct {
				Pid          int    `json:"pid"`
				Syscall      string `json:"syscall"`
				Text         string `json:"text"`
				Result       string `json:"result"`
				Rule         string `json:"rule"`
				ContainerPid int    `json:"container_pid"`
				ContainerTid int    `json:"container_tid"`
			}
			if err := json.Unmarshal([]byte(line), &ev); err != nil {
				t.Fatalf("trace line %q: %v", line, err)
			}
			if ev.Text == `openat(AT_FDCWD, "/etc/hello", O_RDONLY)` && ev.Result == "-1 ENOENT (No such file or directory) (INJECTED)" && ev.Rule == "hide-hello" {
				found = true
				if ev.ContainerPid == 0 || ev.ContainerPid == ev.Pid || ev.ContainerTid != ev.ContainerPid {
					t.Errorf("injected call: pid %d, container_pid %d, container_tid %d: want the container's own ids", ev.Pid, ev.ContainerPid, ev.ContainerTid)
				}
			}
		}
		if !found {
			t.Errorf("no injected openat of /etc/hello in the JSON trace")
		}
		if !strings.Contains(trace, `"text":"write(1, \"still works\\n\", 12)"`) {
			t.Errorf("no write of echo in the JSON trace")
		}
		if len(rep.Rules) != 1 || rep.Rules[0].Fired != 1 || !rep.Complete || rep.Trace != id+".jsonl" {
			t.Errorf("report: %+v", rep)
		}
	})

	t.Run("two-at-once", func(t *testing.T) {
		// Each container opens both files, then waits for /shared/go: both
		// are supervised at the same time, each with its own scenario.
		script := `cat /etc/hello; cat /etc/other; until [ -e /shared/go ]; do sleep 0.05; done; echo done`
		ra := e.start(t, e.runc, agentSeccomp(sock, "scenario=hide-hello", "openat"), "sh", "-c", script)
		rb := e.start(t, e.runc, agentSeccomp(sock, "scenario=hide-other;format=json", "openat"), "sh", "-c", script)
		deadline := time.Now().Add(15 * time.Second)
		for {
			ta, _ := os.ReadFile(filepath.Join(out, ra.id+".trace"))
			tb, _ := os.ReadFile(filepath.Join(out, rb.id+".jsonl"))
			if bytes.Contains(ta, []byte(`"/etc/hello", O_RDONLY) = -1 ENOENT`)) && bytes.Contains(tb, []byte(`"/etc/other\", O_RDONLY)","result":"-1 ENOENT`)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the two containers were not both traced in 15 s\nA:\n%s\nB:\n%s\nlog:\n%s", ta, tb, a.logText())
			}
			time.Sleep(50 * time.Millisecond)
		}
		if st := a.status(t); st.containers != 2 {
			t.Errorf("agent status while both run: %+v, want 2 containers", st)
		}
		containerWrite(t, filepath.Join(e.shared, "go"), "")
		defer os.Remove(filepath.Join(e.shared, "go"))
		r1, r2 := ra.wait(t), rb.wait(t)
		if r1.code != 0 || r1.stdout != "another file\ndone\n" || !strings.Contains(r1.stderr, "can't open '/etc/hello'") || strings.Contains(r1.stderr, "/etc/other") {
			t.Errorf("container A (hide-hello): exit %d, stdout %q, stderr %q", r1.code, r1.stdout, r1.stderr)
		}
		if r2.code != 0 || r2.stdout != "hello from the container\ndone\n" || !strings.Contains(r2.stderr, "can't open '/etc/other'") || strings.Contains(r2.stderr, "/etc/hello") {
			t.Errorf("container B (hide-other): exit %d, stdout %q, stderr %q", r2.code, r2.stdout, r2.stderr)
		}
		repA, repB := waitReport(t, out, ra.id), waitReport(t, out, rb.id)
		if len(repA.Rules) != 1 || repA.Rules[0].Name != "hide-hello" || repA.Rules[0].Fired != 1 {
			t.Errorf("report A: %+v", repA)
		}
		if len(repB.Rules) != 1 || repB.Rules[0].Name != "hide-other" || repB.Rules[0].Fired != 1 || len(repB.Unmet) != 0 {
			t.Errorf("report B: %+v", repB)
		}
	})

	t.Run("profile", func(t *testing.T) {
		// syscage profile's output, as it is, as config.json's linux.seccomp.
		prof := filepath.Join(e.dir, "profile.json")
		r := syscage(t, 20*time.Second, "profile", "--scenario", e.scenarios["hide-hello"], "--listener", sock, "-o", prof)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("syscage profile: exit %d\n%s", r.code, r.stderr)
		}
		var seccomp map[string]any
		if err := json.Unmarshal([]byte(readFile(t, prof)), &seccomp); err != nil {
			t.Fatal(err)
		}
		id, cr := e.run(t, e.runc, seccomp, "sh", "-c", agentCatScript)
		checkHidden(t, cr)
		rep := waitReport(t, out, id)
		if len(rep.Rules) != 1 || rep.Rules[0].Fired != 1 || rep.Container.Metadata != "scenario=hide-hello" {
			t.Errorf("report: %+v", rep)
		}
		if _, _, ok := agentTraceLine(readFile(t, filepath.Join(out, id+".trace")), agentInjected); !ok {
			t.Errorf("no line %q in the trace", agentInjected)
		}
	})

	t.Run("runc-rules", func(t *testing.T) {
		// What docs/kubernetes.md and syscage profile say of runc: it
		// refuses SCMP_ACT_NOTIFY on write, and does not start a container
		// whose agent is not there.
		_, r := e.run(t, e.runc, agentSeccomp(sock, "", "openat", "write"), "true")
		if r.code == 0 || !strings.Contains(r.stderr, "SCMP_ACT_NOTIFY cannot be used for the write syscall") {
			t.Errorf("runc with write notified: exit %d\n%s", r.code, r.stderr)
		}
		_, r = e.run(t, e.runc, agentSeccomp(filepath.Join(e.dir, "no-agent.sock"), "", "openat"), "true")
		if r.code == 0 || !strings.Contains(r.stderr, "failed to connect with seccomp agent") {
			t.Errorf("runc without an agent: exit %d\n%s", r.code, r.stderr)
		}
	})

	t.Run("unknown-scenario", func(t *testing.T) {
		// Refused: the listener is closed, so the container's notified
		// calls fail with ENOSYS; the agent serves on.
		from := len(a.logText())
		id, r := e.run(t, e.runc, agentSeccomp(sock, "scenario=/etc/passwd", "openat"), "cat", "/etc/hello")
		line := a.waitLog(t, from, "refused container "+id)
		if !strings.Contains(line, `no scenario named "/etc/passwd" was loaded`) {
			t.Errorf("refusal: %s", line)
		}
		if r.code == 0 || strings.Contains(r.stdout, "hello") {
			t.Errorf("refused container: exit %d, stdout %q: want its notified calls to fail", r.code, r.stdout)
		}
		if rep := waitReport(t, out, id); rep.Error == "" || rep.Complete || rep.Unmet == nil {
			t.Errorf("report of a refused container (unmet [], not null): %+v", rep)
		}
	})

	a.settles(t, base)

	t.Run("restart", func(t *testing.T) {
		a.stop(t)
		a2 := startAgent(t, sock, out, "--scenario", e.scenarios["hide-other"])
		id, r := e.run(t, e.runc, agentSeccomp(sock, "scenario=hide-other", "openat"), "sh", "-c", "cat /etc/other; cat /etc/hello")
		if r.stdout != "hello from the container\n" || !strings.Contains(r.stderr, "can't open '/etc/other': No such file or directory") {
			t.Errorf("after a restart: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
		if rep := waitReport(t, out, id); len(rep.Rules) != 1 || rep.Rules[0].Fired != 1 {
			t.Errorf("report after a restart: %+v", rep)
		}
		// An agent killed outright leaves its socket: the next one
		// replaces it.
		a2.cmd.Process.Kill()
		<-a2.done
		if _, err := os.Lstat(sock); err != nil {
			t.Fatalf("a killed agent's socket: %v", err)
		}
		startAgent(t, sock, out, "--scenario", e.scenarios["hide-hello"])
		_, r = e.run(t, e.runc, agentSeccomp(sock, "", "openat"), "sh", "-c", agentCatScript)
		checkHidden(t, r)
	})
	t.Logf("containers under the agent: %v", time.Since(start))
}

// agentSend connects to the agent's socket, sends payload with fds, and
// waits until the agent closes the connection.
func agentSend(t *testing.T, sock string, payload []byte, fds ...int) {
	t.Helper()
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var oob []byte
	if len(fds) > 0 {
		oob = unix.UnixRights(fds...)
	}
	if len(payload) > 0 || oob != nil {
		if _, _, err := c.WriteMsgUnix(payload, oob, nil); err != nil {
			t.Fatal(err)
		}
	}
	c.CloseWrite()
	c.SetReadDeadline(time.Now().Add(15 * time.Second))
	var b [1]byte
	if _, err := c.Read(b[:]); err == nil {
		t.Fatalf("the agent answered %q: it should send nothing", b[:])
	}
}

func TestAgentRefusals(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "agent.sock")
	sc := filepath.Join(dir, "hide-hello.yaml")
	containerWrite(t, sc, agentHideHello)
	a := startAgent(t, sock, filepath.Join(dir, "out"), "--scenario", sc)
	if st, err := os.Stat(sock); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("socket %s: %v, mode %v, want 0600", sock, err, st.Mode())
	}
	base := a.status(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	pipe := int(pr.Fd())
	valid := func(id string) []byte {
		return fmt.Appendf(nil, `{"ociVersion":"1.0.2","fds":["seccompFd"],"pid":1,"state":{"ociVersion":"1.0.2","id":%q,"status":"creating","pid":1,"bundle":"/b"}}`, id)
	}
	for _, tc := range []struct {
		name    string
		payload []byte
		fds     []int
		want    string
	}{
		{"not-json", []byte("hello agent"), []int{pipe}, `not JSON: "hello agent"`},
		{"not-a-state", []byte(`["seccompFd"]`), []int{pipe}, "not a container process state"},
		{"not-a-listener", valid("c1"), []int{pipe}, `the fd sent as seccompFd is "pipe:[`},
		{"no-fd", valid("c2"), nil, `"fds" names 1 fds, 0 were sent`},
		{"two-fds", valid("c3"), []int{pipe, pipe}, `"fds" names 1 fds, 2 were sent`},
		{"no-seccompFd", []byte(`{"fds":["other"],"state":{"id":"c4"}}`), []int{pipe}, `no "seccompFd" in "fds"`},
		{"bad-id", valid("../../etc/cron.d/x"), []int{pipe}, `container id "../../etc/cron.d/x" cannot name a file`},
		{"nothing", nil, nil, "closed the connection without a message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from := len(a.logText())
			agentSend(t, sock, tc.payload, tc.fds...)
			line := a.waitLog(t, from, "refused a message")
			if !strings.Contains(line, tc.want) {
				t.Errorf("refusal %q, want it to say %q", line, tc.want)
			}
		})
	}
	t.Run("peer", func(t *testing.T) {
		// The socket is 0600; past that (here opened to all for the test),
		// SO_PEERCRED refuses a peer that is neither root nor the agent's
		// user.
		if os.Geteuid() != 0 {
			t.Skip("only root can connect as another user (euid is not 0)")
		}
		// Debian's python3: one under /root (pyenv) cannot run as nobody.
		python := "/usr/bin/python3"
		if _, err := os.Stat(python); err != nil {
			t.Fatalf("%s: %v: apt-get install python3 (.ci/run installs it)", python, err)
		}
		// An agent of its own, on a socket nobody can reach but through a
		// world-readable directory.
		open, err := os.MkdirTemp("", "syscage-agent-peer-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(open)
		if err := os.Chmod(open, 0o755); err != nil {
			t.Fatal(err)
		}
		sock := filepath.Join(open, "agent.sock")
		a := startAgent(t, sock, filepath.Join(dir, "out-peer"), "--scenario", sc)
		if err := os.Chmod(sock, 0o666); err != nil {
			t.Fatal(err)
		}
		from := len(a.logText())
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, python, "-c", `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
try:
    s.sendmsg([sys.argv[2].encode()], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, bytes(4))])
    s.shutdown(socket.SHUT_WR)
    got = s.recv(1)
except (BrokenPipeError, ConnectionResetError):  # the agent closed first
    got = b""
sys.exit(0 if got == b"" else 1)
`, sock, string(valid("c5")))
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("python3 as uid 65534: %v\n%s", err, out)
		}
		line := a.waitLog(t, from, "refused a connection")
		if !strings.Contains(line, "uid 65534: neither root nor the agent's user (uid 0)") {
			t.Errorf("refusal %q", line)
		}
		a.stop(t)
	})
	a.settles(t, base)
}

// The agent's listenerMetadata: scenarios only by the names loaded.
func TestAgentMetadata(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, text := range []string{agentHideHello, agentHideOther} {
		f := filepath.Join(dir, fmt.Sprintf("%d.yaml", i))
		containerWrite(t, f, text)
		files = append(files, f)
	}
	a, err := newAgent(agentOptions{listen: "x", scenarios: append(files, "config-missing"), format: "text", trace: "all", outDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		metadata  string
		scenarios string
		format    string
		trace     string
		err       string
	}{
		{"", "hide-hello hide-other config-missing", "text", "all", ""},
		{"scenario=hide-hello", "hide-hello", "text", "all", ""},
		{"scenario=config-missing,hide-other;format=json", "config-missing hide-other", "json", "all", ""},
		{" scenario = hide-other ; trace=openat,close ", "hide-other", "text", "openat,close", ""},
		{"scenario=", "", "text", "all", ""},
		{"scenario=" + files[0], "", "", "", "no scenario named"},
		{"scenario=disk-full", "", "", "", `no scenario named "disk-full" was loaded`},
		{"format=xml", "", "", "", `format "xml"`},
		{"colour=red", "", "", "", `unknown key "colour"`},
		{"scenario", "", "", "", "want KEY=VALUE"},
		{"format=json;format=text", "", "", "", "format given twice"},
		{"trace=nosuchcall", "", "", "", "nosuchcall"},
	} {
		sel, err := a.selection(tc.metadata)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("metadata %q: error %v, want one with %q", tc.metadata, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("metadata %q: %v", tc.metadata, err)
			continue
		}
		var names []string
		for _, sc := range sel.scenarios {
			names = append(names, sc.Name)
		}
		if got := strings.Join(names, " "); got != tc.scenarios || sel.format != tc.format || sel.traceExpr != tc.trace {
			t.Errorf("metadata %q: scenarios %q, format %s, trace %s; want %q, %s, %s", tc.metadata, got, sel.format, sel.traceExpr, tc.scenarios, tc.format, tc.trace)
		}
	}
	// Two loaded scenarios of the same name would make a name ambiguous.
	if _, err := newAgent(agentOptions{listen: "x", scenarios: []string{files[0], files[0]}, format: "text", trace: "all"}); err == nil || !strings.Contains(err.Error(), "already taken") {
		t.Errorf("the same scenario name twice: %v", err)
	}
}

// The container's pid in the text prefix and in JSON.
func TestAgentNSPidSink(t *testing.T) {
	// This test process has one pid namespace: NSpid has one entry, and
	// lines stay as the inner sinks write them.
	pid := os.Getpid()
	if _, ok := nsPid(pid); !ok {
		t.Fatalf("no NSpid line in /proc/%d/status", pid)
	}
	var text bytes.Buffer
	s := newNSPidSink(&text, false)
	s.ns.m = map[int]int{pid: 0, 4242: 7}
	s.Call(&supervisor.Event{Pid: pid, Tid: pid, Name: "getpid", Text: "getpid()", Result: "?"})
	s.Call(&supervisor.Event{Pid: 4242, Tid: 4242, Name: "getpid", Text: "getpid()", Result: "?"})
	s.Call(&supervisor.Event{Pid: 4242, Tid: 4242, Name: "openat", Text: `openat(AT_FDCWD, "/etc/hello", O_RDONLY)`, Result: "-1 ENOENT (No such file or directory) (INJECTED)"})
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	// strace's column for " = " (40) holds with the longer prefix too.
	want := fmt.Sprintf("%-40s= ?\n", fmt.Sprintf("%-5d getpid() ", pid)) +
		"4242/7 getpid()                         = ?\n" +
		"4242/7 openat(AT_FDCWD, \"/etc/hello\", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)\n"
	if text.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", text.String(), want)
	}
	var js bytes.Buffer
	s = newNSPidSink(&js, true)
	s.ns.m = map[int]int{4242: 7, 4243: 8}
	s.Call(&supervisor.Event{Pid: 4242, Tid: 4243, Name: "getpid", Text: "getpid()", Result: "?"})
	s.Flush()
	var obj map[string]any
	if err := json.Unmarshal(js.Bytes(), &obj); err != nil {
		t.Fatalf("%q: %v", js.String(), err)
	}
	if obj["pid"] != 4242.0 || obj["tid"] != 4243.0 || obj["container_pid"] != 7.0 || obj["container_tid"] != 8.0 {
		t.Errorf("JSON line %s", js.String())
	}
}

// A peer that connects and says nothing until the deadline gets its
// connection refused; the agent goes on (the failed read's -1 count used
// to be sliced, and the panic took the agent down).
func TestAgentSilentPeer(t *testing.T) {
	saved := agentReadTimeout
	agentReadTimeout = 50 * time.Millisecond
	defer func() { agentReadTimeout = saved }()
	pair, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(pair[1])
	f := os.NewFile(uintptr(pair[0]), "agent-end")
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msg, listener, err := readRuntimeMessage(c.(*net.UnixConn))
	if msg != nil || listener != -1 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("got %v, %d, %v; want the deadline's error", msg, listener, err)
	}
}
