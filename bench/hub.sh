#!/bin/sh
# amanat-hub at scale, beside PostgreSQL's own floor.
#  1. A burst after an outage: 500 devices x 2,000 events (1,000,000) posted
#     in batches of 500 over TLS, 8 devices at a time (each device's batches
#     in order, the devices in a random order), to a hub with 4 threads;
#     floor: COPY of the same rows into a table of the same shape.
#  2. Feed reads with BENCH_HUB_FEED_EVENTS events stored (default 1,000,000;
#     set 10000000 for the issue's figure): p50/p99 of GET /v1/feed pages.
# Floors: ingest < 60 s, feed p99 < 20 ms.  BENCH_HUB_DEVICES and
# BENCH_HUB_EVENTS (per device) scale the burst down for a quick look;
# BENCH_HUB_THREADS sets the hub's threads (default 4).
set -u
AMANAT_BIN=${AMANAT_BIN:-$AMANAT_TOP/build/release/amanat}
. "$AMANAT_TOP/tests/support/testlib.sh"
. "$AMANAT_TOP/tests/support/pg.sh"
AMANAT_HUB_BIN=$(dirname "$AMANAT_BIN")/amanat-hub
. "$AMANAT_TOP/tests/support/amhub.sh"
DEV=${BENCH_HUB_DEVICES:-500}
PER=${BENCH_HUB_EVENTS:-2000}
FEED_N=${BENCH_HUB_FEED_EVENTS:-1000000}
PG_SPEED="-c shared_buffers=256MB -c max_wal_size=4GB ${BENCH_HUB_PGOPTS:-}"	# fsync on: the real thing
# BENCH_HUB_PGLOG=FILE keeps PostgreSQL's log (with BENCH_HUB_PGOPTS=
# "-c session_preload_libraries=auto_explain ..." to see the plans)
[ -n "${BENCH_HUB_PGLOG:-}" ] && cleanup_hooks="cp \"\$PG_DIR/pg.log\" \"$BENCH_HUB_PGLOG\"; $cleanup_hooks"
amhub_setup
# devices: tokens made here, stored hashed as the hub does
python3 - "$T" "$DEV" "$PER" <<'PY'
import hashlib, json, os, sys, uuid
t, dev, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(t + "/b", exist_ok=True)
W = [8, 6, 4, 2, 3, 5, 9, 7]
def s10(n):
    s = "%08d" % n; c = 11 - sum(int(d) * k for d, k in zip(s, W)) % 11
    return "RR%s%dKZ" % (s, 0 if c == 10 else 5 if c == 11 else c)
