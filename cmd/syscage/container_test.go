package main

// Inside a container where ptrace is blocked (issue 5): Debian's runc runs a
// busybox-static rootfs under a seccomp profile that, as Docker's default
// profile does for a container without CAP_SYS_PTRACE, answers ptrace,
// process_vm_readv, process_vm_writev and pidfd_getfd with EPERM. strace
// cannot attach there; syscage-static traces and injects faults, reading
// the tracee's memory through /proc/PID/mem.

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// containerHideHello makes every open of /etc/hello fail with ENOENT.
const containerHideHello = `version: 1
name: hide-hello
description: /etc/hello cannot be opened although it is there.
rules:
  - name: hide-hello
    syscalls: [open, openat]
    path: /etc/hello
    error: ENOENT
`

// containerBlocked are the calls the profile refuses with EPERM.
var containerBlocked = []string{"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd"}

// The vfork reproducer: a parent whose string at a fixed address differs
// from its child's. The child, still sharing the parent's memory after
// vfork, opens /dev/null (as posix_spawn's file actions and Go's os/exec
// child do), then execs a program that opens the string at that same
// address. Both are static and not PIE, as busybox-static and Go programs
// are.
const (
	containerVforkParent = `#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
__attribute__((section(".fixedstr"))) const char s[] = "/etc/PARENT-STRING";
int main(void) {
	char *argv[] = {"vfork-child", 0}, *envp[] = {0};
	pid_t p = vfork();
	if (p == 0) {
		open("/dev/null", O_RDONLY);
		execve("/vfork-child", argv, envp);
		_exit(127);
	}
	int st;
	waitpid(p, &st, 0);
	printf("parent %s: child status %d\n", s, WEXITSTATUS(st));
	return 0;
}
`
	containerVforkChild = `#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
__attribute__((section(".fixedstr"))) const char s[] = "/etc/hello";
int main(void) {
	int fd = open(s, O_RDONLY);
	printf("child: open %s: %s\n", s, fd < 0 ? strerror(errno) : "ok");
	return 0;
}
`
)

