// getpid.c: the untraced-syscall loop of `make bench`.
//
//   getpid N [allow-all]
//
// makes N raw getpid system calls (syscall(SYS_getpid): no libc caching),
// which syscage's benchmark never notifies. With "allow-all" it first loads
// a one-instruction seccomp filter that allows everything: the kernel's own
// cost of having any filter at all, the floor under any seccomp tool.
//
// Prints "loop_ns=... calls=N failed=0 start_ns=... end_ns=..." on stdout:
// the loop's own time, and the CLOCK_MONOTONIC times of main's start and of
// the print, from which the driver tells launch and teardown costs apart.
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int allow_all(void) {
	struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
	struct sock_fprog prog = {.len = 1, .filter = f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		perror("prctl(PR_SET_NO_NEW_PRIVS)");
		return -1;
	}
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
		perror("seccomp(SECCOMP_SET_MODE_FILTER)");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv) {
	long long started = now_ns();
	if (argc != 2 && !(argc == 3 && strcmp(argv[2], "allow-all") == 0)) {
		fprintf(stderr, "usage: %s N [allow-all]\n", argv[0]);
		return 2;
	}
	long n = atol(argv[1]);
	if (argc == 3 && allow_all() != 0)
		return 1;
	long sum = 0;
	long long t0 = now_ns();
	for (long i = 0; i < n; i++)
		sum += syscall(SYS_getpid);
	long long t1 = now_ns();
	if (n > 0 && sum == 0)
		return 1; /* keeps the loop; a pid is never 0 */
	printf("loop_ns=%lld calls=%ld failed=0 start_ns=%lld end_ns=%lld\n", t1 - t0, n, started, now_ns());
	return 0;
}
