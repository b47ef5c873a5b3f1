/*
 * file.c - files written for people, never readable by others (see file.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amanat/file.h"

#define FILE_MODE 0640

static int create_fd(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, FILE_MODE);
	if (fd < 0)
		return -1;
	struct stat st;
	/* An existing file keeps its mode on O_TRUNC: take from others what
	 * an older amanat or a hand-made file gave them. */
	if (fstat(fd, &st) || (S_ISREG(st.st_mode) && (st.st_mode & 0007) &&
			       fchmod(fd, st.st_mode & 0770 & ~0111))) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

FILE *file_create(const char *path)
{
	int fd = create_fd(path);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int err = errno;
		close(fd);
		errno = err;
	}
	return f;
}

int file_precreate(const char *path)
{
	int fd = create_fd(path);
	return fd < 0 ? -1 : close(fd);
}
