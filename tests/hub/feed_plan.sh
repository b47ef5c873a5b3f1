#!/bin/sh
# The feed page's plan, as PostgreSQL runs it (auto_explain logs every
# statement's plan), guarded against the faults found at 10,000,000 events
# and against a plan made while the tables were tiny:
#  - pages are read first while the hub is young (a handful of events: a
#    prepared statement's generic plan would be made now and kept);
#  - the log then grows to 300,000 events of 6 points (rows of the points
#    interleaved, one in six, as terminals post them) and 150,000 envelopes,
#    with no ANALYZE (autovacuum has not come by yet: the planner guessed
#    33 rows and sorted every row of the point after the cursor);
#  - a page from a cursor deep in one point's history must scan one
#    partition of the event table (partitioned by point: row comparisons
#    pruned none and scanned all 64) by its primary key (point, id) from the
#    cursor, find envelopes through the envelope's primary key (its waybill
#    in byte order: COLLATE "C", never a strcoll a look-up), and need no sort;
#    and it must read few buffers: KP-003 has its partition to itself, so
#    its 500 rows are ~15 heap pages, where in one table of every point
#    they were ~85 (one in six), and from the point's first entry every
#    index page of the point before the cursor.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
PG_SPEED="-c fsync=off -c full_page_writes=off -c autovacuum=off -c session_preload_libraries=auto_explain"
PG_SPEED="$PG_SPEED -c auto_explain.log_min_duration=0 -c auto_explain.log_analyze=on -c auto_explain.log_buffers=on"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
RD=$(amhub_device SUP-1 KP-003) && D1=$(amhub_device DESK-1 KP-003) || fail "device add"
amhub_start A
# young: a few events, pages read more than five times
hub_post /v1/events "$D1" '{"device": "DESK-1", "events": [{"uuid": "0b4b6f0e-3f51-4c59-9a57-0d8f1c0e0001",
 "device": "DESK-1", "seq": 1, "type": "registered", "waybill": "RR000000019KZ", "register": "R-1",
 "at_ms": 1773999125123, "payload": {"from": "none", "to": "registered"}}]}' > "$T/code"
assert_eq "$(cat "$T/code")" 200
for i in 1 2 3 4 5 6 7 8; do
	assert_eq "$(hub_get "/v1/feed?since=0" "$RD")" 200
done
# grown: 300,000 events of 6 points (a point's rows one in six), envelopes
pg_sql "INSERT INTO event (uuid, point, device, seq, type, waybill, register, actor, at_ms, at, place,
	payload, received_ms, upstream)
	SELECT gen_random_uuid(), 'KP-00' || (g % 6), 'PAD' || (g % 60), g,
	CASE WHEN g % 2 = 0 THEN 'registered' ELSE 'accepted' END, 'RP' || lpad((g / 2)::text, 9, '0') || 'KZ',
	'R-PAD', 'CLERK', 1773999125123 + g, '', '', '{\"from\": \"registered\", \"to\": \"accepted\"}', 0, 1
	FROM generate_series(1, 300000) g" >/dev/null
pg_sql "INSERT INTO envelope (waybill, point, state) SELECT DISTINCT ON (waybill) waybill, point, 'accepted'
	FROM event WHERE device LIKE 'PAD%' ORDER BY waybill" >/dev/null
CUR=$(pg_sql "SELECT id FROM event WHERE point = 'KP-003' ORDER BY id OFFSET 45000 LIMIT 1")
LINES=$(wc -l < "$PG_DIR/pg.log")
assert_eq "$(hub_get "/v1/feed?since=$CUR" "$RD")" 200
assert_eq "$(json_get 'len(d["items"]), d["more"]' < "$T/resp")" "(500, True)"
assert_eq "$(json_get 'all(int(i["cursor"]) > '"$CUR"' for i in d["items"])' < "$T/resp")" "True"
# the page's plan, from the log lines written since
tail -n +"$((LINES + 1))" "$PG_DIR/pg.log" | awk '/Query Text: SELECT e.id, e.uuid/ { on = 1; print; next }
	on && /^[0-9][0-9][0-9][0-9]-/ { exit } on { print }' > "$T/plan"
grep -q "Query Text: SELECT e.id, e.uuid" "$T/plan" || { cat "$T/plan"; fail "the feed's plan was not logged"; }
PART=$(pg_sql "SELECT tableoid::regclass FROM event WHERE point = 'KP-003' LIMIT 1")
assert_contains "$(cat "$T/plan")" "Index Scan using ${PART}_pkey on $PART event"
assert_contains "$(cat "$T/plan")" "Index Cond: ((point = 'KP-003'::text) AND (id > '$CUR'::bigint))"
assert_contains "$(cat "$T/plan")" "using envelope_pkey on envelope"
case "$(cat "$T/plan")" in *"Sort Key"*|*"Append"*|*"Bitmap"*|*"Seq Scan"*|*"event_id"*)
	cat "$T/plan"; fail "the page sorted, scanned, or read more than one partition" ;; esac
# the event scan's buffers: the ~15 heap pages of 500 rows and a few index
# pages (one table of every point: ~85 heap pages; from the point's first
# entry: ~180 index pages more)
BUF=$(awk '/Index Scan using '"$PART"'_pkey/ { on = 1 } on && /Buffers:/ { print; exit }' "$T/plan" |
	sed 's/.*hit=\([0-9]*\).*/\1/; s/[^0-9].*//')
[ -n "$BUF" ] && [ "$BUF" -le 40 ] || { cat "$T/plan"; fail "the event scan read $BUF buffers for 500 rows"; }
echo "the event scan read $BUF buffers for 500 rows"
ok
amhub_done
