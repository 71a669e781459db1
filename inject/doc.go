// Package inject parses fault-injection scenarios and decides, call by call,
// whether a notified syscall runs or is answered with a fault.
//
// It is pure: no kernel calls and no /proc reads. The supervisor resolves
// what the rules match on (the caller's tgid, the absolute path, the
// sockaddr) and hands it over as an Event; Engine.Decide answers with a
// Decision.
//
// # Scenario files
//
// A scenario is a YAML file (version 1):
//
//	name: config-missing                # required
//	description: The config file is gone.
//	seed: 42                            # optional, kept for later random rules
//	rules:                              # in order
//	  - name: hide-config               # required, unique in the file
//	    syscalls: [openat, newfstatat]  # names or %classes, required
//	    path: "/etc/myapp/**"           # doublestar glob, optional
//	    address: 127.0.0.1              # IP address, optional
//	    port: 5432                      # 1..65535, optional
//	    error: ENOENT                   # errno name or number, or
//	    # retval: 0                     # a fake success: exactly one of the two
//	    when: "2+"                      # strace's when=, optional
//
// Parse checks everything before anything runs and reports every problem of
// a file, one "FILE:LINE: reason" line each.
//
// # Order of rules
//
// Rules are tried in order: scenarios in the order given to NewEngine, each
// one's rules in file order. A rule matches a call when the call's syscall
// is one of its Syscalls and each of its matchers that is set holds:
//
//   - path: the glob matches the call's absolute, cleaned first path
//     argument (a call without a readable path never matches);
//   - address: the call's AF_INET or AF_INET6 sockaddr has that IP address,
//     an IPv4-mapped IPv6 address counting as its IPv4 address;
//   - port: the call's AF_INET or AF_INET6 sockaddr has that port.
//
// Unix-domain and other sockaddrs never match an address or port rule.
//
// When a rule matches, its counter for the calling process advances, then
// its When is asked about the new count. The first matching rule that fires
// decides; rules after it are not tried, so their counters do not advance.
// A rule that matched but did not fire lets later rules try. No rule firing
// means Continue.
//
// # Counting and when
//
// When has the meaning of strace's -e inject=...:when=first[..last][+[step]]
// with strace's limits (first and step 1..65535, last up to 65534); a rule
// without when fires on every call, as strace's default. strace counts per
// syscall and per traced thread; syscage counts per rule and per process
// (tgid), so a rule on [open, openat] with when: 2 fails the second of
// either, and a forked child starts again at 1. Engine.Forget drops a
// process's counters when it exits.
package inject
