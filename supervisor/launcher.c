// The launcher: the child half of syscage run.
//
// Go cannot run code between fork and exec, and once the Go runtime starts it
// makes syscalls on every thread at times of its own choosing (futex, mmap,
// rt_sigprocmask, signal returns for SIGURG). Any of them made after the
// filter is loaded would be notified before the supervisor holds the listener
// fd, and nobody could ever answer it. So the child is a re-exec of syscage
// that never reaches the Go runtime: this constructor runs first, in a single
// thread with no signal handlers, and between loading the filter and execve it
// makes exactly one syscall, a sendmsg(2) of the listener fd on the hand-off
// socket that the filter always allows (policy.FilterSpec's exemption).
//
// Protocol on the hand-off socket (the fd named by SYSCAGE_LAUNCH_ENV, a
// SOCK_SEQPACKET unix socket; integers native-endian, uint32 unless said):
//   parent -> child, one message: magic, seccomp flags, ppid, the signals to
//     ignore (uint64), the signal mask (uint64), number of BPF instructions,
//     the instructions (struct sock_filter), the executable path, argc, argv
//     strings, envc, env strings (strings are length + bytes).
//   child -> parent, one message: status (0 or a failing errno), the flags
//     the filter was loaded with, and the stage that failed; with status 0 the
//     listener fd rides along as SCM_RIGHTS. If execve then fails, a second
//     message with the execve errno follows.

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "launcher.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static int handoff_fd = -1;

static void reply(uint32_t status, uint32_t flags, uint32_t stage, int fd)
{
	uint32_t msg[3] = {status, flags, stage};
	struct iovec iov = {.iov_base = msg, .iov_len = sizeof(msg)};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	// The filter allows exactly this call: fd and flags are the exemption.
	sendmsg(handoff_fd, &mh, SYSCAGE_HANDOFF_FLAGS);
}

static void fail(uint32_t stage)
{
	reply((uint32_t)errno, 0, stage, -1);
	_exit(SYSCAGE_LAUNCH_FAILED);
}

// take reads one uint32 from the message buffer; 0 when it is exhausted.
static uint32_t take(const char **p, const char *end)
{
	uint32_t v = 0;
	if (end - *p >= 4) {
		memcpy(&v, *p, 4);
		*p += 4;
	}
	return v;
}

static uint64_t take64(const char **p, const char *end)
{
	uint64_t v = 0;
	if (end - *p >= 8) {
		memcpy(&v, *p, 8);
		*p += 8;
	}
	return v;
}

// handoff returns the hand-off fd named by the environment, or -1 when the
// variable is absent or does not name a SOCK_SEQPACKET socket (a stray
// variable must not turn syscage into a launcher).
static int handoff(void)
{
	const char *v = getenv(SYSCAGE_LAUNCH_ENV);
	if (!v || !*v)
		return -1;
	char *end;
	long fd = strtol(v, &end, 10);
	int type;
	socklen_t len = sizeof(type);
	if (*end || fd < 3 || fd > 65535 ||
	    getsockopt((int)fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
		return -1;
	return (int)fd;
}

int syscage_closed_stdio;
uint64_t syscage_ignored_signals;
uint64_t syscage_blocked_signals;

// record notes what a syscage (not a launcher) started with.
static void record(void)
{
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0 && errno == EBADF)
			syscage_closed_stdio |= 1 << i;
	for (int sig = 1; sig <= 64; sig++) {
		struct sigaction sa;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			syscage_ignored_signals |= 1ULL << (sig - 1);
	}
	sigset_t set;
	if (sigprocmask(SIG_BLOCK, NULL, &set) == 0)
		for (int sig = 1; sig <= 64; sig++)
			if (sigismember(&set, sig) == 1)
				syscage_blocked_signals |= 1ULL << (sig - 1);
}

// restore gives the tracee the signal dispositions and mask syscage had.
static void restore(uint64_t ignored, uint64_t blocked)
{
	sigset_t set;
	sigemptyset(&set);
	for (int sig = 1; sig <= 64; sig++) {
		if (ignored & (1ULL << (sig - 1)))
			signal(sig, SIG_IGN);
		if (blocked & (1ULL << (sig - 1)))
			sigaddset(&set, sig);
	}
	sigprocmask(SIG_SETMASK, &set, NULL);
}

// strings decodes n length-prefixed strings into a NULL-terminated vector.
static char **strings(const char **p, const char *end, uint32_t n)
{
	char **v = calloc((size_t)n + 1, sizeof(char *));
	if (!v)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len = take(p, end);
		if ((size_t)(end - *p) < len)
			return NULL;
		v[i] = strndup(*p, len);
		if (!v[i])
			return NULL;
		*p += len;
	}
	return v;
}

