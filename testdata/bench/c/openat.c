// openat.c: the openat+close loop of `make bench`.
//
//   openat N PATH
//
// opens PATH read-only N times (openat(AT_FDCWD, PATH, O_RDONLY), as glibc's
// open does), closing each fd it gets. An open that fails is counted, not
// fatal: the injecting scenario makes every one of them fail with ENOENT.
// Prints "loop_ns=... calls=N failed=K start_ns=... end_ns=..." on stdout:
// the loop's own time, without process start-up and exit, and the
// CLOCK_MONOTONIC times of main's start and of the print, from which the
// driver tells launch and teardown costs apart.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
	long long started = now_ns();
	if (argc != 3) {
		fprintf(stderr, "usage: %s N PATH\n", argv[0]);
		return 2;
	}
	long n = atol(argv[1]);
	const char *path = argv[2];
	long failed = 0;
	long long t0 = now_ns();
	for (long i = 0; i < n; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY);
		if (fd < 0) {
			failed++;
			continue;
		}
		close(fd);
	}
	long long t1 = now_ns();
	printf("loop_ns=%lld calls=%ld failed=%ld start_ns=%lld end_ns=%lld\n", t1 - t0, n, failed, started, now_ns());
	return 0;
}
