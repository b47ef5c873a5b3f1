#!/bin/sh
# verify checks that every version 8 uuid is the one derived from its
# record (docs/protocol.md: 62 bits of the SHA-256 of seq, device, type,
# waybill, at_ms and prev_hash; the seq in its last 12 hex digits), even when
# whoever changed it wrote the hash chain again after it: a uuid that is not
# would be dropped by the hub as another event's duplicate, or not found by
# its seq when acknowledged.
. "$(dirname "$0")/../support/testlib.sh"
expect_exit 0 am init --device-id UUID-1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 RR402118737KZ RR402118745KZ
expect_exit 0 am verify
assert_contains "$OUT" "intact"
N=$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE substr(uuid, 15, 1) = '8' AND substr(uuid, 25) = printf('%012x', seq)")
[ "$N" -ge 3 ] || fail "only $N derived uuids"
cp "$DB" "$T/orig.db"

# edit: UUID-SQL gives the new uuid of event SEQ from its old one; the chain
# is then written again from there on, as a careful forger would
forge() {  # forge SEQ UUID-SQL
	cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
	python3 - "$DB" "$1" "$2" <<'PY' || fail "forging failed"
import hashlib, sqlite3, sys
db, seq, expr = sqlite3.connect(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
db.execute("DROP TRIGGER event_no_update")
old = db.execute("SELECT uuid FROM event WHERE seq = ?", (seq,)).fetchone()[0]
new = db.execute("SELECT " + expr, (old,)).fetchone()[0]
assert new != old and len(new) == 36, new
db.execute("UPDATE event SET uuid = ? WHERE seq = ?", (new, seq))
cols = "seq, uuid, device, type, waybill, register_id, actor, at_ms, place, payload, prev_hash"
prev = db.execute("SELECT prev_hash FROM event WHERE seq = ?", (seq,)).fetchone()[0]
for row in db.execute("SELECT " + cols + " FROM event WHERE seq >= ? ORDER BY seq", (seq,)).fetchall():
    row = list(row); row[10] = prev
    db.execute("UPDATE event SET prev_hash = ? WHERE seq = ?", (prev, row[0]))
    prev = hashlib.sha256(b"".join(str(f).encode() + b"\x1f" for f in row)).hexdigest()
db.execute("UPDATE log_head SET hash = ? WHERE kind = 0", (prev,))
db.commit()
PY
}
LAST=$(sqlite3 "$DB" "SELECT max(seq) FROM event")
# another digit in the hashed part
forge "$LAST" "substr(?1, 1, 3) || CASE substr(?1, 4, 1) WHEN '0' THEN '1' ELSE '0' END || substr(?1, 5)"
expect_exit 1 am verify
assert_contains "$ERR" "event $LAST: its uuid"
assert_contains "$ERR" "not the one derived from its record"
expect_exit 1 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" False
# the right hash of another seq: the tail names another row
forge 2 "substr(?1, 1, 24) || printf('%012x', 7)"
expect_exit 1 am verify
assert_contains "$ERR" "event 2: its uuid"
# the forger's chain itself is sound: a random (version 4) uuid on the last
# event passes, as the older events' do
forge "$LAST" "CASE WHEN ?1 <> '' THEN '11111111-2222-4333-8444-555555555555' END"
expect_exit 0 am verify
# one on an earlier event changes its hash, which every later derived uuid holds
forge 2 "CASE WHEN ?1 <> '' THEN '11111111-2222-4333-8444-555555555555' END"
expect_exit 1 am verify
assert_contains "$ERR" "event 3: its uuid"
# and the untouched database passes
cp "$T/orig.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
expect_exit 0 am verify
done_ok