func TestContainerPtraceBlocked(t *testing.T) {
	requireUserNotif(t)
	if os.Geteuid() != 0 {
		t.Skip("runc runs a rootful container only as root (euid is not 0)")
	}
	c := newContainerBundle(t)

	// The container works, and the file is there.
	r := c.run(t, true, "cat", "/etc/hello")
	if r.code != 0 || r.stdout != "hello from the container\n" {
		t.Fatalf("plain cat /etc/hello in the container: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	t.Run("strace-refused", func(t *testing.T) {
		r := c.run(t, true, "strace", "-f", "true")
		t.Logf("strace -f true in the container: exit %d\n%s", r.code, r.stderr)
		if r.code == 0 {
			t.Errorf("strace -f true worked in the container: the profile does not block ptrace\n%s", r.stderr)
		}
		if !containerHasLine(r.stderr, "strace: ", "PTRACE_", "Operation not permitted") {
			t.Errorf("strace -f true: exit %d; want a line \"strace: ...PTRACE_...: Operation not permitted\" in:\n%s", r.code, r.stderr)
		}
		// The control: the same rootfs without the profile and with
		// CAP_SYS_PTRACE. The strace copied in works there, so the failure
		// above is the profile's.
		r = c.run(t, false, "strace", "-f", "-e", "trace=execve", "true")
		if r.code != 0 || !strings.Contains(r.stderr, `execve("/bin/true", ["true"]`) {
			t.Errorf("control: strace in the container without the profile: exit %d\n%s", r.code, r.stderr)
		}
	})

	t.Run("features", func(t *testing.T) {
		// process_vm_readv and pidfd_getfd are refused: syscage reads
		// tracee memory through /proc/PID/mem.
		r := c.run(t, true, "/syscage", "features")
		t.Logf("syscage features in the container:\n%s", r.stdout)
		if r.code != 0 {
			t.Errorf("syscage features: exit %d\n%s", r.code, r.stderr)
		}
		for _, want := range []string{
			"user notification (5.0)     yes",
			"CONTINUE (5.5)              yes",
			"process_vm_readv allowed    no",
			"pidfd_getfd allowed         no",
		} {
			if !containsLine(r.stdout, want) {
				t.Errorf("syscage features: no line %q in:\n%s", want, r.stdout)
			}
		}
		if !containerHasLine(r.stdout, "syscage uses ", "", "/proc/PID/mem") || strings.Contains(r.stdout, "probe error") {
			t.Errorf("syscage features: want it to use /proc/PID/mem, without a probe error:\n%s", r.stdout)
		}
	})

	t.Run("inject", func(t *testing.T) {
		// cat is told /etc/hello is missing; the trace, written to a file
		// in the container, says why.
		r := c.run(t, true, "sh", "-c", `/syscage run -o /tmp/trace -e trace=open,openat --scenario /etc/syscage/hide-hello.yaml -- cat /etc/hello; echo "exit $?"; echo ---; cat /tmp/trace`)
		stdout, trace, _ := strings.Cut(r.stdout, "---\n")
		t.Logf("syscage run -- cat /etc/hello under hide-hello: stderr %q, trace:\n%s", r.stderr, trace)
		if r.code != 0 || stdout != "exit 1\n" {
			t.Errorf("syscage run -- cat /etc/hello under hide-hello: stdout %q, want cat's \"exit 1\" only (container exit %d)", stdout, r.code)
		}
		if want := "cat: can't open '/etc/hello': No such file or directory\n"; r.stderr != want {
			t.Errorf("stderr %q, want only busybox cat's %q", r.stderr, want)
		}
		if want := `openat(AT_FDCWD, "/etc/hello", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`; !containsLine(trace, want) {
			t.Errorf("no line %q in the trace:\n%s", want, trace)
		}
		if lines := traceLines(trace); stripPid(lines[len(lines)-1]) != "+++ exited with 1 +++" {
			t.Errorf("trace does not end with +++ exited with 1 +++:\n%s", trace)
		}

		// A shipped scenario by name, embedded in the static binary.
		r = c.run(t, true, "/syscage", "run", "-e", "trace=openat", "--scenario", "config-missing", "--", "cat", "/etc/syscage-demo/app.yaml")
		if r.code != 1 || r.stdout != "" {
			t.Errorf("config-missing: exit %d, stdout %q, want 1 and nothing\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{
			`openat(AT_FDCWD, "/etc/syscage-demo/app.yaml", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`,
			"cat: can't open '/etc/syscage-demo/app.yaml': No such file or directory",
		} {
			if !containsLine(r.stderr, want) {
				t.Errorf("config-missing: no line %q in:\n%s", want, r.stderr)
			}
		}
	})

	t.Run("let-through", func(t *testing.T) {
		// Calls let through run as before: echo writes, cat reads the file.
		r := c.run(t, true, "/syscage", "run", "-e", "trace=write", "--", "echo", "hello")
		if r.code != 0 || r.stdout != "hello\n" {
			t.Errorf("syscage run -- echo hello: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
		}
		if want := `write(1, "hello\n", 6) = ?`; !containsLine(r.stderr, want) {
			t.Errorf("no line %q in:\n%s", want, r.stderr)
		}
		r = c.run(t, true, "/syscage", "run", "-e", "trace=openat", "--", "cat", "/etc/hello")
		if r.code != 0 || r.stdout != "hello from the container\n" {
			t.Errorf("syscage run -- cat /etc/hello without a scenario: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
		}
		if want := `openat(AT_FDCWD, "/etc/hello", O_RDONLY) = ?`; !containsLine(r.stderr, want) {
			t.Errorf("no line %q in:\n%s", want, r.stderr)
		}
	})

	t.Run("vfork-child-after-exec", func(t *testing.T) {
		// The /proc/PID/mem fallback must read the memory a thread has now,
		// not the memory it shared with its vfork parent when the file was
		// opened. process_vm_readv (the control, without the profile) always
		// does.
		args := []string{"/syscage", "run", "-e", "trace=openat", "--scenario", "/etc/syscage/hide-hello.yaml", "--", "/vfork-parent"}
		want := `openat(AT_FDCWD, "/etc/hello", O_RDONLY) = -1 ENOENT (No such file or directory) (INJECTED)`
		for _, blocked := range []bool{false, true} {
			r := c.run(t, blocked, args...)
			if r.code != 0 || !strings.Contains(r.stdout, "child: open /etc/hello: No such file or directory\n") || !containerTraceHas(r.stderr, want) {
				t.Errorf("ptrace blocked=%v: the vfork child's exec'd program read /etc/hello although the scenario hides it;"+
					" want %q in the trace (exit %d):\nstdout:\n%s\ntrace:\n%s", blocked, want, r.code, r.stdout, r.stderr)
			}
		}
	})
}

// containerBundle is a runc bundle with a busybox-static rootfs.
type containerBundle struct {
	runc, bundle, state string
	spec                map[string]any
	caps                map[string]any // without CAP_SYS_PTRACE
	seccomp             map[string]any // the ptrace-blocking profile
	n                   int
}

func newContainerBundle(t *testing.T) *containerBundle {
	t.Helper()
	runc := containerLookPath(t, "runc", "/usr/sbin/runc", "apt-get install runc (.ci/run installs it)")
	busybox := containerLookPath(t, "busybox", "/bin/busybox", "apt-get install busybox-static (.ci/run installs it)")
	if !containerIsStatic(t, busybox) {
		t.Fatalf("%s is dynamically linked: apt-get install busybox-static (.ci/run installs it)", busybox)
	}
	strace := containerLookPath(t, "strace", "/usr/bin/strace", "apt-get install strace (.ci/run installs it)")
	gcc := containerLookPath(t, "gcc", "/usr/bin/gcc", "apt-get install gcc (.ci/run installs it)")

	dir := t.TempDir()
	c := &containerBundle{runc: runc, bundle: filepath.Join(dir, "bundle"), state: filepath.Join(dir, "runc-state")}
	rootfs := filepath.Join(c.bundle, "rootfs")

	// syscage-static, built as `make static` builds it, straight into the rootfs.
	syscageStatic := filepath.Join(rootfs, "syscage")
	containerBuildStatic(t, syscageStatic)
	if !containerIsStatic(t, syscageStatic) {
		t.Fatalf("syscage-static is dynamically linked")
	}

	// The rootfs: busybox, /etc/hello, the scenario, the vfork reproducer,
	// and strace with the shared libraries it needs at their host paths.
	for _, d := range []string{"bin", "etc/syscage", "etc/syscage-demo", "proc", "dev", "sys", "tmp"} {
		containerMkdir(t, filepath.Join(rootfs, d))
	}
	containerCopy(t, busybox, filepath.Join(rootfs, "bin", "busybox"))
	for _, applet := range []string{"sh", "cat", "echo", "ls", "true"} {
		if err := os.Symlink("busybox", filepath.Join(rootfs, "bin", applet)); err != nil {
			t.Fatal(err)
		}
	}
	containerWrite(t, filepath.Join(rootfs, "etc", "hello"), "hello from the container\n")
	containerWrite(t, filepath.Join(rootfs, "etc", "syscage", "hide-hello.yaml"), containerHideHello)
	containerWrite(t, filepath.Join(rootfs, "etc", "syscage-demo", "app.yaml"), "port: 8080\n")
	containerCopy(t, strace, filepath.Join(rootfs, "usr", "bin", "strace"))
	for _, lib := range containerSharedLibs(t, strace) {
		containerCopy(t, lib, filepath.Join(rootfs, lib))
	}
	for name, src := range map[string]string{"vfork-parent": containerVforkParent, "vfork-child": containerVforkChild} {
		csrc := filepath.Join(dir, name+".c")
		containerWrite(t, csrc, src)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		out, err := exec.CommandContext(ctx, gcc, "-static", "-no-pie", "-O1",
			"-Wl,--section-start=.fixedstr=0x800000", "-o", filepath.Join(rootfs, name), csrc).CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("gcc %s: %v\n%s", name, err, out)
		}
	}

	// config.json: runc's default spec (no CAP_SYS_PTRACE in any set; pid,
	// mount, network, ipc and uts namespaces; /proc, /dev, /sys), made
	// non-interactive, with a tmpfs on /tmp and the ptrace-blocking profile.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, runc, "spec", "--bundle", c.bundle).CombinedOutput(); err != nil {
		t.Fatalf("runc spec: %v\n%s", err, out)
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(c.bundle, "config.json"))), &c.spec); err != nil {
		t.Fatal(err)
	}
	process := c.spec["process"].(map[string]any)
	process["terminal"] = false
	c.caps = process["capabilities"].(map[string]any)
	for set, list := range c.caps {
		var kept []any
		for _, name := range list.([]any) {
			if name != "CAP_SYS_PTRACE" {
				kept = append(kept, name)
			}
		}
		c.caps[set] = kept
	}
	c.spec["mounts"] = append(c.spec["mounts"].([]any), map[string]any{
		"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
		"options": []any{"nosuid", "nodev", "mode=1777", "size=65536k"},
	})
	c.seccomp = map[string]any{
		"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": []any{map[string]any{
			"names": containerBlocked, "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
		}},
	}
	if runtime.GOARCH == "amd64" {
		c.seccomp["architectures"] = []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}
	}
	return c
}

