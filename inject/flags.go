package inject

import (
	"sort"
	"strings"

	"golang.org/x/sys/unix"
	"gopkg.in/yaml.v3"
)

// This file holds the flags: matcher's data: which argument of which
// syscall holds flags, and the flag names of each kind. Values come from
// golang.org/x/sys/unix for the arch syscage is built for (O_DIRECT is
// 0x4000 on x86_64, 0x10000 on aarch64). Names whose value is 0 on some
// arch (O_LARGEFILE on 64-bit arches, MAP_FILE) or that exist only on some
// arches (MAP_32BIT) are left out: they cannot be tested by bits.

// flagFamily is one kind of flags argument.
type flagFamily struct {
	// name is the family as messages name it ("O_*").
	name string
	// bits are the single flags: each one given must be set.
	bits map[string]uint64
	// fields are the values of a field inside the argument (an access
	// mode, a socket type, a mapping type): the one given must equal
	// arg & fieldMask.
	fields    map[string]uint64
	fieldMask uint64
	// fieldKind names the field in messages ("an access mode").
	fieldKind string
}

var openFlags = &flagFamily{
	name: "O_*",
	bits: map[string]uint64{
		"O_CREAT": unix.O_CREAT, "O_EXCL": unix.O_EXCL, "O_NOCTTY": unix.O_NOCTTY,
		"O_TRUNC": unix.O_TRUNC, "O_APPEND": unix.O_APPEND, "O_NONBLOCK": unix.O_NONBLOCK,
		"O_NDELAY": unix.O_NDELAY, "O_DSYNC": unix.O_DSYNC, "O_SYNC": unix.O_SYNC,
		"O_FSYNC": unix.O_FSYNC, "O_RSYNC": unix.O_RSYNC, "O_ASYNC": unix.O_ASYNC,
		"O_DIRECT": unix.O_DIRECT, "O_DIRECTORY": unix.O_DIRECTORY, "O_NOFOLLOW": unix.O_NOFOLLOW,
		"O_NOATIME": unix.O_NOATIME, "O_CLOEXEC": unix.O_CLOEXEC, "O_PATH": unix.O_PATH,
		"O_TMPFILE": unix.O_TMPFILE,
	},
	fields:    map[string]uint64{"O_RDONLY": unix.O_RDONLY, "O_WRONLY": unix.O_WRONLY, "O_RDWR": unix.O_RDWR},
	fieldMask: unix.O_ACCMODE,
	fieldKind: "an access mode",
}

// sockFlags are the flags accept4 takes: no socket type.
var sockFlags = &flagFamily{
	name: "SOCK_*",
	bits: map[string]uint64{"SOCK_NONBLOCK": unix.SOCK_NONBLOCK, "SOCK_CLOEXEC": unix.SOCK_CLOEXEC},
}

// sockTypeFlags are socket's and socketpair's type argument: a socket type
// or-ed with SOCK_NONBLOCK and SOCK_CLOEXEC. The kernel's SOCK_TYPE_MASK
// (0xf) is not in x/sys/unix; the type is what is left without the flags.
var sockTypeFlags = &flagFamily{
	name: "SOCK_*",
	bits: sockFlags.bits,
	fields: map[string]uint64{
		"SOCK_STREAM": unix.SOCK_STREAM, "SOCK_DGRAM": unix.SOCK_DGRAM, "SOCK_RAW": unix.SOCK_RAW,
		"SOCK_RDM": unix.SOCK_RDM, "SOCK_SEQPACKET": unix.SOCK_SEQPACKET, "SOCK_DCCP": unix.SOCK_DCCP,
		"SOCK_PACKET": unix.SOCK_PACKET,
	},
	fieldMask: 0xffffffff &^ uint64(unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC),
	fieldKind: "a socket type",
}

