// refsup.c: the reference supervisor of `make bench`, the least a seccomp
// user-notification supervisor does for a traced openat, in C. The bench runs
// the threaded loop under it with 1 and with 8 threads, beside syscage, so
// that each run measures how far the kernel and this machine let any
// notify supervisor scale with the tracee's threads (docs/performance.md).
//
//   refsup [-s] [-w WORKERS] -o FILE -- PROG [ARG...]
//
// runs PROG under a filter that notifies openat of the native arch and
// allows every other syscall. WORKERS threads (1 by default) each loop:
// SECCOMP_IOCTL_NOTIF_RECV, read the path with process_vm_readv, append the
// line `[pid TID] openat(DIRFD, "PATH", FLAGS)` to a 64 KiB buffer (one
// mutex, written to FILE when full and at the end), SECCOMP_IOCTL_NOTIF_SEND
// with SECCOMP_USER_NOTIF_FLAG_CONTINUE. -s turns on
// SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (SECCOMP_IOCTL_NOTIF_SET_FLAGS, Linux
// 6.6; refsup fails without it). No escaping, no result, no checks a real
// tool needs (ID_VALID, a thread that died): a floor, not a tracer.
//
// The listener comes back from the child over a socketpair (SCM_RIGHTS).
// Exits with PROG's exit status, 128+N if a signal N killed it, 2 on bad
// usage or a failed set-up.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "refsup: add this arch's AUDIT_ARCH_ value"
#endif

static int listener;
static FILE *out;
static pthread_mutex_t out_mu = PTHREAD_MUTEX_INITIALIZER;

static void die(const char *what) {
	fprintf(stderr, "refsup: %s: %s\n", what, strerror(errno));
	exit(2);
}

// read_path copies the NUL-terminated string at addr in task tid into
// buf (size n, n > 0), a page at a time; an unreadable string is empty.
static void read_path(pid_t tid, unsigned long addr, char *buf, size_t n) {
	size_t got = 0;
	while (got < n - 1) {
		size_t want = 4096 - ((addr + got) & 4095);
		if (want > n - 1 - got)
			want = n - 1 - got;
		struct iovec local = {buf + got, want};
		struct iovec remote = {(void *)(addr + got), want};
		ssize_t k = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (k <= 0)
			break;
		if (memchr(buf + got, 0, k))
			return;
		got += k;
	}
	buf[got] = 0;
}

static void *worker(void *arg) {
	(void)arg;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	char path[4096], line[4096 + 128];
	for (;;) {
		memset(&req, 0, sizeof req);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR)
				continue;
			return NULL; // ENOENT once the tracee is gone
		}
		read_path(req.pid, req.data.args[1], path, sizeof path);
		int dirfd = (int)req.data.args[0];
		int len;
		if (dirfd == AT_FDCWD)
			len = snprintf(line, sizeof line, "[pid %u] openat(AT_FDCWD, \"%s\", %#llx)\n",
				       req.pid, path, (unsigned long long)req.data.args[2]);
		else
			len = snprintf(line, sizeof line, "[pid %u] openat(%d, \"%s\", %#llx)\n",
				       req.pid, dirfd, path, (unsigned long long)req.data.args[2]);
		pthread_mutex_lock(&out_mu);
		fwrite(line, 1, len < (int)sizeof line ? len : (int)sizeof line - 1, out);
		pthread_mutex_unlock(&out_mu);
		memset(&resp, 0, sizeof resp);
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp); // fails if the thread died
	}
}

// child installs the filter, passes the listener to the parent over sock
// and runs argv.
static void child(int sock, char **argv) {
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS");
	int fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		die("seccomp");
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	char byte = 0;
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof fd);
	if (sendmsg(sock, &msg, 0) < 0)
		die("sendmsg");
	close(fd);
	close(sock);
	execvp(argv[0], argv);
	fprintf(stderr, "refsup: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int main(int argc, char **argv) {
	int sync = 0, workers = 1, opt;
	const char *file = NULL;
	while ((opt = getopt(argc, argv, "+sw:o:")) != -1) {
		switch (opt) {
		case 's': sync = 1; break;
		case 'w': workers = atoi(optarg); break;
		case 'o': file = optarg; break;
		default: goto usage;
		}
	}
	if (!file || workers < 1 || workers > 64 || optind >= argc)
		goto usage;
	out = fopen(file, "w");
	if (!out)
		die(file);
	setvbuf(out, NULL, _IOFBF, 64 << 10);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("socketpair");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(sv[0]);
		child(sv[1], argv + optind);
	}
	close(sv[1]);
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	char byte;
	struct iovec iov = {&byte, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	if (recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC) <= 0 || !CMSG_FIRSTHDR(&msg)) {
		fprintf(stderr, "refsup: the child passed no listener\n");
		return 2;
	}
	memcpy(&listener, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof listener);
	close(sv[0]);
	if (sync && ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, (unsigned long long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0)
		die("SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP");
	for (int i = 0; i < workers; i++) {
		pthread_t th;
		if (pthread_create(&th, NULL, worker, NULL) != 0)
			die("pthread_create");
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	// Every line was written before its SEND, so all are in the buffer.
	pthread_mutex_lock(&out_mu);
	if (fclose(out) != 0)
		die(file);
	if (WIFSIGNALED(status))
		_exit(128 + WTERMSIG(status));
	_exit(WEXITSTATUS(status));
usage:
	fprintf(stderr, "usage: refsup [-s] [-w WORKERS] -o FILE -- PROG [ARG...]\n");
	return 2;
}