// run runs args as the process of a new container of the bundle, with a
// unique id, deleted when t ends. blocked says whether the ptrace-blocking
// profile applies; without it the process also has CAP_SYS_PTRACE.
func (c *containerBundle) run(t *testing.T, blocked bool, args ...string) result {
	t.Helper()
	c.n++
	id := fmt.Sprintf("syscage-test-%d-%d", os.Getpid(), c.n)
	process := c.spec["process"].(map[string]any)
	linux := c.spec["linux"].(map[string]any)
	process["args"] = args
	if blocked {
		linux["seccomp"] = c.seccomp
		process["capabilities"] = c.caps
	} else {
		delete(linux, "seccomp")
		withPtrace := map[string]any{}
		for set, list := range c.caps {
			withPtrace[set] = append(append([]any{}, list.([]any)...), "CAP_SYS_PTRACE")
		}
		process["capabilities"] = withPtrace
	}
	b, err := json.MarshalIndent(c.spec, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	containerWrite(t, filepath.Join(c.bundle, "config.json"), string(b))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		exec.CommandContext(ctx, c.runc, "--root", c.state, "delete", "-f", id).Run()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.runc, "--root", c.state, "run", "--bundle", c.bundle, id)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 2 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("runc run %v: timed out\nstdout:\n%s\nstderr:\n%s", args, out.String(), errb.String())
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("runc run %v: %v\n%s", args, err, errb.String())
	}
	return result{out.String(), errb.String(), code}
}

