#!/bin/sh
# A database of the layout schema 11 shipped (the scan path's tables before
# they were narrowed) is brought forward without loss: the same events,
# tallies, counts and outbox afterwards, verify passes, and scanning goes on.
. "$(dirname "$0")/../support/testlib.sh"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-UP 60 > "$T/reg.json"
python3 -c "import json; [print(i['waybill']) for i in json.load(open('$T/reg.json'))['items']]" > "$T/codes"
expect_exit 0 am init --device-id UP-1
expect_exit 0 am register import "$T/reg.json"
head -n 20 "$T/codes" | am accept R-UP - > /dev/null || fail "accept"
expect_exit 0 am accept R-UP RR777000125KZ
expect_exit 0 am handover C-1 "$(sed -n 3p "$T/codes")"

# what must survive, read with sqlite3 (not through the code under test)
snapshot() {
	sqlite3 "$DB" "SELECT seq, uuid, type, waybill, prev_hash, sync FROM event ORDER BY seq;
	  SELECT register_id, code, result, at_ms, actor FROM register_scan ORDER BY register_id, code;
	  SELECT * FROM envelope_count ORDER BY state;
	  SELECT * FROM shift_work ORDER BY shift, actor;
	  SELECT waybill, state FROM envelope ORDER BY waybill;
	  SELECT value FROM meta WHERE key = 'chain_head';"
}
snapshot > "$T/before"

# schema 11's layout: register_scan by rowid with its key beside it, the
# person's-work trigger with IN lists
sqlite3 "$DB" "
  CREATE TABLE old_scan (register_id TEXT NOT NULL REFERENCES register(id), code TEXT NOT NULL,
    result TEXT NOT NULL, at_ms INTEGER NOT NULL, actor TEXT NOT NULL, PRIMARY KEY (register_id, code)) STRICT;
  INSERT INTO old_scan SELECT register_id, code, result, at_ms, actor FROM register_scan ORDER BY at_ms;
  DROP TABLE register_scan;
  ALTER TABLE old_scan RENAME TO register_scan;
  DROP TRIGGER shift_work_count;
  CREATE TRIGGER shift_work_count AFTER INSERT ON event
    WHEN new.waybill <> '' AND new.type NOT IN ('registered', 'printed', 'note', 'deadline_missed',
     'deadline_closed_late') BEGIN
    INSERT INTO shift_work VALUES ((SELECT coalesce(max(number), 0) + 1 FROM point_shift), new.actor, 1,
     new.type IN ('accepted', 'scan_unexpected', 'damaged'), new.type = 'out_for_delivery',
     new.type IN ('placed', 'cell_changed', 'delayed'),
     new.type IN ('expired_removed', 'returned_to_point', 'handed_back'))
    ON CONFLICT(shift, actor) DO UPDATE SET total = total + 1, accepted = accepted + excluded.accepted,
     handed = handed + excluded.handed, placed = placed + excluded.placed,
     returned = returned + excluded.returned; END;
  PRAGMA user_version = 11;"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_register_scan_1'")" 1

expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
[ -f "$DB.v11.bak" ] || fail "no copy of the database before the upgrade"
snapshot > "$T/after"
cmp -s "$T/before" "$T/after" || fail "the upgrade changed what it holds: $(diff "$T/before" "$T/after" | head -5)"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_autoindex_register_scan_1'")" 0

# scanning goes on in the new layout; the recent scans keep their order
expect_exit 0 am accept R-UP "$(sed -n 21p "$T/codes")" "$(sed -n 22p "$T/codes")" RR777000139KZ
assert_contains "$OUT" "matched"
expect_exit 0 am accept R-UP "$(sed -n 21p "$T/codes")"
assert_contains "$OUT" "duplicate"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
expect_exit 0 am --json register show R-UP
assert_eq "$(echo "$OUT" | json_get 'd["tally"]["matched"]')" 22
assert_eq "$(echo "$OUT" | json_get 'd["tally"]["unexpected"]')" 2
assert_eq "$(sqlite3 "$DB" "SELECT accepted FROM shift_work")" 24
done_ok
