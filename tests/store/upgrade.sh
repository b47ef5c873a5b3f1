#!/bin/sh
# A database written by the amanat of schema 11 (tests/store/schema11.db:
# random uuids, the scan path's wider tables; 62 events, 31 acknowledged,
# one dead, 30 in the outbox, one acknowledged among them) is brought
# forward without loss: the same events, tallies, counts and outbox, verify
# passes; the old events upload and are marked by their uuids, the dead one
# is re-sent, and new scans go on in the new layout.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
cp "$(dirname "$0")/schema11.db" "$DB" && chmod 600 "$DB"
hub_start
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\nattempts = 1\nbackoff_base_ms = 10\nbackoff_max_ms = 20\n' "$HUB_URL" "$HUB_CA" > "$T/c.conf"
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/c.conf" "$@"; }
assert_eq "$(sqlite3 "$DB" "PRAGMA user_version")" 11
sqlite3 "$DB" "SELECT * FROM register_line ORDER BY register_id, line" > "$T/lines-before"
[ -s "$T/lines-before" ] || fail "the old database has no register lines to carry over"

# what must survive, read with sqlite3 (not through the code under test)
snapshot() {
	sqlite3 "$DB" "SELECT seq, uuid, type, waybill, prev_hash, sync, sync_reason FROM event ORDER BY seq;
	  SELECT register_id, code, result, at_ms, actor FROM register_scan ORDER BY register_id, code;
	  SELECT * FROM envelope_count ORDER BY state;
	  SELECT * FROM shift_work ORDER BY shift, actor;
	  SELECT waybill, state, courier FROM envelope ORDER BY waybill;
	  $1"
}
snapshot "SELECT value FROM meta WHERE key = 'chain_head';" > "$T/before"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
[ -f "$DB.v11.bak" ] || fail "no copy of the database before the upgrade"
# the chain's end moved from meta to log_head (schema 19)
snapshot "SELECT hash FROM log_head WHERE kind = 0;" > "$T/after"
cmp -s "$T/before" "$T/after" || fail "the upgrade changed what it holds: $(diff "$T/before" "$T/after" | head -5)"
# the narrower layout: no index of uuids or of the outbox written per event
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(name) FROM sqlite_master WHERE name IN
  ('sqlite_autoindex_event_1', 'event_pending', 'sqlite_autoindex_register_scan_1')")" ""
# the chain's end is kept in log_head beside the counts, no longer in meta
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM meta WHERE key = 'chain_head'")" 0
# the state index keeps only the listed states, and a courier's list uses it
assert_eq "$(sqlite3 "$DB" "SELECT group_concat(name) FROM sqlite_master WHERE name LIKE 'envelope_%' AND type = 'index'
  AND name IN ('envelope_state', 'envelope_listed')")" envelope_listed
assert_contains "$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT count(*) FROM envelope WHERE state = 'out_for_delivery'
  AND state <> 'registered' AND state <> 'accepted' AND state <> 'placed' AND state <> 'collected'
  AND state <> 'handed_back' AND courier = 'K-1'")" "envelope_listed"
# register lines keyed by (register, waybill) alone, every line carried over
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_register_line_1'
  OR (name = 'register_line' AND sql NOT LIKE '%WITHOUT ROWID')")" 0
sqlite3 "$DB" "SELECT * FROM register_line ORDER BY register_id, line" > "$T/lines-after"
cmp -s "$T/lines-before" "$T/lines-after" || fail "register lines changed: $(diff "$T/lines-before" "$T/lines-after" | head -5)"
# each person's work is counted where the event is written, not by a trigger
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'
  AND sql LIKE '%INSERT ON%'")" 0
assert_eq "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'outbox_from'")" 31
# the outbox's depth kept for start-up: counted once by the upgrade (30
# unsent up to the last event, 62), read back by sync --status
assert_eq "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'outbox_depth'" | awk '{ print $2, $4 }')" "62 30"
expect_exit 0 am --json sync --status
assert_eq "$(echo "$OUT" | json_get 'd["depth"], d["dead"]')" "(30, 1)"

# the old events upload, each marked by its (random) uuid
expect_exit 0 am sync
assert_eq "$(hub_dump | json_get 'len(d["events"])')" 30
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE sync = 0")" 0
assert_eq "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'outbox_from'")" 63
# the dead one is re-sent: the watermark goes back to it
DEAD=$(sqlite3 "$DB" "SELECT uuid FROM event WHERE sync = 2")
expect_exit 0 am --json sync --resend "$DEAD"
expect_exit 0 am --json sync --status
assert_eq "$(echo "$OUT" | json_get 'd["depth"], d["dead"]')" "(2, 0)"
assert_eq "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'outbox_from'")" 33
expect_exit 0 am sync
assert_eq "$(hub_dump | json_get 'sorted(e["uuid"] for e in d["events"]).count("'"$DEAD"'")')" 1

# new scans: derived uuids (version 8, ending with the seq), uploaded once
CODES=$(sqlite3 "$DB" "SELECT waybill FROM envelope WHERE state = 'registered' ORDER BY waybill LIMIT 2")
expect_exit 0 am accept R-OLD $CODES
assert_contains "$OUT" "matched"
expect_exit 0 am accept R-OLD $CODES
assert_contains "$OUT" "duplicate"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE seq > 63 AND substr(uuid, 15, 1) = '8'
  AND substr(uuid, 25) = printf('%012x', seq)")" 2
expect_exit 0 am sync
assert_eq "$(hub_dump | json_get 'len(d["events"])')" 34
assert_eq "$(hub_dump | json_get 'len(set(e["uuid"] for e in d["events"]))')" 34
expect_exit 0 am --json sync --status
assert_eq "$(echo "$OUT" | json_get 'd["depth"], d["dead"]')" "(0, 0)"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
expect_exit 0 am --json register show R-OLD
assert_eq "$(echo "$OUT" | json_get 'd["tally"]["matched"], d["tally"]["unexpected"]')" "(17, 1)"
assert_eq "$(sqlite3 "$DB" "SELECT accepted FROM shift_work")" 18
# the old register's rows stay rows; its new matched scans are marks on
# their envelopes' rows (schema 27), counted with the rows; the finish makes
# them rows too, with their scans' times, and verify still passes
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM envelope WHERE tally_seq > 63")" 2
assert_eq "$(sqlite3 "$DB" "SELECT n FROM log_head WHERE kind = -1 AND name = 'R-OLD'")" 2
expect_exit 0 am --json accept R-OLD --finish
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM register_scan WHERE register_id = 'R-OLD' AND result = 'matched'")" 17
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM register_scan c JOIN event e ON e.seq = c.seq
  WHERE c.register_id = 'R-OLD' AND e.seq > 63 AND e.at_ms = c.at_ms AND e.waybill = c.code")" 2
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM envelope WHERE tally_seq <> 0")" 0
expect_exit 0 am --json register show R-OLD
assert_eq "$(echo "$OUT" | json_get 'd["tally"]["matched"], d["tally"]["unexpected"]')" "(17, 1)"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
done_ok
