/*
 * bench_ptyfloor.c - the floor of bench/scan.sh's path: the same pty, read
 * the same way (raw, a line ends at CR or LF), one bare SQLite INSERT +
 * COMMIT (WAL, synchronous=FULL) per line, and the same answer line on
 * standard output.  What amanat's scan path costs beyond the transport is
 * its latency beside this one.
 *
 *   bench_ptyfloor DEVICE DBFILE COUNT
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_ptyfloor DEVICE DBFILE COUNT\n");
		return 2;
	}
	int fd = open(argv[1], O_RDWR | O_NOCTTY);
	struct termios tio;
	if (fd < 0 || tcgetattr(fd, &tio) != 0) {
		perror(argv[1]);
		return 1;
	}
	cfmakeraw(&tio);
	tcsetattr(fd, TCSANOW, &tio);
	sqlite3 *db;
	sqlite3_stmt *ins;
	if (sqlite3_open(argv[2], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS t(v TEXT)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?)", -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", argv[2], sqlite3_errmsg(db));
		return 1;
	}
	printf("connected %s\n", argv[1]);
	fflush(stdout);
	long want = strtol(argv[3], NULL, 10), done = 0;
	char line[256], buf[512];
	size_t n = 0;
	while (done < want) {
		ssize_t got = read(fd, buf, sizeof buf);
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] != '\r' && buf[i] != '\n') {
				if (n + 1 < sizeof line)
					line[n++] = buf[i];
				continue;
			}
			if (!n)
				continue;
			line[n] = '\0';
			n = 0;
			sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
			sqlite3_bind_text(ins, 1, line, -1, SQLITE_STATIC);
			sqlite3_step(ins);
			sqlite3_reset(ins);
			if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
				fprintf(stderr, "commit: %s\n", sqlite3_errmsg(db));
				return 1;
			}
			printf("%s matched\n", line);
			fflush(stdout);
			done++;
		}
	}
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return done == want ? 0 : 1;
}