// containerLookPath finds a program on PATH or at its Debian path; a
// missing one is a failure, not a skip: CI installs it.
func containerLookPath(t *testing.T, name, debian, hint string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(debian); err == nil {
		return debian
	}
	t.Fatalf("%s not found: %s", name, hint)
	return ""
}

// containerBuildStatic builds syscage-static as `make static` does.
func containerBuildStatic(t *testing.T, out string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-tags", "osusergo,netgo",
		"-ldflags", `-linkmode external -extldflags "-static"`, "-o", out, "./cmd/syscage")
	build.Dir = root
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build syscage-static: %v\n%s", err, b)
	}
}

// containerIsStatic reports whether an ELF file has no program interpreter
// and needs no shared library.
func containerIsStatic(t *testing.T, name string) bool {
	t.Helper()
	f, err := elf.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false
		}
	}
	libs, err := f.ImportedLibraries()
	return err == nil && len(libs) == 0
}

// containerSharedLibs lists the shared libraries and the loader a dynamic
// program needs, as ldd prints them.
func containerSharedLibs(t *testing.T, prog string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ldd", prog).Output()
	if err != nil {
		t.Fatalf("ldd %s: %v", prog, err)
	}
	var libs []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or
		// "\t/lib64/ld-linux-x86-64.so.2 (0x...)"; linux-vdso has no path.
		f := strings.Fields(sc.Text())
		for i, s := range f {
			if strings.HasPrefix(s, "/") && (i == 0 || f[i-1] == "=>") {
				libs = append(libs, s)
			}
		}
	}
	if len(libs) == 0 {
		t.Fatalf("ldd %s found no libraries:\n%s", prog, out)
	}
	return libs
}

func containerMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

func containerWrite(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// containerCopy copies a file (following symlinks) with its mode.
func containerCopy(t *testing.T, src, dst string) {
	t.Helper()
	containerMkdir(t, filepath.Dir(dst))
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// containerHasLine reports whether s has a line that starts with prefix,
// contains middle and ends with suffix.
func containerHasLine(s, prefix, middle, suffix string) bool {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) && strings.Contains(l, middle) && strings.HasSuffix(l, suffix) {
			return true
		}
	}
	return false
}

// containerTraceHas is containsLine for a trace of several processes: the
// "[pid N] " prefix is dropped first.
func containerTraceHas(trace, want string) bool {
	for _, l := range strings.Split(trace, "\n") {
		if _, rest, ok := strings.Cut(l, "] "); ok && strings.HasPrefix(l, "[pid ") {
			l = rest
		}
		if containsLine(l, want) {
			return true
		}
	}
	return false
}
