package policy

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalidSyscall is wrapped by every error ParseTrace and ExpandNames
// return for a token that names no syscall, class, number or regular
// expression match. Its text is strace's: "invalid system call 'foo'".
var ErrInvalidSyscall = errors.New("invalid system call")

// ErrInvalidClass is wrapped by the error ExpandNames returns for an unknown
// %class ("invalid class '%bar'"). ParseTrace reports unknown classes as
// ErrInvalidSyscall, as strace does.
var ErrInvalidClass = errors.New("invalid class")

// legacyClasses are the class names strace accepts without '%' in a trace
// expression (src/basic_filters.c). "all" selects every named syscall.
var legacyClasses = map[string]string{
	"all":     "all",
	"desc":    "%desc",
	"file":    "%file",
	"memory":  "%memory",
	"process": "%process",
	"signal":  "%signal",
	"ipc":     "%ipc",
	"network": "%network",
}

// classAliases are other spellings of a class strace accepts.
var classAliases = map[string]string{"%net": "%network"}

// personalityDesignators are the '@' suffixes strace accepts on x86_64 and
// aarch64 hosts (PERSONALITY_DESIGNATORS). ParseTrace recognises them so it
// can say they are not supported, rather than calling them incorrect.
var personalityDesignators = map[string]bool{"64": true, "32": true, "x32": true}

// classMembers returns the sorted syscall names of class (a %name from
// straceClasses, an alias or the legacy "all"), keeping only names libseccomp
// knows; ok is false for an unknown class. Lookup is case-sensitive, as in strace.
func classMembers(class string) (names []string, ok bool) {
	t := mustTables()
	if class == "all" {
		return t.all(), true
	}
	if c, found := classAliases[class]; found {
		class = c
	}
	members, ok := straceClasses[class]
	if !ok {
		return nil, false
	}
	for _, n := range members {
		if t.known(n) {
			names = append(names, n)
		}
	}
	return names, true
}

