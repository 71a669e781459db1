package main

// syscage profile: an OCI seccomp profile (config.json's linux.seccomp, a
// Kubernetes Localhost profile as containerd and CRI-O read it) whose
// SCMP_ACT_NOTIFY rules send exactly the calls the scenarios and the trace
// set need to syscage agent.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/syscage/syscage/inject"
	"github.com/syscage/syscage/policy"
	"github.com/syscage/syscage/supervisor"
)

const profileUsage = `usage: syscage profile --listener SOCKET --scenario FILE... [options]

Writes a seccomp profile in the OCI runtime spec's form (linux.seccomp of
config.json; also what containerd and CRI-O read as a Kubernetes Localhost
profile) whose SCMP_ACT_NOTIFY rules send the calls the scenarios and the
trace set need to syscage agent listening on SOCKET (docs/kubernetes.md).

Options:
      --listener SOCKET   the agent's socket, an absolute path (listenerPath)
      --scenario FILE     a scenario whose syscalls are notified (repeatable);
                          the name of a shipped scenario (listed below)
                          works too
      --trace SET         also notify the calls of this trace set, as -e
                          trace= of syscage run (default none)
      --base PROFILE      start from this profile (OCI, or Docker's form with
                          archMap, includes and excludes) and keep its other
                          rules; default: allow everything else
      --metadata STR      listenerMetadata: KEY=VALUE;... as syscage agent
                          reads it. scenario= (the scenarios' names) and,
                          with --trace, trace= are added unless given
  -o, --output FILE       write the profile to FILE instead of standard output
  -h, --help              print this help

execve and execveat are always notified: the agent must see every execve
to read the memory of the new program. write is never notified: runc
refuses SCMP_ACT_NOTIFY on write, because its init process writes the
listener fd to its parent after loading the filter and would wait forever.
A call the base profile refuses (SCMP_ACT_ERRNO, a kill, ...) keeps its
action: notifying it would let it run. Each such change is a warning on
standard error.

Shipped scenarios: %s
`

type profileOptions struct {
	listener  string
	scenarios []string
	trace     string
	base      string
	metadata  string
	output    string
	help      bool
}

func newProfileFlags(opt *profileOptions) *pflag.FlagSet {
	fs := pflag.NewFlagSet("syscage profile", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&opt.listener, "listener", "", "")
	fs.StringArrayVar(&opt.scenarios, "scenario", nil, "")
	fs.StringVar(&opt.trace, "trace", "none", "")
	fs.StringVar(&opt.base, "base", "", "")
	fs.StringVar(&opt.metadata, "metadata", "", "")
	fs.StringVarP(&opt.output, "output", "o", "", "")
	fs.BoolVarP(&opt.help, "help", "h", false, "")
	return fs
}

func cmdProfile(args []string) int {
	var opt profileOptions
	fs := newProfileFlags(&opt)
	if err := fs.Parse(args); err != nil {
		usageError("profile: " + err.Error())
		return exitUsage
	}
	if opt.help {
		fmt.Printf(profileUsage, strings.Join(shippedNames(), ", "))
		return 0
	}
	if fs.NArg() > 0 {
		usageError(fmt.Sprintf("profile: unexpected argument %q", fs.Arg(0)))
		return exitUsage
	}
	out, warnings, err := makeProfile(opt, fs.Changed("trace"))
	for _, w := range warnings {
		fmt.Fprintf(os.Stderr, "syscage profile: warning: %s\n", w)
	}
	if err != nil {
		usageError("profile: " + err.Error())
		return exitUsage
	}
	if opt.output == "" {
		os.Stdout.Write(out)
		return 0
	}
	if err := os.WriteFile(opt.output, out, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "syscage profile: %v\n", err)
		return exitFailure
	}
	return 0
}

