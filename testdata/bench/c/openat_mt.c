// openat_mt.c: the multi-threaded openat+close loop of `make bench`.
//
//   openat_mt T N PATH
//
// starts T threads that together open and close PATH N times (N/T each,
// the remainder spread over the first threads), all released at once by a
// barrier. Prints "loop_ns=... calls=N failed=K start_ns=... end_ns=..." on
// stdout, loop_ns running from the barrier to the last join, start_ns and
// end_ns the CLOCK_MONOTONIC times of main's start and of the print.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static pthread_barrier_t start;
static const char *path;

struct job {
	pthread_t th;
	long n;
	long failed;
};

static void *run(void *arg) {
	struct job *j = arg;
	pthread_barrier_wait(&start);
	for (long i = 0; i < j->n; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY);
		if (fd < 0) {
			j->failed++;
			continue;
		}
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv) {
	long long started = now_ns();
	if (argc != 4) {
		fprintf(stderr, "usage: %s T N PATH\n", argv[0]);
		return 2;
	}
	int t = atoi(argv[1]);
	long n = atol(argv[2]);
	path = argv[3];
	if (t < 1 || t > 1024) {
		fprintf(stderr, "openat_mt: bad thread count %d\n", t);
		return 2;
	}
	struct job *jobs = calloc(t, sizeof *jobs);
	if (!jobs)
		return 1;
	pthread_barrier_init(&start, NULL, t + 1);
	for (int i = 0; i < t; i++) {
		jobs[i].n = n / t + (i < n % t);
		if (pthread_create(&jobs[i].th, NULL, run, &jobs[i]) != 0) {
			perror("pthread_create");
			return 1;
		}
	}
	long long t0 = now_ns();
	pthread_barrier_wait(&start);
	long failed = 0;
	for (int i = 0; i < t; i++) {
		pthread_join(jobs[i].th, NULL);
		failed += jobs[i].failed;
	}
	long long t1 = now_ns();
	printf("loop_ns=%lld calls=%ld failed=%ld start_ns=%lld end_ns=%lld\n", t1 - t0, n, failed, started, now_ns());
	return 0;
}
