// Package inject parses fault-injection scenarios and strace's -e inject
// expressions, and decides, call by call, whether a notified syscall runs
// or is answered with a fault.
//
// It is pure: no kernel calls and no /proc reads. The supervisor resolves
// what the rules match on (the caller's tgid and tid, the absolute path,
// the path behind an fd, the sockaddr, comm and exe) and hands it over as
// an Event; Engine.Decide answers with a Decision, which the supervisor
// carries out (delay, signal, answer, delay after).
//
// # Scenario files
//
// A scenario is a YAML file (version 1). docs/scenarios.md describes every
// key with examples, and scenarios/schema.json is its JSON Schema for
// editors. In short:
//
//	name: disk-full                     # required
//	description: The database volume is full.
//	seed: 42                            # optional: random draws (probability)
//	rules:                              # in order
//	  - name: wal-full                  # required, unique in the file
//	    syscalls: [write, pwrite64, fsync]  # names or %classes, required
//	    # matchers, all optional, AND-ed:
//	    fd_path: "/var/lib/db/**"       # what the fd argument refers to
//	    # path: "/etc/myapp/*.yaml"     # the first path argument
//	    # flags: [O_CREAT]              # set in the flags argument
//	    # address: 10.0.0.0/8           # IP, CIDR, /unix/glob or @abstract
//	    # port: "1000-2000"             # number or range
//	    # family: inet6
//	    # process: {comm: "post*", exe: "/usr/**", pid: 42}
//	    # args: [{index: 2, op: "&", value: 0x40}]
//	    # timing:
//	    when: "2+"                      # strace's first[..last][+[step]]
//	    after: 2s                       # window on the time since the run started
//	    for: 5s
//	    scope: process                  # counters: process, thread or global
//	    probability: 0.3                # after when, from the seed
//	    # actions:
//	    error: ENOSPC                   # or retval: N, kill: true, log: true
//	    delay: 100ms                    # before answering; alone: let it run after
//	    # delay_exit: 1s
//	    # signal: SIGUSR1
//	    expect: fired                   # or never, or {min: N, max: M}
//
// Parse checks everything before anything runs and reports every problem of
// a file, one "FILE:LINE:COL: reason" line each. Warnings points out rules
// that cannot fire on this machine or behind an earlier rule.
//
// # Order of rules
//
// Rules are tried in order: scenarios in the order given to NewEngine, each
// one's rules in file order. A rule matches a call when the call's syscall
// is one of its Syscalls, each of its matchers that is set holds, and the
// call's Elapsed time is in its window. Calls a rule does not match leave
// it untouched.
//
// When a rule matches, its counter advances, whether or not it then fires;
// its When is then asked about the new count and, if it selects the call,
// its Probability is drawn. The first matching rule that fires decides;
// rules after it are not tried, so their counters do not advance. A rule
// that matched but did not fire lets later rules try. No rule firing means
// Continue. Every kind of rule decides when it fires, log and delay-only
// rules too: put them after the rules they should not hide.
//
// # Counting and when
//
// When has the meaning of strace's -e inject=...:when=first[..last][+[step]]
// with strace's limits (first and step 1..65535, last up to 65534); a rule
// without when fires on every call, as strace's default. A rule counts per
// process (tgid) by default, so a forked child starts again at 1; scope:
// thread counts per thread and scope: global over the whole run. A rule on
// [open, openat] with when: 2 fails the second of either. Rules from
// ParseInjectExpr count each syscall apart, as strace does, still per
// process (strace counts per thread). Engine.Forget drops a process's
// counters when it exits.
//
// # Randomness
//
// A rule with a probability fires on a call its When selects if a draw in
// [0, 1) is below it. The draw is a hash of the engine's seed, the rule
// (scenario and rule name, and the syscall for PerSyscall rules), the
// order in which the engine first counted a call of the process (or
// thread), and the count: the same seed and the same sequence of calls
// give the same decisions, and a process's decisions do not depend on
// other processes' calls in between.
//
// # Concurrency
//
// Decide is safe for concurrent use. A call no rule names costs one map
// lookup; matching calls cost no allocation. Counters are atomic; a rule
// that fires takes its own small lock to note the hit for the report.
package inject
