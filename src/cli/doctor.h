/*
 * doctor.h - what the parts of `amanat doctor` share: each check reports one
 * line, ✓ or ✗, and when it fails names the one broken thing and its fix.
 */
#ifndef AMANAT_DOCTOR_H
#define AMANAT_DOCTOR_H

#include <stdbool.h>
#include "amanat/cli.h"

/* The group whose members run the UI and may write the database. */
#define DOCTOR_GROUP "amanat"
/* The group of the sync service: the only one that reads the token. */
#define DOCTOR_SYNC_GROUP "amanat-sync"

struct checks {
	struct cli *c;
	json_t *arr;
	int failed;
};

void doctor_report(struct checks *k, const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The database, its -wal and -shm, their folder, and this user's groups. */
void doctor_check_files(struct checks *k);
/* A file holding a secret (the token) must not be readable by UI users. */
void doctor_check_secret(struct checks *k, const char *what, const char *path);

#endif
