#!/bin/sh
# Five wrong PINs lock a badge for five minutes; the supervisor sees it
# locked on the desk's staff screen and unlocks it (F5), or `amanat staff
# unlock BADGE` does; a badge_unlocked event names who unlocked it.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
wrong_pins() {  # badge: five wrong PINs
	n=0
	while [ $n -lt 5 ]; do
		tui_expect "▶"
		tui_scan "$1"; tui_wait "▶ PIN" || fail "no PIN prompt"; tui_scan 9999
		n=$((n + 1))
		[ $n -lt 5 ] && { tui_expect "wrong badge or PIN"; tui_keys Enter; }
	done
	tui_expect "locked until 10:05"
	tui_keys Enter
}
tui_start 80 24 en
wrong_pins CLERK-1
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'badge_locked'")" 1
# the right PIN does not open a locked badge
tui_scan CLERK-1; tui_wait "▶ PIN" || fail "no PIN prompt"; tui_scan 1111
tui_expect "is locked until 10:05"
tui_keys Enter
# the supervisor's desk: Staff shows the lock; F5 unlocks the chosen badge
tui_login SUPER-1 3333
tui_keys 2
tui_expect "Staff"
tui_keys 3
tui_expect "CLERK-1"
tui_expect "locked until 10:05"
tui_keys F5
tui_expect "badge CLERK-1 is unlocked: it can log in again"
tui_screen | grep -q "locked until" && fail "the lock is still shown"
ok
assert_eq "$(sqlite3 "$DB" "SELECT actor || ' ' || json_extract(payload, '\$.badge') || ' ' || json_extract(payload, '\$.by') FROM event WHERE type = 'badge_unlocked'")" \
	"SUPER-1 CLERK-1 SUPER-1"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM staff_lock WHERE badge = 'CLERK-1'")" 0
# a badge that is not locked is said to be so, and nothing is written
tui_keys F5
tui_expect "badge CLERK-1 is not locked"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'badge_unlocked'")" 1
tui_keys Enter
tui_keys Escape
tui_keys Escape
tui_expect "1 Shift screen"
tui_keys Escape
tui_login CLERK-1 1111
tui_expect "1 Accept hand-over"
tui_keys Escape
# the handheld, in Kazakh: the locked courier is marked on the list
wrong_pins_kk() {
	n=0
	while [ $n -lt 5 ]; do
		tui_expect "▶"
		tui_scan "$1"; tui_wait "▶ PIN" || fail "no PIN prompt"; tui_scan 9999
		n=$((n + 1))
		tui_expect "✗"
		tui_keys Enter
	done
}
tui_quit
tui_start 20 16 kk
wrong_pins_kk COURIER-1
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM staff_lock WHERE badge = 'COURIER-1' AND locked_until > 0")" 1 "$(tui_screen)"
tui_login SUPER-1 3333
tui_keys 2
tui_keys 3
tui_expect "! COURIER-1"
tui_keys Down
tui_keys F5
tui_expect "COURIER-1 бейджі"
tui_keys Enter
tui_keys Escape
tui_keys Escape
tui_keys Escape
tui_quit
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'badge_unlocked' AND json_extract(payload, '\$.badge') = 'COURIER-1'")" 1
# the command line: refused while not locked, done when locked
expect_exit 1 am staff unlock COURIER-1
assert_contains "$ERR" "not locked"
sqlite3 "$DB" "INSERT INTO staff_lock(badge, pin_failures, locked_until) VALUES ('SUPER-1', 0, 9999999999999)"
AMANAT_ACTOR=technician expect_exit 0 am --json staff unlock SUPER-1
assert_eq "$(echo "$OUT" | json_get 'd["badge"], d["unlocked"]')" "('SUPER-1', True)"
assert_eq "$(sqlite3 "$DB" "SELECT actor FROM event WHERE type = 'badge_unlocked' ORDER BY seq DESC LIMIT 1")" technician
expect_exit 2 am staff unlock
am verify >/dev/null || fail "the chain does not hold"
ok
done_ok
