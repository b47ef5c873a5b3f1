#!/bin/sh
# amanat-hub under faults: the hub killed (-9) in the middle of batches,
# PostgreSQL restarted under a running hub, two hub processes serving one
# database alternately.  Afterwards every event of the terminals is in
# PostgreSQL exactly once, every feed item reached the handheld exactly once,
# and the terminals' outboxes are empty.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
python3 "$AMANAT_TOP/tests/support/genreg.py" R-FAULT 400 > "$T/reg.json"
expect_exit 0 amhub register import "$T/reg.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) && HH=$(amhub_device HH-1 KP-ALM-007 COURIER-1) || fail "device add"
amhub_start A
amhub_start B
conf() {	# conf NAME TOKEN URL
	printf '[sync]\nurl = %s\ntoken = %s\ncainfo = %s\npoint = KP-ALM-007\nbatch = 40\nattempts = 4\nbackoff_base_ms = 20\nbackoff_max_ms = 200\n' \
		"$3" "$2" "$CERT" > "$T/$1.conf"
}
conf desk "$DESK" "$AMHUB_URL_A"
conf hh "$HH" "$AMHUB_URL_B"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term hh init --device-id HH-1 --point KP-ALM-007
expect_exit 0 term desk sync
expect_exit 0 term desk --json register list
assert_eq "$(echo "$OUT" | json_get '[r["register"] for r in d]')" "['R-FAULT']"
CODES=$(python3 -c 'import json,sys; print(" ".join(i["waybill"] for i in json.load(open(sys.argv[1]))["items"]))' "$T/reg.json")
expect_exit 0 term desk accept R-FAULT $CODES
# 1. the hub killed mid-upload, at several moments; the other hub takes over
for delay in 0.05 0.2 0.4; do
	term desk sync >/dev/null 2>&1 &
	SYNC=$!
	sleep $delay
	amhub_kill A KILL
	wait $SYNC
	amhub_start A
	conf desk "$DESK" "$AMHUB_URL_A"
	expect_exit 0 term desk note $(echo $CODES | cut -d' ' -f1) --reason "after kill $delay"
done
conf desk "$DESK" "$AMHUB_URL_B"
expect_exit 0 term desk sync
assert_eq "$(term desk --json events --unsent | json_get 'len(d)')" 0
N=$(term desk --json events | json_get 'len(d)')
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE device = 'DESK-1'")" "$N"
assert_eq "$(pg_sql "SELECT count(DISTINCT uuid) FROM event WHERE device = 'DESK-1'")" "$N"
assert_eq "$(pg_sql "SELECT count(*) FROM envelope WHERE state = 'accepted'")" 400
# 2. PostgreSQL restarted under the running hubs: the next sync retries
pg_restart
expect_exit 0 term desk handover COURIER-1 $(echo $CODES | cut -d' ' -f1-50)
expect_exit 0 term desk sync
assert_eq "$(term desk --json events --unsent | json_get 'len(d)')" 0
assert_eq "$(pg_sql "SELECT count(*) FROM envelope WHERE state = 'out_for_delivery' AND courier = 'COURIER-1'")" 50
# 3. the handheld reads its feed alternately from A and B, a page at a time,
# with A killed between two pages: each item once, all 50 envelopes there
amhub_kill A
amhub_start A --feed-limit 25
conf hh "$HH" "$AMHUB_URL_A"
expect_exit 0 term hh sync
conf hh "$HH" "$AMHUB_URL_B"
expect_exit 0 term hh sync
WANT=$(pg_sql "SELECT count(*) FROM event e LEFT JOIN envelope n USING (waybill) WHERE e.device <> 'HH-1'
	AND (e.waybill = '' OR n.courier = 'COURIER-1')")
assert_eq "$(sqlite3 "$T/hh.db" "SELECT count(*) FROM feed_item")" "$WANT"
assert_eq "$(sqlite3 "$T/hh.db" "SELECT count(*) FROM envelope WHERE state = 'out_for_delivery'")" 50
assert_eq "$(sqlite3 "$T/hh.db" "SELECT count(*) FROM envelope")" 50
# the handheld places on A, the desk reads it on B
W1=$(echo $CODES | cut -d' ' -f1)
P1=$(sqlite3 "$T/hh.db" "SELECT postomat FROM envelope WHERE waybill = '$W1'")
conf hh "$HH" "$AMHUB_URL_A"
expect_exit 0 term hh place "$W1" "$P1" C01
expect_exit 0 term hh sync
expect_exit 0 term desk sync
expect_exit 0 term desk --json status "$W1"
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" placed
assert_eq "$(pg_sql "SELECT count(*) - count(DISTINCT uuid) FROM event")" 0
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE conflict IS NOT NULL")" 0
amhub_done
