/*
 * store_fixture.c - see store_fixture.h.
 */
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "store_fixture.h"

void fixture_copy(const char *from, const char *to, const char *const *sql, int n)
{
	sqlite3 *a, *b;
	remove(to);
	assert_int_equal(sqlite3_open(from, &a), SQLITE_OK);
	assert_int_equal(sqlite3_open(to, &b), SQLITE_OK);
	sqlite3_backup *k = sqlite3_backup_init(b, "main", a, "main");
	assert_non_null(k);
	assert_int_equal(sqlite3_backup_step(k, -1), SQLITE_DONE);
	sqlite3_backup_finish(k);
	sqlite3_close(a);
	for (int i = 0; i < n; i++) {
		char *err = NULL;
		if (sql[i] && sqlite3_exec(b, sql[i], NULL, NULL, &err))
			fail_msg("%s: %s", sql[i], err);
	}
	sqlite3_close(b);
}

void fixture_s10(long serial, char out[14])
{
	static const int w[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
	char d[16];
	snprintf(d, sizeof d, "%08ld", serial % 100000000);
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (d[i] - '0') * w[i];
	int c = 11 - sum % 11;
	c = c == 10 ? 0 : c == 11 ? 5 : c;
	snprintf(out, 14, "RR%s%dKZ", d, c);
}

void fixture_register(struct reg *r, const char *id, long first, int n)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", id);
	r->kind = REG_INBOUND;
	snprintf(r->from, sizeof r->from, "SC");
	snprintf(r->to, sizeof r->to, "KP");
	r->formed_at = 1770000000000LL;
	for (int i = 0; i < n; i++) {
		struct register_line l = { "", "APP", "PM-1", "Almaty", "" };
		fixture_s10(first + i, l.waybill);
		assert_int_equal(register_add_line(r, &l), 0);
	}
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int fixture_rmtree(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

struct calendar *fixture_rules(struct store_rules *rules)
{
	char err[128];
	struct calendar *cal = calendar_parse("2026-03-23 off Nauryz\n", err, sizeof err);
	assert_non_null(cal);
	*rules = (struct store_rules){ cal, 300, { 0 }, 0 };
	waybill_rule_default(&rules->waybill);
	return cal;
}

void fixture_tmpdb(char *dir, char *path, size_t path_len)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, path_len, "%s/t.db", dir);
}