// makeProfile loads what opt names and returns the profile as indented
// JSON, with the warnings to print.
func makeProfile(opt profileOptions, traceGiven bool) ([]byte, []string, error) {
	if opt.listener == "" {
		return nil, nil, errors.New("--listener SOCKET is required")
	}
	if !filepath.IsAbs(opt.listener) {
		// crun refuses a relative listenerPath; runc would resolve it in
		// its own working directory.
		return nil, nil, fmt.Errorf("--listener %q: an absolute path is needed", opt.listener)
	}
	if len(opt.scenarios) == 0 && !traceGiven {
		return nil, nil, errors.New("nothing to notify: give --scenario FILE or --trace SET")
	}
	scs, err := loadScenarios(opt.scenarios)
	if err != nil {
		return nil, nil, err
	}
	trace, err := policy.ParseTrace(opt.trace)
	if err != nil {
		return nil, nil, err
	}
	metadata, err := profileMetadata(opt.metadata, scs, opt.trace, traceGiven)
	if err != nil {
		return nil, nil, err
	}
	base := defaultBaseProfile()
	if opt.base != "" {
		b, err := os.ReadFile(opt.base)
		if err != nil {
			return nil, nil, err
		}
		if base, err = parseProfile(b); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", opt.base, err)
		}
	}
	req := notifyRequest{
		inject: inject.NewEngine(scs).Syscalls(),
		trace:  trace.Names(),
		always: supervisor.ExecNotified,
	}
	warnings, err := base.notify(req)
	if err != nil {
		return nil, warnings, err
	}
	if old := base.str("listenerPath"); old != "" && old != opt.listener {
		warnings = append(warnings, fmt.Sprintf("the base profile's listenerPath %q is replaced by %q", old, opt.listener))
	}
	base.set("listenerPath", opt.listener)
	if metadata != "" {
		base.set("listenerMetadata", metadata)
	} else {
		delete(base, "listenerMetadata")
	}
	out, err := json.MarshalIndent(base, "", "\t")
	if err != nil {
		return nil, warnings, err
	}
	return append(out, '\n'), warnings, nil
}

// metaPair is one KEY=VALUE of a listenerMetadata string.
type metaPair struct{ key, value string }

// metadataKeys are the keys syscage agent reads from listenerMetadata.
var metadataKeys = []string{"scenario", "format", "trace"}

// parseMetadata splits a listenerMetadata string into its KEY=VALUE pairs,
// separated by ';'. Unknown keys and keys given twice are errors: a typo
// must not quietly select the defaults.
func parseMetadata(s string) ([]metaPair, error) {
	var pairs []metaPair
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ";") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		key, value, ok := strings.Cut(item, "=")
		if !ok {
			return nil, fmt.Errorf("metadata %q: want KEY=VALUE, got %q", s, item)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !slices.Contains(metadataKeys, key) {
			return nil, fmt.Errorf("metadata %q: unknown key %q (%s)", s, key, strings.Join(metadataKeys, ", "))
		}
		if seen[key] {
			return nil, fmt.Errorf("metadata %q: %s given twice", s, key)
		}
		seen[key] = true
		pairs = append(pairs, metaPair{key, value})
	}
	return pairs, nil
}

// profileMetadata is the listenerMetadata of a profile: the user's pairs,
// then scenario= with the scenarios' names and trace= with the trace set
// when those keys are not given.
func profileMetadata(user string, scs []*inject.Scenario, trace string, traceGiven bool) (string, error) {
	pairs, err := parseMetadata(user)
	if err != nil {
		return "", err
	}
	has := func(key string) bool {
		return slices.ContainsFunc(pairs, func(p metaPair) bool { return p.key == key })
	}
	if !has("scenario") && len(scs) > 0 {
		var names []string
		for _, sc := range scs {
			names = append(names, sc.Name)
		}
		pairs = append(pairs, metaPair{"scenario", strings.Join(names, ",")})
	}
	if !has("trace") && traceGiven {
		if strings.Contains(trace, ";") {
			return "", fmt.Errorf("--trace %q: a ';' cannot be carried in listenerMetadata", trace)
		}
		pairs = append(pairs, metaPair{"trace", trace})
	}
	var parts []string
	for _, p := range pairs {
		if strings.Contains(p.value, ";") {
			return "", fmt.Errorf("metadata value %q has a ';'", p.value)
		}
		parts = append(parts, p.key+"="+p.value)
	}
	return strings.Join(parts, ";"), nil
}

