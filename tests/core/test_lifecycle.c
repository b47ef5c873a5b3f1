/*
 * test_lifecycle.c - the transition table, exhaustively: every (state,
 * event) pair is checked against the legal set written out here by hand
 * from design.md, so a change to the table must change this list too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "amanat/i18n.h"
#include "amanat/lifecycle.h"

struct legal { enum envelope_state from; enum event_type ev; int to; };

#define SAME (-2)
static const struct legal legal[] = {
	{ ST_NONE, EV_REGISTERED, ST_REGISTERED },
	{ ST_REGISTERED, EV_HANDED_TO_POINT, ST_HANDED_TO_POINT },
	{ ST_REGISTERED, EV_ACCEPTED, ST_ACCEPTED },
	{ ST_HANDED_TO_POINT, EV_ACCEPTED, ST_ACCEPTED },
	{ ST_ACCEPTED, EV_OUT_FOR_DELIVERY, ST_OUT_FOR_DELIVERY },
	{ ST_OUT_FOR_DELIVERY, EV_PLACED, ST_PLACED },
	{ ST_PLACED, EV_COLLECTED, ST_COLLECTED },
	{ ST_PLACED, EV_EXPIRED_REMOVED, ST_EXPIRED_REMOVED },
	{ ST_EXPIRED_REMOVED, EV_RETURNED_TO_POINT, ST_RETURNED_TO_POINT },
	{ ST_OUT_FOR_DELIVERY, EV_RETURNED_TO_POINT, ST_RETURNED_TO_POINT },
	{ ST_RETURNED_TO_POINT, EV_HANDED_BACK, ST_HANDED_BACK },
	{ ST_HANDED_TO_POINT, EV_HANDED_BACK, ST_HANDED_BACK },
	{ ST_REGISTERED, EV_LOST, ST_LOST },
	{ ST_HANDED_TO_POINT, EV_LOST, ST_LOST },
	{ ST_ACCEPTED, EV_LOST, ST_LOST },
	{ ST_OUT_FOR_DELIVERY, EV_LOST, ST_LOST },
	{ ST_PLACED, EV_LOST, ST_LOST },
	{ ST_EXPIRED_REMOVED, EV_LOST, ST_LOST },
	{ ST_RETURNED_TO_POINT, EV_LOST, ST_LOST },
	{ ST_LOST, EV_CANCELLED, ST_CANCELLED },
	{ ST_ACCEPTED, EV_DELAYED, SAME },
	{ ST_OUT_FOR_DELIVERY, EV_DELAYED, SAME },
	{ ST_REGISTERED, EV_DAMAGED, SAME },
	{ ST_HANDED_TO_POINT, EV_DAMAGED, SAME },
	{ ST_ACCEPTED, EV_DAMAGED, SAME },
	{ ST_OUT_FOR_DELIVERY, EV_CELL_CHANGED, SAME },
	/* §27: brought back undelivered, it may go out again */
	{ ST_OUT_FOR_DELIVERY, EV_BROUGHT_BACK, ST_BROUGHT_BACK },
	{ ST_BROUGHT_BACK, EV_OUT_FOR_DELIVERY, ST_OUT_FOR_DELIVERY },
	{ ST_BROUGHT_BACK, EV_HANDED_BACK, ST_HANDED_BACK },
	{ ST_BROUGHT_BACK, EV_LOST, ST_LOST },
	{ ST_BROUGHT_BACK, EV_DELAYED, SAME },
};

static int expected(enum envelope_state s, enum event_type ev)
{
	if (ev == EV_NOTE || ev == EV_PRINTED)	/* notes and prints: any real state */
		return s == ST_NONE ? -1 : (int)s;
	for (size_t i = 0; i < sizeof legal / sizeof legal[0]; i++)
		if (legal[i].from == s && legal[i].ev == ev)
			return legal[i].to == SAME ? (int)s : legal[i].to;
	return -1;
}

