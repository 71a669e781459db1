package main

// syscage profile: which calls a profile notifies, and what it keeps of a
// base profile. The profile used by runc as it is: TestAgentContainers.

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// dockerLikeBase has the shapes of moby's default.json: archMap, a default
// that refuses, rules with a comment, args, includes and the old "name".
const dockerLikeBase = `{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 1,
	"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
	"flags": ["SECCOMP_FILTER_FLAG_LOG"],
	"syscalls": [
		{"names": ["close", "openat", "read"], "action": "SCMP_ACT_ALLOW", "comment": "basics"},
		{"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 40, "valueTwo": 0, "op": "SCMP_CMP_NE"}]},
		{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
		{"name": "execve", "action": "SCMP_ACT_ALLOW"},
		{"names": ["execveat", "getpid"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "3.19"}}
	]
}`

func TestProfileNotifyBase(t *testing.T) {
	p, err := parseProfile([]byte(dockerLikeBase))
	if err != nil {
		t.Fatal(err)
	}
	warnings, err := p.notify(notifyRequest{
		inject: []string{"openat", "socket", "ptrace", "connect"},
		trace:  []string{"write"},
		always: []string{"execve", "execveat"},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantWarnings := []string{
		"connect: the base profile refuses it by default (SCMP_ACT_ERRNO): left as it is, so syscage does not see it",
		"ptrace: the base profile answers it with SCMP_ACT_ERRNO: left as it is, so syscage does not see it",
		"write is not notified: runc refuses SCMP_ACT_NOTIFY on write (its init process writes the listener fd to its parent after loading the filter); it is left out of the trace",
	}
	if !reflect.DeepEqual(warnings, wantWarnings) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(wantWarnings, "\n"))
	}
	got := profileJSON(t, p)
	// Everything the rules do not touch is kept; openat and execve leave
	// their rules for an unconditional notify; socket and execveat are
	// notified under their rules' own conditions, so that what the base
	// refused stays refused.
	want := profileJSON(t, mustParseProfile(t, `{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 1,
	"archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]}],
	"flags": ["SECCOMP_FILTER_FLAG_LOG"],
	"syscalls": [
		{"names": ["close", "read"], "action": "SCMP_ACT_ALLOW", "comment": "basics"},
		{"names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
		{"names": ["getpid"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "3.19"}},
		{"names": ["execveat"], "action": "SCMP_ACT_NOTIFY", "includes": {"minKernel": "3.19"}},
		{"names": ["socket"], "action": "SCMP_ACT_NOTIFY", "args": [{"index": 0, "value": 40, "valueTwo": 0, "op": "SCMP_CMP_NE"}]},
		{"names": ["execve", "openat"], "action": "SCMP_ACT_NOTIFY"}
	]
}`))
	if got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}

