#!/bin/sh
# amanat-hub's fast ingest path (COPY, the point's lock taken last, a batch
# retried when another transaction got there first), checked for what it
# must keep:
#  - every byte of a field survives COPY's text format (tabs, newlines,
#    backslashes, quotes, Kazakh letters in actor, place and payload);
#  - a large batch resent with new events: the old answered "duplicate",
#    the new stored once (the first try meets the uuid key and is retried);
#  - one batch posted twice at once: every uuid accepted exactly once;
#  - two desks of one point registering the same new envelopes at once,
#    several rounds: no 503, one envelope each, nothing marked a conflict;
#  - a feed read from 0 in pages while batches land: ids increasing, every
#    event of the other devices exactly once.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
amhub_setup
D1=$(amhub_device DESK-1 KP-ALM-007) && D2=$(amhub_device DESK-2 KP-ALM-007) \
	&& RD=$(amhub_device SUP-1 KP-ALM-007) || fail "device add"
amhub_start A --threads 4
# batches: gen.py DEVICE FIRST_SEQ WAYBILL_FROM COUNT TYPES > file
cat > "$T/gen.py" <<'PY'
import json, sys, uuid
dev, seq, w0, n, types = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split(",")
W = [8, 6, 4, 2, 3, 5, 9, 7]
def s10(k):
    s = "%08d" % k; c = 11 - sum(int(d) * m for d, m in zip(s, W)) % 11
    return "RR%s%dKZ" % (s, 0 if c == 10 else 5 if c == 11 else c)
ev, prev = [], {"registered": "none", "accepted": "registered"}
for i in range(n):
    for t in types:
        seq += 1
        ev.append({"uuid": str(uuid.uuid4()), "device": dev, "seq": seq, "type": t, "waybill": s10(w0 + i),
                   "register": "R-BURST", "actor": "Жанар\\Ә\t%d\x01\x1f" % i, "at_ms": 1773999125123 + seq,
                   "at": "2026-03-20T14:32:05+05:00", "place": "KP-ALM-007\n",
                   "payload": {"from": prev[t], "to": t, "reason": "тab\there\nnew \"q\" \\ \\N end",
                               "postomat": "PM-1", "city": "Алматы"}})
json.dump({"device": dev, "events": ev}, sys.stdout, ensure_ascii=False)
PY
post() {	# post TOKEN FILE OUT: the HTTP status
	curl -s --cacert "$CERT" -o "$3" -w '%{http_code}' -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' --data-binary "@$2" "$AMHUB_URL/v1/events"
}
statuses() { python3 -c 'import json,sys; print(" ".join(sorted(set(r["status"] for r in json.load(open(sys.argv[1]))["results"]))))' "$1"; }
# 1. 300 events, every awkward byte
python3 "$T/gen.py" DESK-1 0 1000 150 registered,accepted > "$T/b1.json"
assert_eq "$(post "$D1" "$T/b1.json" "$T/r1")" 200
assert_eq "$(statuses "$T/r1")" accepted
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE device = 'DESK-1'")" 300
assert_eq "$(pg_sql "SELECT count(*) FROM envelope WHERE state = 'accepted'")" 150
assert_eq "$(pg_sql "SELECT count(*) FROM clock WHERE closed_ms = 0 AND clock = 'wait-at-point'")" 150
python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["events"]:
    print("%s\t%s" % (e["uuid"], json.dumps([e["actor"], e["place"], e["payload"]], ensure_ascii=False)))' "$T/b1.json" > "$T/want.tsv"
pg_sql "SELECT uuid || chr(9) || jsonb_build_array(actor, place, payload)::text FROM event WHERE device = 'DESK-1'" > "$T/got.tsv"
python3 - "$T/want.tsv" "$T/got.tsv" <<'PY' || fail "a field changed on its way through COPY"
import json, sys
def load(f):
    out = {}
    for line in open(f, encoding="utf-8").read().split("\n"):
        if line:
            u, v = line.split("\t", 1)
            out[u] = json.loads(v)
    return out