static void every_pair(void **state)
{
	(void)state;
	for (int s = 0; s < ST__COUNT; s++)
		for (int ev = 0; ev < EV__COUNT; ev++) {
			int want = expected((enum envelope_state)s, (enum event_type)ev);
			int got = lifecycle_next((enum envelope_state)s, (enum event_type)ev);
			if (want != got)
				fail_msg("%s + %s: expected %d, got %d", state_name(s), event_name(ev), want, got);
		}
}

static void refusal_names_state_and_allowed(void **state)
{
	char msg[400];
	(void)state;
	assert_int_equal(lifecycle_check(ST_REGISTERED, EV_PLACED, msg, sizeof msg), -1);
	assert_non_null(strstr(msg, "registered"));
	assert_non_null(strstr(msg, "accepted"));	/* allowed from registered */
	assert_non_null(strstr(msg, "placed"));
	assert_int_equal(lifecycle_check(ST_ACCEPTED, EV_OUT_FOR_DELIVERY, msg, sizeof msg), ST_OUT_FOR_DELIVERY);
	lifecycle_check(ST_HANDED_BACK, EV_LOST, msg, sizeof msg);
	assert_non_null(strstr(msg, "handed_back"));
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < ST__COUNT; s++)
		assert_int_equal(state_from_name(state_name(s)), s);
	for (int ev = 0; ev < EV__COUNT; ev++)
		assert_int_equal(event_from_name(event_name(ev)), ev);
	assert_int_equal(state_from_name("nonsense"), -1);
	assert_int_equal(event_from_name(""), -1);
	assert_true(state_is_final(ST_COLLECTED));
	assert_true(state_is_final(ST_HANDED_BACK));
	assert_false(state_is_final(ST_PLACED));
}

static void walk_whole_life(void **state)
{
	static const enum event_type path[] = { EV_REGISTERED, EV_ACCEPTED, EV_OUT_FOR_DELIVERY,
		EV_PLACED, EV_EXPIRED_REMOVED, EV_RETURNED_TO_POINT, EV_HANDED_BACK };
	enum envelope_state s = ST_NONE;
	(void)state;
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
		int n = lifecycle_next(s, path[i]);
		assert_true(n >= 0);
		s = (enum envelope_state)n;
	}
	assert_int_equal(s, ST_HANDED_BACK);
}

/* In Kazakh the refusal names the step and every state in Kazakh: no id
 * of the code ("handed_to_point", "placed") inside the sentence; and a short
 * buffer is cut between letters, never inside one. */
static void refusal_in_kazakh_has_no_ids(void **state)
{
	char dir[1024], msg[512], small[41];
	const char *top = getenv("AMANAT_TOP");
	(void)state;
	snprintf(dir, sizeof dir, "%s/build/locale", top ? top : ".");
	if (i18n_init("kk", dir))
		skip();
	assert_int_equal(lifecycle_check(ST_HANDED_TO_POINT, EV_PLACED, msg, sizeof msg), -1);
	for (int s = 0; s < ST__COUNT; s++)
		if (strchr(state_name(s), '_') || s == ST_REGISTERED || s == ST_ACCEPTED || s == ST_LOST)
			assert_null(strstr(msg, state_name(s)));
	for (int t = 0; t < EV__COUNT; t++)
		if (strchr(event_name(t), '_'))
			assert_null(strstr(msg, event_name(t)));
	assert_null(strchr(msg, '['));
	assert_non_null(strstr(msg, "постомат ұяшығына салу"));	/* the step */
	assert_non_null(strstr(msg, "пунктте, қабылданбаған"));	/* the state */
	assert_non_null(strstr(msg, "пунктте қабылдау"));		/* allowed: accept */
	assert_non_null(strstr(msg, "жоғалу актісін жасау"));	/* allowed: a loss act */
	lifecycle_check(ST_HANDED_TO_POINT, EV_PLACED, small, sizeof small);
	size_t n = strlen(small);
	assert_true(n > 0 && n < sizeof small);
	assert_true(mbstowcs(NULL, small, 0) != (size_t)-1);	/* whole letters only */
	i18n_init("en", dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pair),
		cmocka_unit_test(refusal_names_state_and_allowed),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(walk_whole_life),
		cmocka_unit_test(refusal_in_kazakh_has_no_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
