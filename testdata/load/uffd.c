// uffd.c: a tracee whose openat path lies on a userfaultfd page.
//
//   uffd
//
// A second thread serves the page's missing fault (poll, read,
// UFFDIO_COPY); the main thread then opens the path on that page. Under
// syscage with that thread's calls notified, the supervisor's read of the
// path waits for the fault, which waits for the thread's poll to be
// answered by another receiving worker. Exits 0 and prints "opened PATH"
// once the open returned; exits 3 when userfaultfd is unavailable (kernel
// or permission: vm.unprivileged_userfaultfd).
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

int main(void)
{
	pagesize = sysconf(_SC_PAGESIZE);
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	struct uffdio_api api = {.api = UFFD_API};
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0) {
		perror("userfaultfd");
		return 3;
	}
	char *page = mmap(NULL, pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct uffdio_register reg = {
		.range = {.start = (unsigned long)page, .len = pagesize},
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	if (page == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
		perror("UFFDIO_REGISTER");
		return 3;
	}
	contents = aligned_alloc(pagesize, pagesize);
	memset(contents, 0, pagesize);
	strcpy(contents, "/dev/null");
	pthread_t t;
	pthread_create(&t, NULL, serve, NULL);
	int fd = open(page, O_RDONLY);
	if (fd < 0) {
		perror("open");
		return 1;
	}
	printf("opened %s\n", page);
	return 0;
}