// seccompProfile is a profile as JSON objects, so that keys syscage does not
// know (flags, defaultErrnoRet, archMap, a rule's comment, includes and
// excludes) are kept as they are.
type seccompProfile map[string]json.RawMessage

type seccompRule map[string]json.RawMessage

// nativeArchitectures are the "architectures" of a profile made without a
// base, as runc spec and Docker list them: the native one and the ABIs its
// processes can also use.
func nativeArchitectures() []string {
	switch runtime.GOARCH {
	case "amd64":
		return []string{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}
	case "arm64":
		return []string{"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"}
	}
	return nil
}

// defaultBaseProfile allows every call.
func defaultBaseProfile() seccompProfile {
	p := seccompProfile{}
	p.set("defaultAction", "SCMP_ACT_ALLOW")
	if archs := nativeArchitectures(); archs != nil {
		p.set("architectures", archs)
	}
	p.set("syscalls", []seccompRule{})
	return p
}

func parseProfile(b []byte) (seccompProfile, error) {
	var p seccompProfile
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("not a seccomp profile: %w", err)
	}
	if p == nil {
		return nil, errors.New("not a seccomp profile: null")
	}
	if p.str("defaultAction") == "" {
		return nil, errors.New(`not a seccomp profile: no "defaultAction"`)
	}
	if _, err := p.rules(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p seccompProfile) set(key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings, string lists and rules are set
	}
	p[key] = b
}

func (p seccompProfile) str(key string) string {
	var s string
	_ = json.Unmarshal(p[key], &s)
	return s
}

func (p seccompProfile) rules() ([]seccompRule, error) {
	raw, ok := p["syscalls"]
	if !ok || string(raw) == "null" {
		return nil, nil
	}
	var rules []seccompRule
	if err := json.Unmarshal(raw, &rules); err != nil {
		return nil, fmt.Errorf(`"syscalls": %w`, err)
	}
	for i, r := range rules {
		if r == nil {
			return nil, fmt.Errorf(`"syscalls"[%d] is null`, i)
		}
		if r.action() == "" {
			return nil, fmt.Errorf(`"syscalls"[%d] has no "action"`, i)
		}
	}
	return rules, nil
}

func (r seccompRule) action() string {
	var s string
	_ = json.Unmarshal(r["action"], &s)
	return s
}

// names are the rule's "names", or Docker's older single "name".
func (r seccompRule) names() []string {
	var names []string
	_ = json.Unmarshal(r["names"], &names)
	var name string
	if json.Unmarshal(r["name"], &name) == nil && name != "" {
		names = append(names, name)
	}
	return names
}

func (r seccompRule) setNames(names []string) {
	delete(r, "name")
	b, _ := json.Marshal(names)
	r["names"] = b
}

// conditional reports whether the rule applies only sometimes: argument
// tests, or Docker's includes and excludes.
func (r seccompRule) conditional() bool {
	for _, key := range []string{"args", "includes", "excludes"} {
		switch strings.TrimSpace(string(r[key])) {
		case "", "null", "[]", "{}":
		default:
			return true
		}
	}
	return false
}

// letsRun reports whether an action lets the call run: notifying such a
// call changes nothing but who decides.
func letsRun(action string) bool {
	return action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_LOG"
}

const actNotify = "SCMP_ACT_NOTIFY"

// notifyRequest are the syscalls a profile must notify, by why.
type notifyRequest struct {
	inject []string // scenario rules act on them
	trace  []string // the trace set prints them
	always []string // the supervisor needs them (execve, execveat)
}