// Classes returns the sorted class names ParseTrace and ExpandNames accept
// with a '%' prefix, aliases included.
func Classes() []string {
	var cs []string
	for c := range straceClasses {
		cs = append(cs, c)
	}
	for c := range classAliases {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

// TraceSet is the set of syscalls a trace expression selects. The zero
// value selects nothing. A TraceSet is immutable once returned and safe
// for concurrent use.
type TraceSet struct {
	// negated inverts names: the set is every syscall, including numbers
	// no table names, except names.
	negated bool
	names   map[string]bool
}

// ParseTrace parses the value of strace's -e trace=EXPR (also written as a
// bare -e EXPR), following strace's qualify_syscall_tokens:
//
//   - "all" and "none", as the whole expression after any '!';
//   - each leading '!' inverts the whole set ("!openat,close" is every
//     syscall but those two, unknown numbers included);
//   - otherwise a comma-separated list (empty items are skipped) of
//     syscall names, classes (%file %network %net %process %desc %signal
//     %memory %ipc %creds %clock %stat %lstat %fstat %%stat %statfs
//     %fstatfs %%statfs %pure, and strace's legacy spellings file, desc,
//     memory, process, signal, ipc, network, all), syscall numbers in
//     decimal (resolved on each arch a filter on this machine covers, so
//     on x86_64 "200" is x86_64 tkill and i386 getgid32) and /REGEX (POSIX
//     extended syntax, matched against syscall names);
//   - a '?' prefix on an item makes it optional: an item that selects
//     nothing is then not an error.
//
// Names, classes and "all"/"none" are case-sensitive. Names are those of
// libseccomp's tables for x86_64, i386 and aarch64. Personality
// designators ("open@64") are rejected: a TraceSet is by name, not by arch.
//
// Errors are one line and wrap ErrInvalidSyscall where strace says
// "invalid system call 'TOKEN'" (an unknown name or class, a number no arch
// has, a regex that matches nothing, an empty expression).
func ParseTrace(expr string) (*TraceSet, error) {
	s := expr
	negated := false
	for strings.HasPrefix(s, "!") {
		negated = !negated
		s = s[1:]
	}
	switch s {
	case "none":
		return &TraceSet{negated: negated}, nil
	case "all":
		return &TraceSet{negated: !negated}, nil
	}
	set := &TraceSet{negated: negated, names: map[string]bool{}}
	tokens := 0
	for _, tok := range strings.Split(s, ",") {
		if tok == "" {
			continue
		}
		tokens++
		found, err := set.addToken(tok)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("%w '%s'", ErrInvalidSyscall, printable(tok))
		}
	}
	if tokens == 0 {
		return nil, fmt.Errorf("%w '%s'", ErrInvalidSyscall, printable(expr))
	}
	return set, nil
}

// addToken adds the syscalls one list item selects. found reports whether
// the item is valid: it selected something, is a known class, or is optional.
func (t *TraceSet) addToken(tok string) (found bool, err error) {
	item := tok
	optional := false
	for strings.HasPrefix(item, "?") {
		item = item[1:]
		optional = true
	}
	if i := strings.LastIndexByte(item, '@'); i >= 0 {
		p := item[i+1:]
		if personalityDesignators[p] {
			return false, fmt.Errorf("personality designator '@%s' in '%s' is not supported", printable(p), printable(tok))
		}
		return false, fmt.Errorf("incorrect personality designator '%s' in qualification '%s'", printable(p), printable(item))
	}
	var names []string
	switch {
	case item == "":
		// strace accepts a lone "?": it selects nothing.
	case item[0] >= '0' && item[0] <= '9':
		names, err = namesByNumber(item)
	case item[0] == '/':
		names, err = namesByRegexp(item[1:])
	default:
		if class, ok := legacyClasses[item]; ok {
			item = class
		}
		if members, ok := classMembers(item); ok {
			for _, n := range members {
				t.names[n] = true
			}
			return true, nil
		}
		if IsSyscall(item) {
			names = []string{item}
		}
	}
	if err != nil {
		return false, err
	}
	for _, n := range names {
		t.names[n] = true
	}
	return len(names) > 0 || optional, nil
}

// namesByNumber returns the names syscall number s (decimal) has on the
// arches a filter on this machine covers.
func namesByNumber(s string) ([]string, error) {
	nr, err := strconv.ParseUint(s, 10, 31)
	if err != nil {
		return nil, nil // like strace: not a number it knows
	}
	arches, err := filterArches()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, at := range arches {
		if name, ok := at.full().byNr[int32(nr)]; ok {
			names = append(names, name)
		}
	}
	return names, nil
}

// namesByRegexp returns the syscall names pattern (POSIX ERE) matches.
func namesByRegexp(pattern string) ([]string, error) {
	re, err := regexp.CompilePOSIX(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression '%s': %s", printable(pattern), printable(err.Error()))
	}
	var names []string
	for _, n := range mustTables().all() {
		if re.MatchString(n) {
			names = append(names, n)
		}
	}
	return names, nil
}

// Has reports whether the set selects the syscall called name (libseccomp's
// spelling: "openat", i386 "getgid32"). For a negated set ("!openat") every
// name not excluded is selected, including names no table knows.
func (t *TraceSet) Has(name string) bool {
	return t.names[name] != t.negated
}

// IsAll reports whether the set selects every syscall, including numbers
// that no table names ("all", "!none").
func (t *TraceSet) IsAll() bool { return t.negated && len(t.names) == 0 }

// IsNone reports whether the set selects no syscall ("none", "!all", or
// only optional items that matched nothing).
func (t *TraceSet) IsNone() bool { return !t.negated && len(t.names) == 0 }

// Negated reports whether the set was inverted with '!': it then selects
// every syscall, unknown numbers included, except Excluded().
func (t *TraceSet) Negated() bool { return t.negated }

// Excluded returns the sorted names a negated set leaves out (nil otherwise).
func (t *TraceSet) Excluded() []string {
	if !t.negated {
		return nil
	}
	return sortedKeys(t.names)
}

// Names returns the sorted names the set selects among the syscalls of the
// supported arches (x86_64, i386, aarch64). For an IsAll set that is every
// known name; numbers no table names are not listed.
func (t *TraceSet) Names() []string {
	if !t.negated {
		return sortedKeys(t.names)
	}
	var names []string
	for _, n := range mustTables().all() {
		if !t.names[n] {
			names = append(names, n)
		}
	}
	return names
}

// NotifySpec returns the FilterSpec that notifies every syscall the set
// selects plus extra (names as ExpandNames returns them, e.g. a scenario's
// syscalls). A negated set keeps strace's meaning and notifies unknown
// numbers too (All with Except). ExemptFD is -1: the caller sets the
// launcher's hand-off exemption.
func (t *TraceSet) NotifySpec(extra []string) FilterSpec {
	spec := FilterSpec{ExemptFD: -1}
	if t.negated {
		spec.All = true
		add := map[string]bool{}
		for _, n := range extra {
			add[n] = true
		}
		for _, n := range sortedKeys(t.names) {
			if !add[n] {
				spec.Except = append(spec.Except, n)
			}
		}
		return spec
	}
	all := map[string]bool{}
	for n := range t.names {
		all[n] = true
	}
	for _, n := range extra {
		all[n] = true
	}
	spec.Names = sortedKeys(all)
	return spec
}

// ExpandNames validates items, each a syscall name or a %class (as in a
// scenario's `syscalls:` list), and returns the sorted, de-duplicated
// syscall names they stand for. An unknown name yields an error wrapping
// ErrInvalidSyscall ("invalid system call 'foo'"), an unknown class one
// wrapping ErrInvalidClass ("invalid class '%bar'"). No items give nil.
func ExpandNames(items []string) ([]string, error) {
	set := map[string]bool{}
	for _, it := range items {
		if strings.HasPrefix(it, "%") {
			members, ok := classMembers(it)
			if !ok {
				return nil, fmt.Errorf("%w '%s'", ErrInvalidClass, printable(it))
			}
			for _, n := range members {
				set[n] = true
			}
			continue
		}
		if !IsSyscall(it) {
			return nil, fmt.Errorf("%w '%s'", ErrInvalidSyscall, printable(it))
		}
		set[it] = true
	}
	return sortedKeys(set), nil
}

func sortedKeys(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// printable escapes control characters and invalid UTF-8 in a token quoted
// in an error, so that every error stays one line and writes nothing raw to
// a terminal.
func printable(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
