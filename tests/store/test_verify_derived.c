/*
 * test_verify_derived.c - what the full verify keeps and compares beside
 * the chain (src/store/verify_internal.h, verify_derived.c):
 *  - the one open-addressing map every replay slot lives in, for slots of
 *    two sizes, against a plain array, keys crowding one probe chain
 *    included, and slots told apart by their contents under one key;
 *  - the derived tables compared by digest first: a sound store passes,
 *    each kind of change to envelope, envelope_count and register_scan is
 *    still named, and the cases the digest leaves to the row-by-row and
 *    SQL checks (envelopes the point hub's feed changed, a register still
 *    being imported, a count of a state no envelope can be in) say what
 *    they said before.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "amanat/store.h"
#include "support/store_fixture.h"
#include "store/verify_internal.h"

/* ---- the map ------------------------------------------------------------ */

struct big {		/* another slot size: the key first, then 40 bytes */
	uint64_t key;
	uint64_t payload[5];
};

static uint64_t key_of(size_t i)
{
	/* every 16th key shares its low 20 bits with the others: one long probe chain */
	return i % 16 == 0 ? ((uint64_t)(i + 1) << 20) | 7 : (uint64_t)i * 0x9E3779B97F4A7C15ULL + 1;
}

static void map_matches_an_array_for_two_slot_sizes(void **state)
{
	(void)state;
	enum { N = 40000 };
	struct map small = { NULL, 0, 0 }, large = { NULL, 0, 0 };
	for (size_t i = 0; i < N; i++) {
		bool fresh = false;
		struct slot *a = map_get(&small, key_of(i), true);
		struct big *b = map_find(&large, sizeof *b, key_of(i), true, &fresh);
		assert_non_null(a);
		assert_non_null(b);
		assert_true(fresh);
		assert_int_equal(a->state, 0);	/* a new slot is zero after its key */
		assert_true(b->payload[0] == 0 && b->payload[4] == 0);
		a->cell = i;
		a->state = (uint8_t)(i % 7);
		b->payload[0] = i;
		b->payload[4] = ~(uint64_t)i;
		assert_true((small.n + 1) * 2 <= small.cap * 2 && small.n == i + 1);
	}
	assert_int_equal(small.n, N);
	assert_int_equal(large.n, N);
	assert_true(small.cap >= 2 * N && (small.cap & (small.cap - 1)) == 0);
	for (size_t i = 0; i < N; i++) {	/* every value kept through the growth */
		bool fresh = true;
		const struct slot *a = map_get(&small, key_of(i), false);
		const struct big *b = map_find(&large, sizeof *b, key_of(i), true, &fresh);
		assert_non_null(a);
		assert_non_null(b);
		assert_false(fresh);
		assert_true(a->cell == i && a->state == i % 7);
		assert_true(b->payload[0] == i && b->payload[4] == ~(uint64_t)i);
	}
	assert_int_equal(large.n, N);	/* finding adds nothing */
	for (size_t i = N; i < N + 1000; i++) {
		assert_null(map_get(&small, key_of(i), false));
		assert_null(map_find(&large, sizeof(struct big), key_of(i), false, NULL));
	}
	size_t occupied = 0;	/* the slots walked by index are the ones added */
	for (size_t i = 0; i < small.cap; i++)
		occupied += map_slot(&small, i)->key != 0;
	assert_int_equal(occupied, N);
	struct map empty = { NULL, 0, 0 };
	assert_null(map_get(&empty, 5, false));
	free(small.v);
	free(large.v);
}

struct named {
	uint64_t key;
	char name[8];
};

static bool same_name(const void *slot, const void *arg)
{
	return strcmp(((const struct named *)slot)->name, arg) == 0;
}

static void slots_told_apart_under_one_key(void **state)
{
	(void)state;
	struct map m = { NULL, 0, 0 };
	const char *names[] = { "ayan", "dana", "erlan" };
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3; i++) {
			bool fresh;
			struct named *v = map_find_same(&m, sizeof *v, 42, true, &fresh, same_name, names[i]);
			assert_non_null(v);
			assert_int_equal(fresh, round == 0);
			if (fresh)
				snprintf(v->name, sizeof v->name, "%s", names[i]);
			assert_string_equal(v->name, names[i]);
		}
	assert_int_equal(m.n, 3);
	assert_null(map_find_same(&m, sizeof(struct named), 42, false, NULL, same_name, "marat"));
	free(m.v);
}

/* ---- the derived tables ------------------------------------------------- */

