/*
 * store_fixture.h - what the store's cmocka tests share: S10 waybills, a
 * small inbound register, and a temporary folder removed without a shell.
 * Every .c file in tests/support is linked into each test (Makefile TEST_HELP).
 */
#ifndef AMANAT_TEST_STORE_FIXTURE_H
#define AMANAT_TEST_STORE_FIXTURE_H

#include <stddef.h>
#include "amanat/register.h"
#include "amanat/store.h"

/* The S10 waybill RR<serial><check>KZ (UPU S10 weights). */
void fixture_s10(long serial, char out[14]);
/* An inbound register id SC -> KP of n lines, waybills from serial first
 * (application "APP", postomat "PM-1", Almaty). */
void fixture_register(struct reg *r, const char *id, long first, int n);
/* A fresh page-for-page copy of the database from at to (what was at to
 * removed first), then each of the SQL texts sql[0..n-1] run on the copy
 * in turn (a failing one fails the test). */
void fixture_copy(const char *from, const char *to, const char *const *sql, int n);
/* The calendar the store's tests count working days by (2026-03-23 off,
 * Nauryz), and *rules for it: S10 waybills, +05:00.  calendar_free it. */
struct calendar *fixture_rules(struct store_rules *rules);
/* A new folder made from the template dir (mkdtemp's XXXXXX) and the
 * database's path in it, t.db. */
void fixture_tmpdb(char *dir, char *path, size_t path_len);
/* Remove dir and everything under it: 0, or -1. */
int fixture_rmtree(const char *dir);

#endif
