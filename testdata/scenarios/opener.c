/*
 * opener: opens each PATH argument read-only, in order, and prints
 * "PATH: ok" or "PATH: <strerror>" for each. With --fork first, a forked
 * child does the same before its parent, and each line starts with "child "
 * or "parent ".
 *
 * The end-to-end tests of cmd/syscage link it statically: a static program
 * makes no openat calls of its own (no dynamic loader, no locale files), so
 * strace's per-syscall counters (-e inject=openat:when=2) count exactly the
 * opens of its arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int first = 1;
	const char *who = "";

	if (argc > 1 && strcmp(argv[1], "--fork") == 0) {
		pid_t pid;

		first = 2;
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid > 0) {
			int status;

			if (waitpid(pid, &status, 0) < 0) {
				perror("waitpid");
				return 1;
			}
			who = "parent ";
		} else {
			who = "child ";
		}
	}
	for (int i = first; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);

		if (fd < 0) {
			printf("%s%s: %s\n", who, argv[i], strerror(errno));
			continue;
		}
		printf("%s%s: ok\n", who, argv[i]);
		close(fd);
	}
	return 0;
}
