/*
 * bench_start.c - start-up to the first drawn screen, seen from outside:
 * the program is started on a pseudo-terminal of 80x24, and the time runs
 * from fork to the last byte of its first screen (the output is then quiet
 * for QUIET_MS, and the program is ended).  The floor is the same for
 * `sqlite3 DB 'SELECT 1'`: a process that opens the database, asks it one
 * thing and writes the answer.
 *
 *   bench_start RUNS -- PROGRAM ARGS...
 *
 * Prints the median and the slowest of RUNS, in milliseconds.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench.h"

#define QUIET_MS 300

/* One start: the seconds from fork to the last byte before a quiet spell,
 * or -1 when nothing was drawn. */
static double one(char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int fd;
	double t0 = mono(), last = -1;
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	char buf[65536];
	size_t total = 0;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int r = poll(&p, 1, total ? QUIET_MS : 5000);
		if (r <= 0)
			break;
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;	/* the program ended (EIO on a pty) */
		total += (size_t)n;
		last = mono();
	}
	kill(pid, SIGTERM);
	int status;
	if (waitpid(pid, &status, WNOHANG) == 0) {
		usleep(100000);
		if (waitpid(pid, &status, WNOHANG) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
	}
	close(fd);
	return total && last > 0 ? last - t0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: bench_start RUNS -- PROGRAM ARGS...\n");
		return 2;
	}
	int runs = atoi(argv[1]);
	if (runs < 1 || runs > 1000)
		runs = 10;
	double *t = calloc((size_t)runs, sizeof *t);
	if (!t)
		return 1;
	for (int i = 0; i < runs; i++) {
		t[i] = one(argv + 3);
		if (t[i] < 0) {
			fprintf(stderr, "bench_start: %s drew nothing\n", argv[3]);
			return 1;
		}
	}
	double worst = 0;
	for (int i = 0; i < runs; i++)
		worst = t[i] > worst ? t[i] : worst;
	printf("%.1f ms median, %.1f ms slowest of %d\n", pct(t, runs, 50) * 1e3, worst * 1e3, runs);
	free(t);
	return 0;
}