static char dir[] = "/tmp/amanat-vderived.XXXXXX";
static char base[300], path[300];

/* Two registers of 20: one scanned and partly placed, one only imported. */
static void build(const char *p)
{
	struct store *s;
	struct am_error e;
	struct event_ctx ctx = { "clerk", "KP", 1770000000000LL, NULL };
	assert_int_equal(store_open(p, &s, &e), 0);
	assert_int_equal(store_init(s, "DEV-D", "KP", &e), 0);
	struct reg r[2];
	fixture_register(&r[0], "R-A", 41000000, 20);
	fixture_register(&r[1], "R-B", 42000000, 20);
	for (int k = 0; k < 2; k++)
		if (store_register_import(s, &r[k], &ctx, &e))
			fail_msg("import: %s", e.msg);
	for (int i = 0; i < 20; i++) {
		enum scan_result res;
		ctx.at_ms += 1000;
		assert_int_equal(store_tally_scan(s, "R-A", r[0].lines[i].waybill, &ctx, &res, NULL, 0, &e), 0);
	}
	char odd[14];
	enum scan_result res;
	fixture_s10(49000000, odd);
	assert_int_equal(store_tally_scan(s, "R-A", odd, &ctx, &res, NULL, 0, &e), 0);
	for (int i = 0; i < 6; i++) {
		struct transition tr = { .type = EV_OUT_FOR_DELIVERY, .waybill = r[0].lines[i].waybill,
					 .postomat = "PM-1", .courier = "C-1", .force = true };
		assert_int_equal(store_apply(s, &tr, &ctx, &e), 0);
		char cell[8];
		snprintf(cell, sizeof cell, "C%d", i);
		struct transition pl = { .type = EV_PLACED, .waybill = r[0].lines[i].waybill, .postomat = "PM-1",
					 .cell = cell, .courier = "C-1", .force = true, .reason = "cell-full" };
		assert_int_equal(store_apply(s, &pl, &ctx, &e), 0);
	}
	store_close(s);
	register_free(&r[0]);
	register_free(&r[1]);
}

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(base, sizeof base, "%s/base.db", dir);
	snprintf(path, sizeof path, "%s/t.db", dir);
	build(base);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fixture_rmtree(dir);
}

/* A fresh copy of the store with sql run on it. */
static void copy_with(const char *sql)
{
	fixture_copy(base, path, &sql, 1);
}

/* The full verify on threads threads (ranges of 16 events): its status,
 * and its message in msg. */
static int run(int threads, char msg[512])
{
	struct store *s;
	struct am_error e;
	size_t n;
	assert_int_equal(store_open(path, &s, &e), 0);
	memset(&e, 0, sizeof e);
	int rc = vfy_full(s, 16, threads, &n, &e);
	snprintf(msg, 512, "%s", rc ? e.msg : "");
	store_close(s);
	return rc;
}

/* sql applied; verify, on one thread and on three, must pass (want NULL)
 * or be refused with every word of want in its message. */
static void expect(const char *sql, const char *want, const char *want2)
{
	copy_with(sql);
	for (int t = 1; t <= 3; t += 2) {
		char msg[512];
		int rc = run(t, msg);
		if (!want && rc)
			fail_msg("%s on %d threads: refused \"%s\"", sql ? sql : "nothing", t, msg);
		if (want && (rc != AM_REFUSED || !strstr(msg, want) || (want2 && !strstr(msg, want2))))
			fail_msg("%s on %d threads: got %d \"%s\", want \"%s\" \"%s\"", sql, t, rc, msg, want,
				 want2 ? want2 : "");
	}
}

#define PLACED "(SELECT waybill FROM envelope WHERE state = 'placed' ORDER BY waybill LIMIT 1)"
#define FEED(w) "INSERT INTO feed_item(uuid, cursor, device, type, waybill, at_ms, applied, body, received_ms)" \
	" VALUES ('f-1', 1, 'DEV-X', 'collected', " w ", 1, 1, '{}', 1);"