// notify makes the profile notify the requested syscalls. A call the base
// lets run (SCMP_ACT_ALLOW or SCMP_ACT_LOG, by a rule or by its default
// action) gets SCMP_ACT_NOTIFY instead: a rule that names it with others is
// split, and a conditional rule (args, includes, excludes) is copied with
// its conditions, so the call is notified exactly where it ran before. A
// call the base refuses keeps its action, with a warning. write is never
// notified (runc's InitSeccomp refuses it: see profileUsage); a scenario
// that needs it is an error.
func (p seccompProfile) notify(req notifyRequest) (warnings []string, err error) {
	def := p.str("defaultAction")
	if def == actNotify {
		// runc refuses it: the same deadlock as on write.
		return nil, errors.New("the base profile's defaultAction is SCMP_ACT_NOTIFY, which runc refuses")
	}
	rules, err := p.rules()
	if err != nil {
		return nil, err
	}
	why := map[string]string{}
	for _, n := range req.always {
		why[n] = "always"
	}
	for _, n := range req.trace {
		why[n] = "trace"
	}
	for _, n := range req.inject {
		why[n] = "inject"
	}
	var want []string
	for n := range why {
		want = append(want, n)
	}
	sort.Strings(want)

	var uncond []string
	var copies []seccompRule
	drop := map[int]map[string]bool{} // rule index -> names to take out
	for _, name := range want {
		if name == "write" {
			if why[name] == "inject" {
				return warnings, errors.New("a scenario acts on write, which cannot be notified: runc refuses SCMP_ACT_NOTIFY on write (its init process writes the listener fd to its parent after loading the filter, and nobody could answer yet)")
			}
			warnings = append(warnings, "write is not notified: runc refuses SCMP_ACT_NOTIFY on write (its init process writes the listener fd to its parent after loading the filter); it is left out of the trace")
			continue
		}
		var naming []int
		refused := ""
		notified := false
		for i, r := range rules {
			if !slices.Contains(r.names(), name) {
				continue
			}
			switch a := r.action(); {
			case a == actNotify:
				notified = true
			case letsRun(a):
				naming = append(naming, i)
			default:
				refused = a
			}
		}
		switch {
		case refused != "":
			warnings = append(warnings, fmt.Sprintf("%s: the base profile answers it with %s: left as it is, so syscage does not see it", name, refused))
			continue
		case notified && len(naming) == 0:
			continue // the base notifies it already
		case len(naming) == 0 && !letsRun(def):
			warnings = append(warnings, fmt.Sprintf("%s: the base profile refuses it by default (%s): left as it is, so syscage does not see it", name, def))
			continue
		}
		conditionalOnly := true
		for _, i := range naming {
			if drop[i] == nil {
				drop[i] = map[string]bool{}
			}
			drop[i][name] = true
			if !rules[i].conditional() {
				conditionalOnly = false
			}
		}
		if letsRun(def) || !conditionalOnly || len(naming) == 0 {
			// It runs unconditionally (by default or by a plain rule).
			uncond = append(uncond, name)
			continue
		}
		for _, i := range naming {
			c := seccompRule{}
			for k, v := range rules[i] {
				switch k {
				case "names", "name", "action", "errnoRet", "errno":
				default:
					c[k] = v
				}
			}
			c.setNames([]string{name})
			c["action"] = json.RawMessage(`"` + actNotify + `"`)
			copies = append(copies, c)
		}
	}
	var out []seccompRule
	for i, r := range rules {
		if d := drop[i]; d != nil {
			kept := slices.DeleteFunc(r.names(), func(n string) bool { return d[n] })
			if len(kept) == 0 {
				continue
			}
			r.setNames(kept)
		}
		out = append(out, r)
	}
	out = append(out, copies...)
	if len(uncond) > 0 {
		r := seccompRule{}
		r.setNames(uncond)
		r["action"] = json.RawMessage(`"` + actNotify + `"`)
		out = append(out, r)
	}
	if len(uncond) == 0 && len(copies) == 0 {
		return warnings, errors.New("the profile would notify nothing")
	}
	if out == nil {
		out = []seccompRule{}
	}
	p.set("syscalls", out)
	return warnings, nil
}
