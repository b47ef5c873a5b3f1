#!/bin/sh
# An envelope's deadlines are found by its row number (schema 24).  Since
# schema 26 that number is a column of its own (envelope.id), so a copy made
# by other tools keeps it: sqlite3's .dump read back into a new file, where
# a row is missing (what .recover leaves of a damaged page), and VACUUM.
# Before, the rows after the gap were numbered anew and their deadlines were
# lost (doctor's "deadlines no longer find their envelope").
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ W3=RR402118754KZ
expect_exit 0 am init --device-id T1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 $W2 $W3
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM clock WHERE id > 0")" 2
# the envelopes' numbers are a column: the dump names them
sqlite3 "$DB" ".dump envelope" > "$T/dump.sql"
assert_contains "$(grep -c "INSERT INTO envelope" "$T/dump.sql")" "$(sqlite3 "$DB" "SELECT count(*) FROM envelope")"
id2=$(sqlite3 "$DB" "SELECT id FROM envelope WHERE waybill = '$W2'")
grep -q "INSERT INTO envelope VALUES($id2,'$W2'" "$T/dump.sql" || fail "the dump does not carry $W2's number $id2"
ok
deadlines() {  # deadlines DB: each accepted envelope's open deadline, by the CLI
	for w in $W2 $W3; do
		"$AMANAT_BIN" --db "$1" --calendar "$CAL" --json status "$w" |
			json_get '[c["clock"] for c in d["deadlines"]]'
	done
}
assert_eq "$(deadlines "$DB")" "['wait-at-point']
['wait-at-point']"
# the whole database dumped and read back without the first envelope's row
# (registered only: no deadline of its own); the numbers after the gap stay
sqlite3 "$DB" ".dump" | grep -v "INSERT INTO envelope VALUES([0-9]*,'$W1'" > "$T/all.sql"
sqlite3 "$T/copy.db" < "$T/all.sql" || fail "the dump does not read back"
chmod 600 "$T/copy.db"
# a dump does not carry the schema version: said so, and nothing is changed
expect_exit 3 "$AMANAT_BIN" --db "$T/copy.db" --calendar "$CAL" status $W2
assert_contains "$ERR" "no schema version"
assert_contains "$ERR" "amanat restore"
assert_eq "$(sqlite3 "$T/copy.db" "PRAGMA user_version")" 0
sqlite3 "$T/copy.db" "PRAGMA user_version = $(sqlite3 "$DB" "PRAGMA user_version")"
assert_eq "$(sqlite3 "$T/copy.db" "SELECT id FROM envelope WHERE waybill = '$W2'")" "$id2"
assert_eq "$(deadlines "$T/copy.db")" "['wait-at-point']
['wait-at-point']"
assert_eq "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM clock c WHERE c.id > 0 AND NOT EXISTS
	(SELECT 1 FROM envelope v WHERE v.id = c.id / 1024 AND v.waybill = c.waybill)")" 0
# VACUUM of the copy (a gap in the numbers now) keeps them too
sqlite3 "$T/copy.db" "VACUUM" || fail "VACUUM"
assert_eq "$(deadlines "$T/copy.db")" "['wait-at-point']
['wait-at-point']"
done_ok
