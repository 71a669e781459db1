// children.c: a process that starts many short-lived children.
//
//   children N PATH
//
// forks N children one after another; child I opens PATH.I once and
// exits. Each child is a thread of its own for syscage -ff: N trace files
// besides the parent's, more than a low RLIMIT_NOFILE lets syscage keep
// open at once.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int n = atoi(argv[1]);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			char path[4096];
			snprintf(path, sizeof path, "%s.%d", argv[2], i);
			int fd = open(path, O_RDONLY);
			if (fd >= 0)
				close(fd);
			_exit(0);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return 1;
	}
	return 0;
}
