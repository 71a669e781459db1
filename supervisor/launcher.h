// Shared between launcher.c and the Go side (launch.go reads these through cgo).
#ifndef SYSCAGE_LAUNCHER_H
#define SYSCAGE_LAUNCHER_H

#include <stdint.h>

// The environment variable that turns a syscage process into the launcher;
// its value is the hand-off socket's fd number.
#define SYSCAGE_LAUNCH_ENV "_SYSCAGE_LAUNCHER"
// The sendmsg flags of the hand-off: the filter allows sendmsg on the
// hand-off fd with exactly these flags without notifying it.
// MSG_NOSIGNAL|MSG_DONTWAIT|MSG_EOR: harmless on a unix SOCK_SEQPACKET socket
// and an unlikely combination for a tracee to use on that fd.
#define SYSCAGE_HANDOFF_FLAGS (0x4000 | 0x40 | 0x80)
#define SYSCAGE_LAUNCH_MAGIC 0x53594348u
// Exit status of a launcher that failed before or at execve.
#define SYSCAGE_LAUNCH_FAILED 127

// What syscage itself started with, recorded by a constructor before the Go
// runtime changes it (it opens /dev/null on closed fds 0-2 and installs
// handlers on most signals, which exec then resets to default):
// bit N of closed_stdio: fd N was closed; bit N-1 of ignored_signals:
// signal N was SIG_IGN; blocked_signals: the signal mask, bit N-1 for signal N.
extern int syscage_closed_stdio;
extern uint64_t syscage_ignored_signals;
extern uint64_t syscage_blocked_signals;

enum {
	SYSCAGE_STAGE_READ = 1,
	SYSCAGE_STAGE_PDEATHSIG,
	SYSCAGE_STAGE_NO_NEW_PRIVS,
	SYSCAGE_STAGE_SECCOMP,
	SYSCAGE_STAGE_EXECVE,
};

#endif
