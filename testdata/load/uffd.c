// uffd.c: a tracee whose openat paths lie on userfaultfd pages.
//
//   uffd [N]
//
// A thread serves the pages' missing faults (poll, read, UFFDIO_COPY);
// N threads (default 1) then open, at once, a path each on a page of its
// own. Under syscage with the serving thread's calls notified, every
// supervisor worker that reads one of those paths waits for its fault,
// which waits for the serving thread's poll to be answered by yet another
// worker. Exits 0 and prints "opened N paths" once every open returned;
// exits 3 when userfaultfd is unavailable (kernel or permission:
// vm.unprivileged_userfaultfd).
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int uffd;
static long pagesize;
static char *contents;

static void *serve(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd p = {.fd = uffd, .events = POLLIN};
		if (poll(&p, 1, -1) < 0)
			continue;
		struct uffd_msg m;
		if (read(uffd, &m, sizeof m) != sizeof m || m.event != UFFD_EVENT_PAGEFAULT)
			continue;
		struct uffdio_copy c = {
			.dst = m.arg.pagefault.address & ~(unsigned long long)(pagesize - 1),
			.src = (unsigned long)contents,
			.len = pagesize,
		};
		ioctl(uffd, UFFDIO_COPY, &c);
	}
	return NULL;
}

static char *region;
static pthread_barrier_t ready;

static void *opener(void *arg)
{
	char *page = region + (long)arg * pagesize;
	pthread_barrier_wait(&ready);
	int fd = open(page, O_RDONLY);
	if (fd < 0) {
		perror("open");
		exit(1);
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1;
	if (n < 1 || n > 256) {
		fprintf(stderr, "usage: uffd [N], N in 1..256\n");
		return 2;
	}
	pagesize = sysconf(_SC_PAGESIZE);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	struct uffdio_api api = {.api = UFFD_API};
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0) {
		perror("userfaultfd");
		return 3;
	}
	region = mmap(NULL, n * pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uffdio_register reg = {
		.range = {.start = (unsigned long)region, .len = n * pagesize},
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (region == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
		perror("UFFDIO_REGISTER");
		return 3;
	}
	contents = aligned_alloc(pagesize, pagesize);
	memset(contents, 0, pagesize);
	strcpy(contents, "/dev/null");
	pthread_t t;
	pthread_create(&t, NULL, serve, NULL);
	pthread_barrier_init(&ready, NULL, n);
	pthread_t *th = calloc(n, sizeof *th);
	for (long i = 0; i < n; i++)
		pthread_create(&th[i], NULL, opener, (void *)i);
	for (long i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	printf("opened %ld paths\n", n);
	return 0;
}
