/*
 * turn.c - a long writer (a register import) gives the write lock to a
 * waiting one (a scan, a sync's acknowledgements) as soon as it waits.
 *
 * SQLite has no queue for its write lock: a writer that finds it taken
 * looks again every millisecond (db.c busy_wait), and a long writer that
 * commits in slices would have to guess how long to leave the lock free
 * between them.  Under load the waiting one's sleep runs longer than the
 * gap and it misses slice after slice (86 ms behind a 100,000-line
 * import).  So waiting is made visible: a connection waiting in BEGIN holds
 * a shared flock(2) on the file DB-wait beside the database, and the long
 * writer asks, every few dozen rows, whether anyone holds it (an exclusive
 * lock it cannot take).  Then it commits at once, and starts its next
 * slice only once the waiting ones have the lock.  flock locks belong to
 * an open file, not to a process (unlike the fcntl locks SQLite uses, which
 * another open of the same file would drop), and die with their process,
 * so a killed waiter leaves nothing behind.  The file stays empty.  Where it
 * cannot be made or opened, nothing is announced and a long writer falls
 * back to its time limit per slice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "store_internal.h"

static int turn_fd(struct store *s)
{
	if (s->turn_fd == 0) {	/* not tried yet */
		char path[sizeof s->path + 8];
		struct am_error ignore;
		snprintf(path, sizeof path, "%s-wait", s->path);
		s->turn_fd = -1;
		if (store_create_file(path, &ignore) == 0) {
			int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			s->turn_fd = fd >= 0 ? fd + 1 : -1;
		}
	}
	return s->turn_fd > 0 ? s->turn_fd - 1 : -1;
}

void turn_waiting(struct store *s)
{
	int fd;
	if (!s->turn_in_begin || s->turn_held || (fd = turn_fd(s)) < 0)
		return;
	/* not blocking: a long writer asking right now holds it for a moment,
	 * and the next look (a millisecond later) tries again */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		s->turn_held = true;
}

void turn_done(struct store *s)
{
	if (s->turn_held && s->turn_fd > 0)
		flock(s->turn_fd - 1, LOCK_UN);
	s->turn_held = false;
}

bool turn_someone_waits(struct store *s)
{
	int fd = turn_fd(s);
	if (fd < 0 || s->turn_held)
		return false;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		flock(fd, LOCK_UN);
		return false;
	}
	return errno == EWOULDBLOCK;
}

bool turn_give(struct store *s, int max_ms)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (!turn_someone_waits(s))
			return true;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= max_ms)
			return false;
		usleep(200);
	}
}

void turn_close(struct store *s)
{
	if (s->turn_fd > 0)
		close(s->turn_fd - 1);
	s->turn_fd = 0;
	s->turn_held = false;
}
