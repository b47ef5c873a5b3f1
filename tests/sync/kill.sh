#!/bin/sh
# kill -9 the uploader in the middle of its batches, again and again: after
# a last clean run, nothing is lost and nothing is doubled at the hub.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-KILL 1500 > "$T/reg.json"
hub_start --seed 3
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\nbatch = 50\nbackoff_base_ms = 10\nbackoff_max_ms = 50\n' "$HUB_URL" "$HUB_CA" > "$T/sync.conf"
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/sync.conf" "$@"; }
expect_exit 0 am init --device-id KILL-1
expect_exit 0 am register import "$T/reg.json"
TOTAL=$(am --json events | json_get 'len(d)')
for i in $(seq 1 25); do
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/sync.conf" sync >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%03d' $(( i * 20 + 20 )))"	# 40 ms ... 520 ms: mid-batch sooner or later
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done
LEFT=$(am --json events --unsent | json_get 'len(d)')
[ "$LEFT" -lt "$TOTAL" ] || fail "the kills left no progress at all"
expect_exit 0 am sync
assert_eq "$(am --json events --unsent | json_get 'len(d)')" 0
hub_dump > "$T/dump.json"
python3 - "$T/dump.json" "$TOTAL" <<'PY' || fail "lost or doubled"
import json, sys
d = json.load(open(sys.argv[1])); total = int(sys.argv[2])
u = [e["uuid"] for e in d["events"]]
assert len(u) == len(set(u)) == total, "%d stored, %d unique, %d made" % (len(u), len(set(u)), total)
print("all %d events once; duplicates received and ignored: %d" % (total, d["stats"].get("duplicates_received", 0)))
PY
ok
done_ok