w, g = load(sys.argv[1]), load(sys.argv[2])
sys.exit(0 if w == g and len(w) == 300 else 1)
PY
ok
# 2. resent with 50 new events appended: 300 duplicates, 50 stored
python3 - "$T/b1.json" "$T/b2.json" <<'PY'
import json, subprocess, sys
b = json.load(open(sys.argv[1]))
extra = json.loads(subprocess.check_output(["python3", sys.argv[1].rsplit("/", 1)[0] + "/gen.py", "DESK-1", "300", "5000", "25", "registered,accepted"]))
b["events"] += extra["events"]
json.dump(b, open(sys.argv[2], "w"), ensure_ascii=False)
PY
assert_eq "$(post "$D1" "$T/b2.json" "$T/r2")" 200
assert_eq "$(json_get '[r["status"] for r in d["results"]].count("duplicate")' < "$T/r2")" 300
assert_eq "$(json_get '[r["status"] for r in d["results"]].count("accepted")' < "$T/r2")" 50
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE device = 'DESK-1'")" 350
grep -q '"ingest_retry"' "$T/A.log" || fail "the resent batch was not retried after the uuid key refused it"; ok
# 3. one new batch posted twice at once: each uuid accepted exactly once
python3 "$T/gen.py" DESK-1 400 7000 200 registered,accepted > "$T/b3.json"
post "$D1" "$T/b3.json" "$T/r3a" > "$T/s3a" &
P1=$!
post "$D1" "$T/b3.json" "$T/r3b" > "$T/s3b"
wait $P1
assert_eq "$(cat "$T/s3a") $(cat "$T/s3b")" "200 200"
python3 - "$T/r3a" "$T/r3b" <<'PY' || fail "a uuid accepted twice or never"
import json, sys
a, b = (json.load(open(f))["results"] for f in sys.argv[1:3])
ok = len(a) == len(b) == 400 and all(sorted([x["status"], y["status"]]) == ["accepted", "duplicate"] for x, y in zip(a, b))
sys.exit(0 if ok else 1)
PY
ok
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE device = 'DESK-1'")" 750
# 4. two desks register the same new envelopes at once, five rounds
for round in 1 2 3 4 5; do
	python3 "$T/gen.py" DESK-1 $((1000 + round * 100)) $((20000 + round * 1000)) 80 registered > "$T/c1.json"
	python3 "$T/gen.py" DESK-2 $((round * 100)) $((20000 + round * 1000)) 80 registered > "$T/c2.json"
	post "$D1" "$T/c1.json" "$T/rc1" > "$T/sc1" &
	P1=$!
	post "$D2" "$T/c2.json" "$T/rc2" > "$T/sc2"
	wait $P1
	assert_eq "$(cat "$T/sc1") $(cat "$T/sc2")" "200 200"
	assert_eq "$(statuses "$T/rc1") $(statuses "$T/rc2")" "accepted accepted"
done
assert_eq "$(pg_sql "SELECT count(*) FROM envelope WHERE waybill IN (SELECT waybill FROM event WHERE device = 'DESK-2')")" 400
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE conflict IS NOT NULL")" 0
# 5. a feed read in pages while batches land: ids increasing, each once
python3 "$T/gen.py" DESK-2 2000 30000 300 registered,accepted > "$T/f1.json"
post "$D2" "$T/f1.json" "$T/rf" > /dev/null &
P1=$!
python3 - "$AMHUB_URL" "$CERT" "$RD" "$T/seen" <<'PY'
import json, ssl, sys, time, urllib.request
url, ca, tok, out = sys.argv[1:5]
ctx, cur, ids, items = ssl.create_default_context(cafile=ca), "0", [], {}
end = time.time() + 60
while time.time() < end:
    q = urllib.request.Request(url + "/v1/feed?since=" + cur, headers={"Authorization": "Bearer " + tok})
    d = json.load(urllib.request.urlopen(q, context=ctx))
    ids += [int(i["cursor"]) for i in d["items"]]
    items.update((i["uuid"], i) for i in d["items"])
    cur = d["cursor"]
    if not d["more"] and len(ids) >= 1150 + 1000:	# DESK-1's and DESK-2's, all
        break
open(out, "w").write("\n".join(map(str, ids)) + "\n")
json.dump(items, open(out + ".json", "w"), ensure_ascii=False)
PY
wait $P1
python3 -c '
import sys
ids = [int(x) for x in open(sys.argv[1]).read().split()]
sys.exit(0 if ids == sorted(set(ids)) else 1)' "$T/seen" || fail "the feed skipped back or repeated an item"; ok
assert_eq "$(wc -l < "$T/seen" | tr -d ' ')" "$(pg_sql "SELECT count(*) FROM event WHERE device <> 'SUP-1'")"
# the feed hands every byte back as it was posted (its JSON is written by hand)
python3 - "$T/b1.json" "$T/seen.json" <<'PY' || fail "a feed item differs from the event posted"
import json, sys
posted, fed = json.load(open(sys.argv[1]))["events"], json.load(open(sys.argv[2]))
keys = ("uuid", "device", "seq", "type", "waybill", "register", "actor", "at_ms", "at", "place", "payload")
bad = [e["uuid"] for e in posted if any(fed[e["uuid"]][k] != e[k] for k in keys)
       or fed[e["uuid"]]["envelope"]["state"] != "accepted" or "conflict" in fed[e["uuid"]]]
sys.exit(1 if bad or len(posted) != 300 else 0)
PY
ok
amhub_done
