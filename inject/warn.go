package inject

import (
	"maps"
	"strconv"
	"strings"
	"sync"

	"github.com/syscage/syscage/policy"
)

// The arch questions, as variables so tests can play another machine.
var (
	filterHas  = policy.FilterHas
	nativeArch = policy.NativeArch
)

// statOnly are the stat calls glibc 2.33 and later no longer make: stat,
// fstat and lstat become newfstatat (or statx) there.
var statOnly = map[string]bool{"stat": true, "fstat": true, "lstat": true}

// Warnings returns what in a valid scenario deserves a look, one Problem
// per finding placed at its rule (FILE:LINE:COL), in rule order:
//
//   - a rule none of whose syscalls exists on the ABIs a filter covers on
//     this machine (policy.FilterHas: the native arch, and i386 on
//     x86_64) can never fire: open on aarch64;
//   - a rule on stat, fstat or lstat only: glibc 2.33 and later call
//     newfstatat or statx instead, so it fires only for other libcs and
//     static binaries;
//   - a rule whose syscalls an earlier rule of the scenario covers
//     without any condition (no matcher, window, when or probability)
//     never fires: the earlier rule decides all its calls;
//   - a matcher that none of the rule's syscalls can satisfy: path on
//     calls that take no file name (strace's %file), fd_path on calls that
//     take no fd (%desc), address, port or family on calls other than
//     connect, bind, sendto and sendmsg (the ones whose address syscage
//     decodes on entry);
//   - for rules from ParseInjectExpr, strace's warnings about retval=
//     values the program may read as errors.
//
// Nothing here stops a run; syscage check prints them.
func Warnings(sc *Scenario) []Problem {
	if sc == nil {
		return nil
	}
	var out []Problem
	add := func(r *Rule, reason string) {
		out = append(out, Problem{File: sc.File, Line: r.Line, Col: r.Col, Reason: reason})
	}
	arches := nativeArch()
	if arches == "x86_64" {
		arches = "x86_64 or i386"
	}
	// The unconditional rules so far, with their syscalls as sets, for
	// shadowedBy: built once, not per rule (a file of many rules checks in
	// linear time when few are unconditional).
	var uncond []cover
	for _, r := range sc.Rules {
		if r == nil {
			continue
		}
		what := "rule " + strconv.Quote(r.Name)
		reachable, stats := false, true
		for _, name := range r.Syscalls {
			if filterHas(name) {
				reachable = true
			}
			if !statOnly[name] {
				stats = false
			}
		}
		switch {
		case len(r.Syscalls) == 0:
		case !reachable && arches != "":
			add(r, what+": "+list(r.Syscalls)+" not on "+arches+": the rule can never fire here")
		case stats:
			add(r, what+": glibc 2.33 and later call newfstatat or statx, not "+
				strings.Join(r.Syscalls, " or ")+"; add newfstatat and statx")
		}
		for _, m := range inapplicable(r) {
			add(r, what+": "+m)
		}
		if by := shadowedBy(uncond, r); by != nil {
			add(r, what+": never fires: rule "+strconv.Quote(by.Name)+" before it fires on every call of "+
				strings.Join(r.Syscalls, ", "))
		}
		for _, w := range r.warnings {
			add(r, w)
		}
		if r.unconditional() {
			c := cover{rule: r, calls: map[string]bool{}}
			for _, n := range r.Syscalls {
				c.calls[n] = true
			}
			uncond = append(uncond, c)
		}
	}
	return out
}

// cover is an unconditional rule and the syscalls it fires on.
type cover struct {
	rule  *Rule
	calls map[string]bool
}

// list names syscalls for a message: "open is", "open and stat are",
// "open, stat, ... (12) are".
func list(names []string) string {
	switch len(names) {
	case 1:
		return names[0] + " is"
	case 2:
		return names[0] + " and " + names[1] + " are"
	}
	if len(names) > 4 {
		return strings.Join(names[:3], ", ") + ", ... (" + strconv.Itoa(len(names)) + ") are"
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " are"
}

// shadowedBy returns an earlier unconditional rule that fires on every call
// of each of r's syscalls, or nil.
func shadowedBy(earlier []cover, r *Rule) *Rule {
	if len(r.Syscalls) == 0 {
		return nil
	}
	for _, e := range earlier {
		all := true
		for _, n := range r.Syscalls {
			if !e.calls[n] {
				all = false
				break
			}
		}
		if all {
			return e.rule
		}
	}
	return nil
}

// unconditional reports whether r fires on every call of its syscalls.
func (r *Rule) unconditional() bool {
	return r.Path == "" && r.FDPath == "" && !r.flags.set && !r.HasAddress && !r.Network.IsValid() &&
		r.UnixPath == "" && !r.HasAbstract && r.Port == 0 && !r.HasFamily && r.Comm == "" && r.Exe == "" &&
		r.Pid == 0 && len(r.Args) == 0 && (r.When == Always || r.When == When{}) && r.After == 0 && r.For == 0 &&
		(r.Probability == 0 || r.Probability == 1)
}

// sockaddrCalls are the calls whose address argument syscage decodes on
// entry (Event.Sockaddr).
var sockaddrCalls = map[string]bool{"connect": true, "bind": true, "sendto": true, "sendmsg": true}

// classSet is the set of a syscall class's names (policy.ExpandNames).
func classSet(class string) map[string]bool {
	names, _ := policy.ExpandNames([]string{class})
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

var (
	fileCalls = sync.OnceValue(func() map[string]bool { return classSet("%file") })
	// The calls that take an fd: strace's %desc leaves out the socket
	// calls (%network), which take one too (connect, sendto, shutdown...).
	descCalls = sync.OnceValue(func() map[string]bool {
		set := classSet("%desc")
		maps.Copy(set, classSet("%network"))
		return set
	})
)

// inapplicable lists the matchers of r that none of its syscalls can
// satisfy, so that the rule never fires.
func inapplicable(r *Rule) []string {
	some := func(set map[string]bool) bool {
		for _, n := range r.Syscalls {
			if set[n] {
				return true
			}
		}
		return false
	}
	calls, takes := strings.Join(r.Syscalls, ", "), " takes"
	if len(r.Syscalls) > 1 {
		takes = " take"
	}
	var out []string
	if r.Path != "" && !some(fileCalls()) {
		out = append(out, "path never matches: "+calls+takes+" no file name")
	}
	if r.FDPath != "" && !some(descCalls()) {
		out = append(out, "fd_path never matches: "+calls+takes+" no file descriptor")
	}
	if (r.HasAddress || r.Network.IsValid() || r.UnixPath != "" || r.HasAbstract || r.Port != 0 || r.HasFamily) && !some(sockaddrCalls) {
		out = append(out, "address, port and family never match: they apply to connect, bind, sendto and sendmsg")
	}
	return out
}