var mapFlags = &flagFamily{
	name: "MAP_*",
	bits: map[string]uint64{
		"MAP_FIXED": unix.MAP_FIXED, "MAP_ANONYMOUS": unix.MAP_ANONYMOUS, "MAP_ANON": unix.MAP_ANON,
		"MAP_GROWSDOWN": unix.MAP_GROWSDOWN, "MAP_DENYWRITE": unix.MAP_DENYWRITE,
		"MAP_EXECUTABLE": unix.MAP_EXECUTABLE, "MAP_LOCKED": unix.MAP_LOCKED,
		"MAP_NORESERVE": unix.MAP_NORESERVE, "MAP_POPULATE": unix.MAP_POPULATE,
		"MAP_NONBLOCK": unix.MAP_NONBLOCK, "MAP_STACK": unix.MAP_STACK, "MAP_HUGETLB": unix.MAP_HUGETLB,
		"MAP_SYNC": unix.MAP_SYNC, "MAP_FIXED_NOREPLACE": unix.MAP_FIXED_NOREPLACE,
	},
	fields: map[string]uint64{
		"MAP_SHARED": unix.MAP_SHARED, "MAP_PRIVATE": unix.MAP_PRIVATE,
		"MAP_SHARED_VALIDATE": unix.MAP_SHARED_VALIDATE,
	},
	fieldMask: unix.MAP_TYPE,
	fieldKind: "a mapping type",
}

var (
	efdFlags = &flagFamily{name: "EFD_*", bits: map[string]uint64{
		"EFD_CLOEXEC": unix.EFD_CLOEXEC, "EFD_NONBLOCK": unix.EFD_NONBLOCK, "EFD_SEMAPHORE": unix.EFD_SEMAPHORE}}
	mfdFlags = &flagFamily{name: "MFD_*", bits: map[string]uint64{
		"MFD_CLOEXEC": unix.MFD_CLOEXEC, "MFD_ALLOW_SEALING": unix.MFD_ALLOW_SEALING,
		"MFD_HUGETLB": unix.MFD_HUGETLB, "MFD_NOEXEC_SEAL": unix.MFD_NOEXEC_SEAL, "MFD_EXEC": unix.MFD_EXEC}}
	tfdFlags = &flagFamily{name: "TFD_*", bits: map[string]uint64{
		"TFD_CLOEXEC": unix.TFD_CLOEXEC, "TFD_NONBLOCK": unix.TFD_NONBLOCK}}
	sfdFlags = &flagFamily{name: "SFD_*", bits: map[string]uint64{
		"SFD_CLOEXEC": unix.SFD_CLOEXEC, "SFD_NONBLOCK": unix.SFD_NONBLOCK}}
	inFlags = &flagFamily{name: "IN_*", bits: map[string]uint64{
		"IN_CLOEXEC": unix.IN_CLOEXEC, "IN_NONBLOCK": unix.IN_NONBLOCK}}
	epollFlags = &flagFamily{name: "EPOLL_*", bits: map[string]uint64{"EPOLL_CLOEXEC": unix.EPOLL_CLOEXEC}}
)

// flagFamilies are all families, for looking a name up.
var flagFamilies = []*flagFamily{openFlags, sockTypeFlags, sockFlags, mapFlags, efdFlags, mfdFlags, tfdFlags, sfdFlags, inFlags, epollFlags}

// flagArg says where a syscall's flags are.
type flagArg struct {
	// arg is the argument index, or -1 when the flags are implied by the
	// syscall (creat).
	arg int
	fam *flagFamily
	// implied are the flags of a syscall without a flags argument.
	implied uint64
}

// flagArgs are the syscalls a flags: matcher works on. Only flags the
// syscall takes by value are here: openat2's are in struct open_how,
// clone's are not flags of a kind listed.
var flagArgs = map[string]flagArg{
	"open":              {arg: 1, fam: openFlags},
	"openat":            {arg: 2, fam: openFlags},
	"open_by_handle_at": {arg: 2, fam: openFlags},
	"creat":             {arg: -1, fam: openFlags, implied: unix.O_CREAT | unix.O_WRONLY | unix.O_TRUNC},
	"pipe2":             {arg: 1, fam: openFlags},
	"dup3":              {arg: 2, fam: openFlags},
	"socket":            {arg: 1, fam: sockTypeFlags},
	"socketpair":        {arg: 1, fam: sockTypeFlags},
	"accept4":           {arg: 3, fam: sockFlags},
	"mmap":              {arg: 3, fam: mapFlags},
	"mmap2":             {arg: 3, fam: mapFlags},
	"eventfd2":          {arg: 1, fam: efdFlags},
	"memfd_create":      {arg: 1, fam: mfdFlags},
	"timerfd_create":    {arg: 1, fam: tfdFlags},
	"signalfd4":         {arg: 3, fam: sfdFlags},
	"inotify_init1":     {arg: 0, fam: inFlags},
	"epoll_create1":     {arg: 0, fam: epollFlags},
}

