/*
 * device.c - the scanner's port: libserialport for real serial ports
 * (enumeration, USB ids, settings), plain termios for what libserialport
 * cannot open (pseudo-terminals: ser2net, socat).  Non-blocking, inside the
 * caller's poll() loop; an unplugged device (POLLHUP, read() == 0 or EIO)
 * is closed and looked for again every reconnect interval.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <libserialport.h>
#include "amanat/i18n.h"
#include "amanat/scan.h"

struct scanner {
	struct scan_reader reader;
	char want[256];			/* configured port: a path or "auto" */
	char port[256];			/* the port in use */
	struct sp_port *sp;		/* libserialport handle, or NULL */
	int fd;				/* termios fd, or sp's handle; -1 when closed */
	int baud, data_bits, stop_bits;
	char parity, flow[8];
	char usb_ids[256];
	int reconnect_ms;
	int64_t next_try_ms;
	bool connected, announced_missing;
};

static void emit(struct scanner *sc, enum scan_event_kind kind, const char *msg)
{
	struct scan_event *ev = reader_push(&sc->reader, kind);
	snprintf(ev->message, sizeof ev->message, "%s", msg);
}

static speed_t baud_const(int baud)
{
	switch (baud) {
	case 1200: return B1200;
	case 2400: return B2400;
	case 4800: return B4800;
	case 9600: return B9600;
	case 19200: return B19200;
	case 38400: return B38400;
	case 57600: return B57600;
	case 115200: return B115200;
	case 230400: return B230400;
	default: return 0;
	}
}

