#!/bin/sh
# verify replays the log and names the derived table an edit went into
# (envelope, envelope_count, register_scan, shift_work); verify --quick starts from the last anchor.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ
expect_exit 0 am init --device-id T1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 $W1 $W2 $W3 RR777000125KZ
expect_exit 0 am handover COURIER-7 $W1
expect_exit 0 am place $W1 PM-ALM-0042 A07
expect_exit 0 am verify
assert_contains "$OUT" "intact"
cp "$DB" "$T/orig.db"
tamper() {  # tamper SQL TABLE: the edit is refused by verify, which names TABLE
	cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	sqlite3 "$DB" "$1" || fail "sqlite3: $1"
	expect_exit 1 am verify
	assert_contains "$ERR" "derived table $2"
	expect_exit 1 am --json verify
	assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" False
}
tamper "UPDATE envelope SET state='collected' WHERE waybill='$W2'" envelope
tamper "UPDATE envelope SET cell='B01' WHERE waybill='$W1'" envelope
tamper "DELETE FROM envelope WHERE waybill='$W3'" envelope
tamper "INSERT INTO envelope(waybill, state, register_id, updated_at) VALUES ('RR999999990KZ', 'accepted', 'R-2026-000123', 1)" envelope
# envelope_count and shift_work are views of log_head (schema 19): edited there
tamper "UPDATE log_head SET n = n + 1 WHERE kind = 1 AND name='accepted'" envelope_count
tamper "DELETE FROM log_head WHERE kind = 1 AND name='placed'" envelope_count
# the register is open: its matched scans are marks on the envelopes' rows
# (schema 27), counted in log_head (kind -1); the unexpected one is a row
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM envelope v JOIN event e ON e.seq = v.tally_seq WHERE e.register_id='R-2026-000123'")" 3
tamper "UPDATE envelope SET tally_seq=0 WHERE waybill='$W2'" register_scan
tamper "UPDATE envelope SET tally_seq=99999 WHERE waybill='$W2'" register_scan
tamper "UPDATE envelope SET tally_seq=(SELECT tally_seq FROM envelope WHERE waybill='$W1') WHERE waybill='$W2'" register_scan
tamper "UPDATE envelope SET tally_seq=(SELECT tally_seq FROM envelope WHERE waybill='$W1') WHERE waybill='RR402118768KZ'" register_scan
tamper "UPDATE log_head SET n = n + 1 WHERE kind = -1" register_scan
tamper "UPDATE register_scan SET result='matched' WHERE code='RR777000125KZ'" register_scan
tamper "DELETE FROM register_scan WHERE code='RR777000125KZ'" register_scan
tamper "INSERT INTO register_scan(register_id, code, result, at_ms, actor) VALUES ('R-2026-000123', 'RR402118768KZ', 'matched', 1, 'x')" register_scan
# each person's work in the shift: what the log counts
assert_eq "$(sqlite3 "$DB" "SELECT shift, actor, total, accepted, handed, placed FROM shift_work")" "1|tester|6|4|1|1"
tamper "UPDATE log_head SET n = n + 1 WHERE kind = 2" shift_work
tamper "UPDATE log_head SET placed = 0, accepted = accepted + 1 WHERE kind = 2" shift_work
tamper "DELETE FROM log_head WHERE kind = 2" shift_work
tamper "INSERT INTO log_head(kind, shift, name, n, accepted) VALUES (2, 1, 'mallory', 1, 1)" shift_work
tamper "UPDATE log_head SET shift = 2 WHERE kind = 2" shift_work
# untouched, it passes again
cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
expect_exit 0 am verify

# --quick: from the anchor the last pass left
expect_exit 0 am --json verify --quick
assert_eq "$(echo "$OUT" | json_get 'd["ok"], d["quick"], d["events"]')" "(True, True, 0)"
expect_exit 0 am collect $W1
expect_exit 0 am --json verify --quick
assert_eq "$(echo "$OUT" | json_get 'd["ok"], d["events"]')" "(True, 1)"
FROM=$(echo "$OUT" | json_get 'd["from_seq"]')
cp "$DB" "$T/anchored.db"
# an envelope the new events touched, edited: found
cp "$T/anchored.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
expect_exit 0 am handover COURIER-7 $W2
sqlite3 "$DB" "UPDATE envelope SET state='accepted' WHERE waybill='$W2'"
expect_exit 1 am verify --quick
assert_contains "$ERR" "derived table envelope"
quick_after() {  # quick_after EDIT: no edit passes --quick, the edit is found
	if [ -z "$1" ]; then
		expect_exit 0 am verify --quick
		return
	fi
	sqlite3 "$DB" "$1"
	expect_exit 1 am verify --quick
	assert_contains "$ERR" "derived table envelope"
}
# the same where the envelope's older events are not linked (a log from
# before schema 25: prev_seq NULL, last_seq 0): its history is still found
# whole, so a right row passes and an edited one is found
for edit in "" "UPDATE envelope SET state='accepted' WHERE waybill='$W2'"; do
	cp "$T/anchored.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	sqlite3 "$DB" "DROP TRIGGER event_no_update; UPDATE event SET prev_seq = NULL; UPDATE envelope SET last_seq = 0"
	expect_exit 0 am handover COURIER-7 $W2
	quick_after "$edit"
done
# envelopes registered since the anchor (replayed by the quick walk itself):
# a right one passes, one edited, one never registered and one missing are found
for edit in "" "UPDATE envelope SET state='accepted' WHERE waybill='RR500000004KZ'" \
	"UPDATE envelope SET cell='B01' WHERE waybill='RR500000004KZ'" \
	"DELETE FROM envelope WHERE waybill='RR500000004KZ'"; do
	cp "$T/anchored.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	python3 "$AMANAT_TOP/tests/support/genreg.py" R-NEW 3 50000000 > "$T/new.json"
	expect_exit 0 am register import "$T/new.json"
	expect_exit 0 am accept R-NEW RR500000004KZ
	expect_exit 0 am handover COURIER-7 RR500000004KZ
	expect_exit 0 am place RR500000004KZ PM-ALM-0000 A09
	quick_after "$edit"
done
# the anchor's own record changed: found by the quick check
cp "$T/anchored.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
A=$(sqlite3 "$DB" "SELECT value FROM meta WHERE key='verified_seq'")
[ "$A" -gt "$FROM" ] || fail "the anchor did not move: $A after $FROM"
sqlite3 "$DB" "DROP TRIGGER event_no_update; UPDATE event SET actor='mallory' WHERE seq=$A"
expect_exit 1 am verify --quick
assert_contains "$ERR" "chain broken"
# an older event changed is the full check's to find
cp "$T/anchored.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
sqlite3 "$DB" "DROP TRIGGER event_no_update; UPDATE event SET actor='mallory' WHERE seq=2"
expect_exit 0 am verify --quick
expect_exit 1 am verify
assert_contains "$ERR" "chain broken at event 3"
expect_exit 2 am verify --bogus
done_ok
