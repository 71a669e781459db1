// storm: THREADS threads each open PATH CALLS times while a signal thread
// sends SIGUSR1 (handler with SA_RESTART) and SIGUSR2 (handler without) to
// them as fast as it can. An open that fails with EINTR is retried, as a
// careful program does. Prints: opened=N injected=N eintr=N signals=N.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *path;
static int calls;
static atomic_long opened, injected, eintr, sent;
static atomic_int done;
static pid_t *tids;
static atomic_int ready;

static void handler(int sig) { (void)sig; }

static void *worker(void *arg)
{
	tids[(long)arg] = (pid_t)syscall(SYS_gettid);
	atomic_fetch_add(&ready, 1);
	for (int i = 0; i < calls; i++) {
		int fd;
		while ((fd = open(path, O_RDONLY)) < 0 && errno == EINTR)
			atomic_fetch_add(&eintr, 1);
		if (fd >= 0) {
			atomic_fetch_add(&opened, 1);
			close(fd);
		} else if (errno == EIO) {
			atomic_fetch_add(&injected, 1);
		} else {
			fprintf(stderr, "open: %s\n", strerror(errno));
			exit(1);
		}
	}
	return NULL;
}

static void *storm(void *arg)
{
	long n = (long)arg;
	unsigned seed = 1;
	while (!atomic_load(&done)) {
		pid_t tid = tids[rand_r(&seed) % n];
		if (tid > 0 && syscall(SYS_tgkill, getpid(), tid, (rand_r(&seed) & 1) ? SIGUSR1 : SIGUSR2) == 0)
			atomic_fetch_add(&sent, 1);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: storm PATH THREADS CALLS\n");
		return 2;
	}
	path = argv[1];
	long threads = atol(argv[2]);
	calls = atoi(argv[3]);
	struct sigaction sa = {.sa_handler = handler, .sa_flags = SA_RESTART};
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	tids = calloc(threads, sizeof(pid_t));
	pthread_t *th = calloc(threads, sizeof(pthread_t)), st;
	for (long i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	while (atomic_load(&ready) < threads)
		usleep(100);
	pthread_create(&st, NULL, storm, (void *)threads);
	for (long i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	atomic_store(&done, 1);
	pthread_join(st, NULL);
	printf("opened=%ld injected=%ld eintr=%ld signals=%ld\n", opened, injected, eintr, sent);
	return 0;
}