func TestProfileNotifyRefusals(t *testing.T) {
	allow := `{"defaultAction": "SCMP_ACT_ALLOW"}`
	for _, tc := range []struct {
		name, base string
		req        notifyRequest
		err        string
	}{
		{"scenario-on-write", allow, notifyRequest{inject: []string{"write"}}, "a scenario acts on write, which cannot be notified: runc refuses"},
		{"default-notify", `{"defaultAction": "SCMP_ACT_NOTIFY"}`, notifyRequest{inject: []string{"openat"}}, "defaultAction is SCMP_ACT_NOTIFY, which runc refuses"},
		{"nothing-left", `{"defaultAction": "SCMP_ACT_KILL"}`, notifyRequest{inject: []string{"openat"}}, "would notify nothing"},
	} {
		p := mustParseProfile(t, tc.base)
		if _, err := p.notify(tc.req); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: error %v, want one with %q", tc.name, err, tc.err)
		}
	}
	for _, bad := range []string{`[]`, `null`, `{"syscalls": []}`, `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"]}]}`, `{"defaultAction": 1}`} {
		if _, err := parseProfile([]byte(bad)); err == nil {
			t.Errorf("base %s: accepted", bad)
		}
	}
	// A base that notifies a call already keeps its rule as it is.
	p := mustParseProfile(t, `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["openat"], "action": "SCMP_ACT_NOTIFY"}]}`)
	if _, err := p.notify(notifyRequest{inject: []string{"openat"}, always: []string{"execve"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := profileJSON(t, p), profileJSON(t, mustParseProfile(t, `{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["openat"], "action": "SCMP_ACT_NOTIFY"}, {"names": ["execve"], "action": "SCMP_ACT_NOTIFY"}]}`)); got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
}

func mustParseProfile(t *testing.T, s string) seccompProfile {
	t.Helper()
	p, err := parseProfile([]byte(s))
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return p
}

// profileJSON is p in a canonical form: keys sorted, indented.
func profileJSON(t *testing.T, p seccompProfile) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	b, _ = json.MarshalIndent(v, "", "  ")
	return string(b)
}

// The command: flags, the metadata it writes, its errors (exit 2).
func TestProfileCommand(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "hide.yaml")
	containerWrite(t, sc, agentHideHello)
	r := syscage(t, 20*time.Second, "profile", "--scenario", sc, "--scenario", "config-missing", "--trace", "connect", "--metadata", "format=json", "--listener", "/run/syscage/agent.sock")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var got struct {
		DefaultAction    string   `json:"defaultAction"`
		Architectures    []string `json:"architectures"`
		ListenerPath     string   `json:"listenerPath"`
		ListenerMetadata string   `json:"listenerMetadata"`
		Syscalls         []struct {
			Names  []string `json:"names"`
			Action string   `json:"action"`
		} `json:"syscalls"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	wantNames := []string{"access", "connect", "execve", "execveat", "faccessat", "faccessat2", "lstat", "newfstatat", "open", "openat", "openat2", "stat", "statx"}
	if got.DefaultAction != "SCMP_ACT_ALLOW" || got.ListenerPath != "/run/syscage/agent.sock" ||
		got.ListenerMetadata != "format=json;scenario=hide-hello,config-missing;trace=connect" ||
		len(got.Syscalls) != 1 || got.Syscalls[0].Action != "SCMP_ACT_NOTIFY" || !reflect.DeepEqual(got.Syscalls[0].Names, wantNames) {
		t.Errorf("profile:\n%s\nwant notify %v, metadata format=json;scenario=hide-hello,config-missing;trace=connect", r.stdout, wantNames)
	}
	if len(nativeArchitectures()) > 0 && !reflect.DeepEqual(got.Architectures, nativeArchitectures()) {
		t.Errorf("architectures %v, want %v", got.Architectures, nativeArchitectures())
	}

	// --base and -o: the base's other rules stay.
	base := filepath.Join(dir, "base.json")
	containerWrite(t, base, dockerLikeBase)
	out := filepath.Join(dir, "profile.json")
	r = syscage(t, 20*time.Second, "profile", "--scenario", sc, "--base", base, "--listener", "/run/a.sock", "-o", out)
	// The base allows openat but refuses open by default: open stays so.
	wantWarn := "syscage profile: warning: open: the base profile refuses it by default (SCMP_ACT_ERRNO): left as it is, so syscage does not see it\n"
	if r.code != 0 || r.stdout != "" || r.stderr != wantWarn {
		t.Fatalf("--base: exit %d, stdout %q, stderr %q; want 0 and only %q", r.code, r.stdout, r.stderr, wantWarn)
	}
	text := readFile(t, out)
	for _, want := range []string{`"archMap"`, `"defaultErrnoRet": 1`, `"comment": "basics"`, `"SCMP_ACT_NOTIFY"`, `"listenerMetadata": "scenario=hide-hello"`} {
		if !strings.Contains(text, want) {
			t.Errorf("profile from a base has no %s:\n%s", want, text)
		}
	}

	// Warnings go to standard error; the profile is still written.
	r = syscage(t, 20*time.Second, "profile", "--trace", "%file,write", "--listener", "/run/a.sock")
	if r.code != 0 || !strings.Contains(r.stderr, "syscage profile: warning: write is not notified") || strings.Contains(r.stdout, `"write"`) {
		t.Errorf("--trace with write: exit %d, stderr %q", r.code, r.stderr)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--scenario", sc}, "--listener SOCKET is required"},
		{[]string{"--scenario", sc, "--listener", "agent.sock"}, "an absolute path is needed"},
		{[]string{"--listener", "/a.sock"}, "nothing to notify"},
		{[]string{"--scenario", "no-such-scenario", "--listener", "/a.sock"}, "no such file, and no shipped scenario"},
		{[]string{"--scenario", sc, "--listener", "/a.sock", "--metadata", "scenarios=x"}, `unknown key "scenarios"`},
		{[]string{"--scenario", sc, "--listener", "/a.sock", "--trace", "nosuchcall"}, "nosuchcall"},
		{[]string{"--scenario", sc, "--listener", "/a.sock", "--base", sc}, "not a seccomp profile"},
		{[]string{"--scenario", "disk-full", "--listener", "/a.sock"}, "a scenario acts on write"},
	} {
		r := syscage(t, 20*time.Second, append([]string{"profile"}, tc.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
			t.Errorf("syscage profile %s: exit %d, stdout %q, stderr %q; want 2 and %q", strings.Join(tc.args, " "), r.code, r.stdout, r.stderr, tc.want)
		}
	}
	if r := syscage(t, 10*time.Second, "profile", "--help"); r.code != 0 || !strings.Contains(r.stdout, "--listener SOCKET") {
		t.Errorf("syscage profile --help: exit %d\n%s", r.code, r.stdout)
	}
}