with open(t + "/devices.csv", "w") as dv, open(t + "/curl.cfg", "w") as cfg, open(t + "/rows.csv", "w") as rows:
    for d in range(dev):
        name, point = "D%04d" % d, "KP-%03d" % (d // 10)
        tok = uuid.uuid4().hex + uuid.uuid4().hex
        dv.write("%s,%s,%s,0\n" % (name, point, hashlib.sha256(tok.encode()).hexdigest()))
        seq, evs = 0, []
        for i in range(per // 2):
            w = s10(10000000 + d * 100000 + i)
            for typ, frm, to in (("registered", "none", "registered"), ("accepted", "registered", "accepted")):
                seq += 1
                e = {"uuid": str(uuid.uuid4()), "device": name, "seq": seq, "type": typ, "waybill": w,
                     "register": "R-%s" % name, "actor": "CLERK", "at_ms": 1773999125123 + seq,
                     "at": "2026-03-20T14:32:05+05:00", "place": point,
                     "payload": {"from": frm, "to": to, "postomat": "PM-1", "city": "Алматы"}}
                evs.append(e)
                rows.write('%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\n' % (e["uuid"], point, name, seq, typ, w,
                           e["register"], "CLERK", e["at_ms"], e["at"], point, json.dumps(e["payload"], ensure_ascii=False), 0))
        for b in range(0, len(evs), 500):
            f = "%s/b/%s-%d.json" % (t, name, b)
            json.dump({"device": name, "events": evs[b:b + 500]}, open(f, "w"), ensure_ascii=False)
            cfg.write("%s %s\n" % (tok, f))
PY
pg_sql "\\copy device (id, point, token_sha256, created_ms) FROM '$T/devices.csv' WITH (FORMAT csv)" >/dev/null
amhub_start A --threads "${BENCH_HUB_THREADS:-4}"
TOTAL=$((DEV * PER))
# the senders: 8 keep-alive TLS connections, as 8 devices at a time would
# come back after an outage: the devices in a random order (fixed seed),
# each device's batches in its own order, one after another (a terminal
# waits for each answer).  Each connection is one curl reading its batches
# from disk, dealt the devices in turn: curl's CPU, unlike Python's
# http.client (~17 us an event, measured), leaves the two cores to the hub
# and PostgreSQL, which is what is measured (the terminals are other
# machines); the machine's CPU is reported whole all the same.
python3 - "$T" "$(cat "$T/A.port")" "$CERT" <<'PY'
import random, sys
t, port, cert = sys.argv[1], sys.argv[2], sys.argv[3]
devices = {}
for l in open(t + "/curl.cfg"):
    tok, f = l.split()
    devices.setdefault(tok, []).append(f)
order = list(devices.items())
random.Random(7).shuffle(order)
outs = [open("%s/send-%d.cfg" % (t, k), "w") for k in range(8)]
for n, (tok, files) in enumerate(order):
    o = outs[n % 8]
    for f in files:	# "next" resets every option: each transfer names them all
        o.write('%surl = "https://127.0.0.1:%s/v1/events"\ncacert = "%s"\nheader = "Authorization: Bearer %s"\n'
                'header = "Content-Type: application/json"\ndata-binary = "@%s"\noutput = "/dev/null"\n'
                'silent\nwrite-out = "%%{http_code}\\n"\n' % ("next\n" if o.tell() else "", port, cert, tok, f))
PY
# CPU seconds (user + system) of the hub process, of PostgreSQL's processes
# (the postmaster's children alive at the end: the hub's backends, the WAL
# writer, the checkpointer; an autovacuum worker that came and went is not
# counted) and of the whole machine (other agents' work included)
cpu_of() { for p in "$@"; do [ -r /proc/$p/stat ] && sed 's/.*) //' /proc/$p/stat | awk '{ print $12 + $13 }'; done |
	awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { printf "%.1f", s / hz }'; }
pg_pids() { ps -o pid= --ppid "$(head -1 "$PG_DIR/data/postmaster.pid")"; }
machine_cpu() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.1f", ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat; }
send() {
	c0="$(cpu_of $AMHUB_PID_A) $(cpu_of $(pg_pids)) $(machine_cpu)" s=$(date +%s.%N) pids=""
	for k in 0 1 2 3 4 5 6 7; do
		curl -K "$T/send-$k.cfg" > "$T/codes-$k" &
		pids="$pids $!"
	done
	wait $pids	# (not the hub)
	e=$(date +%s.%N) c1="$(cpu_of $AMHUB_PID_A) $(cpu_of $(pg_pids)) $(machine_cpu)"
	echo "$e $s $c1 $c0" | awk '{ printf "%.3f %.1f %.1f %.1f ", $1 - $2, $3 - $6, $4 - $7, $5 - $8 }'
	cat "$T"/codes-* | grep -vc '^200$'
}
set -- $(send)
ELAPSED=$1 HUB_CPU=$2 PG_CPU=$3 M_CPU=$4 BAD=$5
STORED=$(pg_sql "SELECT count(*) FROM event")
# the floor: COPY of the same rows into a table of the same shape and indexes
pg_sql "CREATE TABLE event_floor (LIKE event INCLUDING ALL)" >/dev/null
M_CPU2=$(machine_cpu) s2=$(date +%s.%N)
"$PG_BIN/psql" -X -q -d "$PG_CONN" -c "SET log_statement_stats = on" -c "\\copy event_floor (uuid, point, device, seq, type, waybill, register, actor, at_ms, at, place, payload, received_ms) FROM '$T/rows.csv'"
e2=$(date +%s.%N) M_CPU2=$(echo "$(machine_cpu) $M_CPU2" | awk '{ printf "%.1f", $1 - $2 }')
# the COPY's own backend CPU, as PostgreSQL logs it (log_statement_stats)
FLOOR_CPU=$(grep -E '!.*s user, .*s system, .*elapsed' "$PG_DIR/pg.log" | tail -1 | awk '{ printf "%.1f", $2 + $5 }')
python3 -c "
n=$TOTAL; a=$ELAPSED; b=$e2-$s2
print('amanat-hub ingest: %d events from %d devices in %.1f s (%.0f events/s; %s stored, %s batches not 200) - floor: < 60 s' % (n, $DEV, a, n/a, '$STORED', '$BAD'))
print('  CPU: hub %s s, PostgreSQL %s s, the senders (curl) included in the machine total %s s of %.0f s available' % ('$HUB_CPU', '$PG_CPU', '$M_CPU', $(nproc) * a))
print('PostgreSQL COPY of the same rows: %.1f s (%.0f rows/s); CPU: its backend %s s, machine %s s of %.0f s available' % (b, n/b, '$FLOOR_CPU', '$M_CPU2', $(nproc) * b))"
[ "$STORED" = "$TOTAL" ] || { echo "FAIL: $STORED of $TOTAL stored"; exit 1; }
# feed reads: fill the log to FEED_N events straight in PostgreSQL (one
# INSERT ... SELECT, not through the hub: the ingest is measured above),
# rows shaped like the burst's (every point, pairs of events on envelopes
# that exist, the same payload), then read pages of one point from random
# cursors over the whole history
pg_sql "DROP TABLE event_floor" >/dev/null
HAVE=$(pg_sql "SELECT count(*) FROM event")
if [ "$FEED_N" -gt "$HAVE" ]; then
	s3=$(date +%s)
	pg_sql "INSERT INTO event (uuid, point, device, seq, type, waybill, register, actor, at_ms, at, place,
		payload, received_ms, upstream)
		SELECT gen_random_uuid(), 'KP-' || lpad((g % $((DEV / 10)))::text, 3, '0'), 'PAD' || (g % 500), g,
		CASE WHEN g % 2 = 0 THEN 'registered' ELSE 'accepted' END, 'RP' || lpad((g / 2)::text, 9, '0') || 'KZ',
		'R-PAD', 'CLERK', 1773999125123 + g, '2026-03-20T14:32:05+05:00', 'KP-PAD',
		'{\"from\": \"registered\", \"to\": \"accepted\", \"postomat\": \"PM-1\", \"city\": \"Алматы\"}', 0, 1
		FROM generate_series(1, $((FEED_N - HAVE))) g" >/dev/null
	pg_sql "INSERT INTO envelope (waybill, point, state, postomat, city, register)
		SELECT DISTINCT ON (waybill) waybill, point, 'accepted', 'PM-1', 'Алматы', 'R-PAD' FROM event
		WHERE device LIKE 'PAD%' ORDER BY waybill" >/dev/null
	pg_sql "VACUUM ANALYZE event" >/dev/null
	pg_sql "VACUUM ANALYZE envelope" >/dev/null
	echo "the log filled to $FEED_N events by INSERT ... SELECT in $(( $(date +%s) - s3 )) s; database $(pg_sql "SELECT pg_size_pretty(pg_database_size(current_database()))")"
fi
TOK=$(amhub device add READER --point KP-007 2>/dev/null)
MAX=$(pg_sql "SELECT max(id) FROM event")
# the event table is partitioned by point (64 hash partitions): how many
# points' rows share KP-007's partition decides how many heap pages its page reads
SHARE=$(pg_sql "SELECT count(DISTINCT point) || ' points, ' || round(100.0 * count(*) FILTER (WHERE point = 'KP-007')
	/ nullif(count(*), 0)) || '% of its rows KP-007''s' FROM event WHERE tableoid = (SELECT tableoid FROM event WHERE point = 'KP-007' LIMIT 1)")
python3 -c "
import random
random.seed(1)
for i in range(1000):
    print('url = \"$AMHUB_URL/v1/feed?since=%d\"' % random.randint(0, $MAX))
    print('output = \"/dev/null\"')
" > "$T/feed.cfg"
# the floors, in the same minutes and from the same cursors, by psql on a
# connection of its own: the page's rows by a bare indexed SELECT (what
# any reader of one point's events from a cursor pays), and the hub's own
# statement (the rows with their envelopes) without the hub
sed -n 's/.*since=\([0-9]*\)".*/\1/p' "$T/feed.cfg" > "$T/cursors"
psql_pages() {	# $1: the statement, with :c for the cursor; its backend's CPU-s to $T/bcpu
	bstat="sed 's/.*) //' /proc/\$(tr -d ' \\n' < $T/bpid)/stat | awk '{ print (\$12 + \$13) / $(getconf CLK_TCK) }'"
	{ printf '\\t on\n\\o %s/bpid\nSELECT pg_backend_pid();\n\\o\n\\t off\n' "$T"
	  printf '\\! %s > %s/bcpu\n' "$bstat" "$T"
	  printf '\\timing on\n\\pset format unaligned\n\\o /dev/null\n'
	  awk -v q="$1" '{ s = q; sub(/:c/, $1, s); print s ";" }' "$T/cursors"
	  printf '\\o\n\\! %s >> %s/bcpu\n' "$bstat" "$T"; } > "$T/floor.sql"
	"$PG_BIN/psql" -X -q -d "$PG_CONN" -f "$T/floor.sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
sort_times() { python3 -c "
import sys
t = sorted(float(x) * float(sys.argv[1]) for x in open(sys.argv[2]))
print('p50 %.1f ms, p99 %.1f ms' % (t[len(t)//2], t[int(len(t)*0.99)]))" "$@"; }
per_page() { echo "$1 $2" | awk '{ printf "%.1f", $1 * 1000 / $2 }'; }
# one page first, so that the pages measured find the hub's connection made
curl -s --cacert "$CERT" -H "Authorization: Bearer $TOK" -o /dev/null "$AMHUB_URL/v1/feed?since=0"
c0="$(cpu_of $AMHUB_PID_A) $(cpu_of $(pg_pids)) $(machine_cpu)" s=$(date +%s.%N)
curl -s --cacert "$CERT" -H "Authorization: Bearer $TOK" -K "$T/feed.cfg" -w '%{time_total}\n' > "$T/times"
e=$(date +%s.%N) c1="$(cpu_of $AMHUB_PID_A) $(cpu_of $(pg_pids)) $(machine_cpu)"
set -- $(echo "$e $s $c1 $c0" | awk '{ printf "%.1f %.1f %.1f %.1f", $1 - $2, $3 - $6, $4 - $7, $5 - $8 }')
N_FEED=$(wc -l < "$T/times")
echo "feed reads with $(pg_sql "SELECT count(*) FROM event") events stored: $(sort_times 1000 "$T/times") over $N_FEED pages of up to 500 - floor: p99 < 20 ms"
echo "  CPU a page: hub $(per_page $2 $N_FEED) ms, PostgreSQL $(per_page $3 $N_FEED) ms; the machine used $4 CPU-s of $(echo "$1 $(nproc)" | awk '{ printf "%.0f", $1 * $2 }') in $1 s; KP-007's partition: $SHARE"
BARE="SELECT * FROM event WHERE point = 'KP-007' AND id > :c ORDER BY id LIMIT 500"
STMT="SELECT e.id, e.uuid, e.device, e.seq, e.type, e.waybill, e.register, e.actor, e.at_ms, e.at, e.place,
	e.payload::text, e.conflict, (e.device <> 'READER'), en.state, en.application, en.postomat, en.city,
	en.reserved_cell, en.courier, en.register FROM (SELECT * FROM event WHERE point = 'KP-007' AND id > :c
	ORDER BY id LIMIT 500) e LEFT JOIN envelope en ON e.waybill <> '' AND en.waybill COLLATE \"C\" = e.waybill ORDER BY e.id"
for floor in BARE STMT; do
	eval "q=\$$floor"
	psql_pages "$(echo "$q" | tr '\n\t' '  ')" > "$T/times-$floor"
	[ "$floor" = BARE ] && what="the same pages' rows by a bare indexed SELECT (psql)" ||
		what="the hub's statement alone, envelopes joined (psql)"
	echo "  $what: $(sort_times 1 "$T/times-$floor"); PostgreSQL CPU $(per_page "$(awk 'NR == 1 { a = $1 } END { print $1 - a }' "$T/bcpu")" "$(wc -l < "$T/times-$floor")") ms a page"
done
amhub_stop_all