static void sound_tables_pass_and_each_change_is_named(void **state)
{
	(void)state;
	expect(NULL, NULL, NULL);
	expect("UPDATE envelope SET cell = 'C99' WHERE waybill = " PLACED, "envelope", "another cell");
	expect("UPDATE envelope SET state = 'accepted' WHERE waybill = " PLACED, "is accepted there, the log says placed",
	       NULL);
	expect("UPDATE envelope SET state = 'gone' WHERE waybill = " PLACED, "is gone there, the log says placed", NULL);
	expect("DELETE FROM envelope WHERE waybill = " PLACED, "envelope", "rows are missing");
	expect("INSERT INTO envelope(waybill, state, register_id, updated_at) VALUES ('RR999999990KZ', 'accepted',"
	       " 'R-A', 1)", "envelope", "never registered");
	/* a cell emptied: the digest's cell of "" is none, as the replay's is */
	expect("UPDATE envelope SET cell = '' WHERE waybill = " PLACED, "envelope", "another cell");
	expect("UPDATE log_head SET n = n + 1 WHERE kind = 1 AND name = 'placed'", "envelope_count",
	       "placed says 7, the log gives 6");
	expect("DELETE FROM log_head WHERE kind = 1 AND name = 'registered'", "envelope_count",
	       "registered says 0, the log gives 20");
	/* R-A is open: its matched scans are marks on its envelopes' rows
	 * (schema 27), its unexpected one a row */
	expect("UPDATE register_scan SET result = 'matched' WHERE result = 'unexpected'", "register_scan",
	       "another result");
	expect("UPDATE envelope SET tally_seq = (SELECT max(seq) FROM event WHERE type = 'accepted')"
	       " WHERE waybill = (SELECT min(waybill) FROM envelope WHERE register_id = 'R-B')", "register_scan",
	       "no such scan");
	expect("UPDATE envelope SET tally_seq = 0 WHERE waybill = (SELECT min(waybill) FROM envelope"
	       " WHERE tally_seq > 0)", "register_scan", "rows are missing");
	expect("UPDATE log_head SET n = n + 1 WHERE kind = -1", "register_scan", "R-A says 21, the log gives 20");
	expect("DELETE FROM log_head WHERE kind = -1", "register_scan", "says 0, the log gives 20");
	expect("DELETE FROM register_scan WHERE code = (SELECT min(code) FROM register_scan)", "register_scan",
	       "rows are missing");
	expect("INSERT INTO register_scan(register_id, code, result, at_ms, actor) VALUES ('R-B', 'RR999999990KZ',"
	       " 'matched', 1, 'x')", "register_scan", "no such scan");
	/* a damaged mark without its event is no difference (it may precede it) */
	expect("INSERT INTO register_scan(register_id, code, result, at_ms, actor) VALUES ('R-B', 'RR999999990KZ',"
	       " 'damaged', 1, 'x')", NULL, NULL);
}

static void what_the_digest_leaves_to_the_slow_checks(void **state)
{
	(void)state;
	/* the hub's feed changed an envelope: its row is not compared */
	expect(FEED(PLACED) "UPDATE envelope SET cell = 'Z9' WHERE waybill = " PLACED, NULL, NULL);
	/* ... but every other row still is, and the counts by SQL */
	expect(FEED(PLACED) "UPDATE envelope SET cell = 'C99' WHERE waybill = (SELECT waybill FROM envelope"
	       " WHERE state = 'placed' ORDER BY waybill DESC LIMIT 1)", "envelope", "another cell");
	expect(FEED(PLACED) "UPDATE log_head SET n = n - 1 WHERE kind = 1 AND name = 'accepted'", "envelope_count",
	       "accepted");
	/* a register still being imported: its registered envelopes are not counted yet */
	const char *importing = "UPDATE register SET imported_at = 0 WHERE id = 'R-B';"
				"UPDATE log_head SET n = n - 20 WHERE kind = 1 AND name = 'registered';";
	expect(importing, NULL, NULL);
	expect("UPDATE register SET imported_at = 0 WHERE id = 'R-B'", "envelope_count",
	       "registered says 20, the log gives 0");
	char both[600];
	snprintf(both, sizeof both, "%s%s", FEED(PLACED), importing);	/* the same by SQL */
	expect(both, NULL, NULL);
	snprintf(both, sizeof both, "%s%s", FEED(PLACED), "UPDATE register SET imported_at = 0 WHERE id = 'R-B'");
	expect(both, "envelope_count", "registered");
	/* a count of a state no envelope can be in */
	expect("INSERT INTO log_head(kind, shift, name, n) VALUES (1, 0, 'bogus', 0)", NULL, NULL);
	expect("INSERT INTO log_head(kind, shift, name, n) VALUES (1, 0, 'bogus', 2)", "envelope_count", "bogus");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(map_matches_an_array_for_two_slot_sizes),
		cmocka_unit_test(slots_told_apart_under_one_key),
		cmocka_unit_test(sound_tables_pass_and_each_change_is_named),
		cmocka_unit_test(what_the_digest_leaves_to_the_slow_checks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