static int open_termios(struct scanner *sc, const char *path)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct termios t;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		speed_t sp = baud_const(sc->baud);
		if (sp) {
			cfsetispeed(&t, sp);
			cfsetospeed(&t, sp);
		}
		t.c_cflag &= ~(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
		t.c_cflag |= CLOCAL | CREAD;
		t.c_cflag |= sc->data_bits == 7 ? CS7 : CS8;
		if (sc->parity == 'e')
			t.c_cflag |= PARENB;
		else if (sc->parity == 'o')
			t.c_cflag |= PARENB | PARODD;
		if (sc->stop_bits == 2)
			t.c_cflag |= CSTOPB;
		if (!strcmp(sc->flow, "rtscts"))
			t.c_cflag |= CRTSCTS;
		t.c_iflag &= ~(IXON | IXOFF);
		if (!strcmp(sc->flow, "xonxoff"))
			t.c_iflag |= IXON | IXOFF;
		t.c_cc[VMIN] = 0;
		t.c_cc[VTIME] = 0;
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

/* libserialport for a real port; fails on a pty (facts.md). */
static int open_libserialport(struct scanner *sc, const char *path)
{
	struct sp_port *p;
	if (sp_get_port_by_name(path, &p) != SP_OK)
		return -1;
	if (sp_open(p, SP_MODE_READ_WRITE) != SP_OK) {
		sp_free_port(p);
		return -1;
	}
	sp_set_baudrate(p, sc->baud);
	sp_set_bits(p, sc->data_bits);
	sp_set_parity(p, sc->parity == 'e' ? SP_PARITY_EVEN : sc->parity == 'o' ? SP_PARITY_ODD : SP_PARITY_NONE);
	sp_set_stopbits(p, sc->stop_bits);
	sp_set_flowcontrol(p, !strcmp(sc->flow, "rtscts") ? SP_FLOWCONTROL_RTSCTS
			   : !strcmp(sc->flow, "xonxoff") ? SP_FLOWCONTROL_XONXOFF : SP_FLOWCONTROL_NONE);
	int fd = -1;
	if (sp_get_port_handle(p, &fd) != SP_OK || fd < 0) {
		sp_close(p);
		sp_free_port(p);
		return -1;
	}
	sc->sp = p;
	return fd;
}

/* "auto": /dev/amanat-scanner (packaging/udev), else the first port whose
 * USB vid:pid is in scanner.usb_ids. */
static int find_auto(struct scanner *sc, char *path, size_t len)
{
	struct sp_port **ports;
	int found = -1;
	if (access("/dev/amanat-scanner", R_OK | W_OK) == 0) {	/* the udev rule's name */
		snprintf(path, len, "%s", "/dev/amanat-scanner");
		return 0;
	}
	if (sp_list_ports(&ports) != SP_OK)
		return -1;
	for (int i = 0; ports[i] && found < 0; i++) {
		int vid = 0, pid = 0;
		if (sp_get_port_transport(ports[i]) != SP_TRANSPORT_USB
		    || sp_get_port_usb_vid_pid(ports[i], &vid, &pid) != SP_OK)
			continue;
		char id[16];
		snprintf(id, sizeof id, "%04x:%04x", vid, pid);
		char vendor_only[8];
		snprintf(vendor_only, sizeof vendor_only, "%04x:*", vid);
		if (strstr(sc->usb_ids, id) || strstr(sc->usb_ids, vendor_only)) {
			snprintf(path, len, "%s", sp_get_port_name(ports[i]));
			found = 0;
		}
	}
	sp_free_port_list(ports);
	return found;
}

static void try_connect(struct scanner *sc, int64_t now)
{
	char path[256];
	sc->next_try_ms = now + sc->reconnect_ms;
	if (!strcmp(sc->want, "auto")) {
		if (find_auto(sc, path, sizeof path) != 0)
			return;
	} else {
		snprintf(path, sizeof path, "%s", sc->want);
	}
	const char *how = "libserialport";
	int fd = open_libserialport(sc, path);
	if (fd < 0) {	/* a pty (ser2net, socat): libserialport refuses it */
		fd = open_termios(sc, path);
		how = "termios";
	}
	if (fd < 0)
		return;
	sc->fd = fd;
	sc->connected = true;
	snprintf(sc->port, sizeof sc->port, "%s", path);
	char msg[300];
	snprintf(msg, sizeof msg, _("scanner connected: %s"), path);
	snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (%s)", how);
	emit(sc, SCAN_EV_CONNECTED, msg);
}

static void disconnect(struct scanner *sc, int64_t now)
{
	if (sc->sp) {
		sp_close(sc->sp);
		sp_free_port(sc->sp);
		sc->sp = NULL;
	} else if (sc->fd >= 0) {
		close(sc->fd);
	}
	sc->fd = -1;
	sc->connected = false;
	sc->next_try_ms = now + sc->reconnect_ms;
	reader_tick(&sc->reader, now + 1000000);	/* a half code is lost with the cable */
	emit(sc, SCAN_EV_DISCONNECTED, _("scanner disconnected: check the cable; it reconnects by itself"));
}

struct scanner *scanner_open(const struct config *cfg, const char *port, struct am_error *e)
{
	struct scan_settings set;
	if (scan_settings_from_config(&set, cfg, e))
		return NULL;
	struct scanner *sc = calloc(1, sizeof *sc);
	if (!sc) {
		am_fail(e, AM_ENV, _("out of memory"));
		return NULL;
	}
	reader_init(&sc->reader, &set);
	sc->fd = -1;
	snprintf(sc->want, sizeof sc->want, "%s", port && *port ? port : config_get(cfg, "scanner.port", "auto"));
	sc->baud = (int)config_get_long(cfg, "scanner.baud", 9600);
	sc->data_bits = (int)config_get_long(cfg, "scanner.data_bits", 8);
	sc->stop_bits = (int)config_get_long(cfg, "scanner.stop_bits", 1);
	const char *parity = config_get(cfg, "scanner.parity", "none");
	sc->parity = (char)(parity[0] == 'e' ? 'e' : parity[0] == 'o' ? 'o' : 'n');
	snprintf(sc->flow, sizeof sc->flow, "%s", config_get(cfg, "scanner.flow", "none"));
	/* A starting list of well-known scanner vendors (Honeywell, Zebra/Symbol,
	 * Datalogic, Newland); add models by "vid:pid" in config. */
	snprintf(sc->usb_ids, sizeof sc->usb_ids, "%s",
		 config_get(cfg, "scanner.usb_ids", "0c2e:*,05e0:*,05f9:*,1eab:*"));
	sc->reconnect_ms = (int)config_get_long(cfg, "scanner.reconnect_ms", 1000);
	if (!baud_const(sc->baud)) {
		free(sc);
		am_fail(e, AM_ENV, _("config: scanner.baud is one of 1200 ... 230400"));
		return NULL;
	}
	try_connect(sc, 0);
	return sc;
}

void scanner_close(struct scanner *sc)
{
	if (!sc)
		return;
	if (sc->sp) {
		sp_close(sc->sp);
		sp_free_port(sc->sp);
	} else if (sc->fd >= 0) {
		close(sc->fd);
	}
	free(sc);
}

int scanner_pollfd(const struct scanner *sc)
{
	return sc && sc->connected ? sc->fd : -1;
}

bool scanner_connected(const struct scanner *sc)
{
	return sc && sc->connected;
}

const char *scanner_port(const struct scanner *sc)
{
	return sc->connected ? sc->port : sc->want;
}

int scanner_timeout_ms(const struct scanner *sc, int64_t now)
{
	int t = reader_timeout_ms(&sc->reader, now);
	if (!sc->connected) {
		int64_t left = sc->next_try_ms - now;
		int r = left < 0 ? 0 : (int)left;
		if (t < 0 || r < t)
			t = r;
	}
	return t;
}

void scanner_handle(struct scanner *sc, short revents, int64_t now)
{
	if (!sc->connected) {
		if (now >= sc->next_try_ms)
			try_connect(sc, now);
		return;
	}
	if (revents & POLLIN) {
		unsigned char buf[4096];
		for (;;) {
			/* Read no more than the queue can hold (a code is at least two
			 * bytes): what stays in the kernel is read on the next turn of
			 * the loop, so a burst of scans is never dropped. */
			int room = SCAN_QUEUE - sc->reader.count - 2;
			if (room <= 0)
				return;
			size_t want = (size_t)room * 2 < sizeof buf ? (size_t)room * 2 : sizeof buf;
			ssize_t n = read(sc->fd, buf, want);
			if (n > 0) {
				reader_feed(&sc->reader, buf, (size_t)n, now);
				continue;
			}
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				break;
			/* With VMIN = VTIME = 0 a read of 0 only means "no more now";
			 * it is the end when poll also said the line hung up.  EIO: the
			 * other end of a pty is gone. */
			if (n == 0 && !(revents & (POLLHUP | POLLERR)))
				break;
			disconnect(sc, now);
			return;
		}
	} else if (revents & (POLLHUP | POLLERR | POLLNVAL)) {
		disconnect(sc, now);
		return;
	}
	reader_tick(&sc->reader, now);
}

bool scanner_next(struct scanner *sc, struct scan_event *out)
{
	return reader_next(&sc->reader, out);
}

int scanner_list(int (*cb)(const struct scan_port *, void *), void *arg, struct am_error *e)
{
	struct sp_port **ports;
	if (sp_list_ports(&ports) != SP_OK)
		return am_fail(e, AM_ENV, _("cannot list serial ports"));
	for (int i = 0; ports[i]; i++) {
		struct scan_port p;
		memset(&p, 0, sizeof p);
		snprintf(p.name, sizeof p.name, "%s", sp_get_port_name(ports[i]));
		const char *d = sp_get_port_description(ports[i]);
		snprintf(p.description, sizeof p.description, "%s", d ? d : "");
		if (sp_get_port_transport(ports[i]) == SP_TRANSPORT_USB)
			sp_get_port_usb_vid_pid(ports[i], &p.vid, &p.pid);
		if (cb(&p, arg))
			break;
	}
	sp_free_port_list(ports);
	return 0;
}
