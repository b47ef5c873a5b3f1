/*
 * shim.c - an LD_PRELOAD shim for tests/scan/libserialport.sh: a pty does
 * not answer the modem-control ioctls (TIOCMGET and friends) that
 * libserialport's sp_open needs, so this answers them as a serial port with
 * DTR/RTS/CTS/DSR up would.  Every other ioctl goes to the real one.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/ioctl.h>

int ioctl(int fd, unsigned long req, ...)
{
	static int (*real)(int, unsigned long, ...);
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	int rc = real(fd, req, arg);
	if (rc < 0 && (errno == ENOTTY || errno == EINVAL)) {
		switch (req) {
		case TIOCMGET:
			*(int *)arg = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR;
			return 0;
		case TIOCMSET:
		case TIOCMBIS:
		case TIOCMBIC:
		case TIOCSSERIAL:
		case TIOCGSERIAL:
			return 0;
		}
	}
	return rc;
}