__attribute__((constructor)) static void syscage_launcher(void)
{
	handoff_fd = handoff();
	if (handoff_fd < 0) {
		unsetenv(SYSCAGE_LAUNCH_ENV);
		record();
		return;
	}

	// One message holds the whole request; MSG_TRUNC reports its real size.
	size_t cap = 1 << 16;
	char *buf = NULL;
	ssize_t n;
	for (;;) {
		buf = realloc(buf, cap);
		if (!buf)
			fail(SYSCAGE_STAGE_READ);
		n = recv(handoff_fd, buf, cap, MSG_PEEK | MSG_TRUNC);
		if (n < 0)
			fail(SYSCAGE_STAGE_READ);
		if ((size_t)n <= cap)
			break;
		cap = (size_t)n;
	}
	n = recv(handoff_fd, buf, cap, 0);
	if (n < 0)
		fail(SYSCAGE_STAGE_READ);
	const char *p = buf, *end = buf + n;
	if (take(&p, end) != SYSCAGE_LAUNCH_MAGIC) {
		errno = EPROTO;
		fail(SYSCAGE_STAGE_READ);
	}
	uint32_t flags = take(&p, end);
	pid_t ppid = (pid_t)take(&p, end);
	uint64_t ignored = take64(&p, end);
	uint64_t blocked = take64(&p, end);
	uint32_t ninsn = take(&p, end);
	if ((size_t)(end - p) < (size_t)ninsn * sizeof(struct sock_filter)) {
		errno = EPROTO;
		fail(SYSCAGE_STAGE_READ);
	}
	struct sock_filter *insns = malloc((size_t)ninsn * sizeof(struct sock_filter) + 1);
	if (!insns)
		fail(SYSCAGE_STAGE_READ);
	memcpy(insns, p, (size_t)ninsn * sizeof(struct sock_filter));
	p += (size_t)ninsn * sizeof(struct sock_filter);
	char **path = strings(&p, end, 1);
	uint32_t argc = take(&p, end);
	char **argv = strings(&p, end, argc);
	uint32_t envc = take(&p, end);
	char **envp = strings(&p, end, envc);
	if (!path || !argv || !envp) {
		errno = EPROTO;
		fail(SYSCAGE_STAGE_READ);
	}

	// The tracee must not outlive the supervisor: unanswered notifications
	// would turn into ENOSYS and the program would run on, changed.
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		fail(SYSCAGE_STAGE_PDEATHSIG);
	if (getppid() != ppid) {
		errno = ESRCH;
		fail(SYSCAGE_STAGE_PDEATHSIG);
	}
	if (fcntl(handoff_fd, F_SETFD, FD_CLOEXEC) < 0)
		fail(SYSCAGE_STAGE_READ);
	restore(ignored, blocked);
	// Needed to load a filter without CAP_SYS_ADMIN; it also stops setuid
	// and file capabilities from granting privileges to the tracee.
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(SYSCAGE_STAGE_NO_NEW_PRIVS);

	struct sock_fprog prog = {.len = (unsigned short)ninsn, .filter = insns};
	long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (fd < 0 && errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
		// Before Linux 5.19: load without it.
		flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	}
	if (fd < 0)
		fail(SYSCAGE_STAGE_SECCOMP);

	// From here on every syscall but this sendmsg may be notified.
	reply(0, flags, 0, (int)fd);
	execve(path[0], argv, envp);
	reply((uint32_t)errno, flags, SYSCAGE_STAGE_EXECVE, -1);
	_exit(SYSCAGE_LAUNCH_FAILED);
}
