// quitter.c: a process that exits while its threads are inside calls.
//
//   quitter T USEC PATH
//
// starts T threads that open PATH in a loop, then, USEC microseconds
// later, ends the process with _exit(3) from the main thread. Under a
// scenario that delays every open, the process dies while some of its
// threads wait for a delayed answer.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static const char *path;

static void *loop(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = open(path, O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int t = atoi(argv[1]);
	path = argv[3];
	for (int i = 0; i < t; i++) {
		pthread_t th;
		pthread_create(&th, NULL, loop, NULL);
	}
	usleep(atoi(argv[2]));
	_exit(3);
}
