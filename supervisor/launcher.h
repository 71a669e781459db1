// Shared between launcher.c and the Go side (launch.go reads these through cgo).
#ifndef SYSCAGE_LAUNCHER_H
#define SYSCAGE_LAUNCHER_H

// The environment variable that turns a syscage process into the launcher.
#define SYSCAGE_LAUNCH_ENV "_SYSCAGE_LAUNCHER"
// The hand-off socket's fd in the launcher (the first of os/exec's ExtraFiles).
#define SYSCAGE_HANDOFF_FD 3
// The sendmsg flags of the hand-off: the filter allows sendmsg on
// SYSCAGE_HANDOFF_FD with exactly these flags without notifying it.
// MSG_NOSIGNAL|MSG_DONTWAIT|MSG_EOR: harmless on a unix SOCK_SEQPACKET socket
// and an unlikely combination for a tracee to use on fd 3.
#define SYSCAGE_HANDOFF_FLAGS (0x4000 | 0x40 | 0x80)
#define SYSCAGE_LAUNCH_MAGIC 0x53594347u
// Exit status of a launcher that failed before or at execve.
#define SYSCAGE_LAUNCH_FAILED 127

// Set by the constructor in a syscage that is not a launcher.
extern int syscage_closed_stdio;

enum {
	SYSCAGE_STAGE_READ = 1,
	SYSCAGE_STAGE_PDEATHSIG,
	SYSCAGE_STAGE_NO_NEW_PRIVS,
	SYSCAGE_STAGE_SECCOMP,
	SYSCAGE_STAGE_EXECVE,
};

#endif
