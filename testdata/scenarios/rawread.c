/*
 * rawread: copies the file PATH to standard output with plain read() and
 * write() calls of at most 16 bytes, and gives up at the first error,
 * printing "rawread: CALL: <strerror>" to standard error and exiting 1. It
 * does not retry an interrupted call: under the eintr-storm scenario it
 * fails where cat and python3 survive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[16];
	ssize_t n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: rawread PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "rawread: open: %s\n", strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (write(1, buf, (size_t)n) != n) {
			fprintf(stderr, "rawread: write: %s\n", strerror(errno));
			return 1;
		}
	}
	if (n < 0) {
		fprintf(stderr, "rawread: read: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