// FlagNames returns the sorted flag names a flags: list may hold, over
// all syscalls.
func FlagNames() []string {
	seen := map[string]bool{}
	for _, f := range flagFamilies {
		for n := range f.bits {
			seen[n] = true
		}
		for n := range f.fields {
			seen[n] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// FlagSyscalls returns the sorted names of the syscalls a flags: matcher
// works on.
func FlagSyscalls() []string {
	names := make([]string, 0, len(flagArgs))
	for n := range flagArgs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// flagMatch is a rule's compiled flags: matcher. The zero value matches
// every call.
type flagMatch struct {
	set      bool
	bits     uint64 // all must be set
	field    uint64 // arg & fieldMask must equal it, when hasField
	mask     uint64
	hasField bool
}

// holds reports whether flags (the low 32 bits of the flags argument:
// every flags argument listed is an int) satisfy m.
func (m *flagMatch) holds(flags uint64) bool {
	flags &= 0xffffffff
	if flags&m.bits != m.bits {
		return false
	}
	return !m.hasField || flags&m.mask == m.field
}

// flags parses a flags list against the rule's syscalls.
func (p *parser) flags(r *Rule, e entry, what string) {
	n := e.val
	if n.Kind != yaml.SequenceNode {
		p.at(n, "%s: want a list, got %s", what, kindOf(n))
		return
	}
	if len(n.Content) == 0 {
		p.at(n, "%s: empty list", what)
		return
	}
	// The family comes from the syscalls; all must agree.
	var fam *flagFamily
	var famOf string
	var missing []string
	for _, sc := range r.Syscalls {
		fa, ok := flagArgs[sc]
		if !ok {
			missing = append(missing, sc)
			continue
		}
		switch {
		case fam == nil:
			fam, famOf = fa.fam, sc
		case fam != fa.fam && fam.name == fa.fam.name:
			// socket and accept4 share names; the narrower set is
			// checked per name below.
			if len(fa.fam.fields) == 0 {
				fam, famOf = fa.fam, sc
			}
		case fam != fa.fam:
			p.at(e.key, "%s: %s takes %s flags, %s takes %s flags; split the rule", what, famOf, fam.name, sc, fa.fam.name)
			return
		}
	}
	if len(missing) > 0 {
		if len(missing) > 4 {
			missing = append(missing[:4], "...")
		}
		p.at(e.key, "%s: %s: no flags argument syscage knows (flags work on %s)", what,
			strings.Join(missing, ", "), strings.Join(FlagSyscalls(), ", "))
		return
	}
	if fam == nil {
		return // no syscalls: already reported
	}
	m := flagMatch{set: true, mask: fam.fieldMask}
	var fieldName string
	good := true
	for _, it := range n.Content {
		it = resolve(it)
		v, ok := p.str(it, what)
		if !ok {
			good = false
			continue
		}
		if b, ok := fam.bits[v]; ok {
			m.bits |= b
			r.Flags = append(r.Flags, v)
			continue
		}
		if f, ok := fam.fields[v]; ok {
			if m.hasField && fieldName != v {
				p.at(it, "%s: %s and %s are both %s; give one", what, fieldName, v, fam.fieldKind)
				good = false
				continue
			}
			m.field, m.hasField, fieldName = f, true, v
			r.Flags = append(r.Flags, v)
			continue
		}
		known := false
		for _, f := range flagFamilies {
			if _, ok := f.bits[v]; ok {
				known = true
			}
			if _, ok := f.fields[v]; ok {
				known = true
			}
		}
		if known {
			p.at(it, "%s: %s is not a flag of %s (it takes %s flags)", what, v, famOf, fam.name)
		} else {
			p.at(it, "%s: unknown flag %q", what, v)
		}
		good = false
	}
	if good {
		r.flags = m
	}
}
