#!/bin/sh
# Soak: about 10,000 events made through the CLI while the hub injects every
# fault at random (seeded): 500, 503 + Retry-After, stalls past the client's
# timeout, answers cut in the middle, acknowledgements lost after storing,
# duplicated acknowledgements, a hub that lies (acknowledges what was not
# sent, answers nonsense), and one permanent rejection.  At the end the
# hub holds each event exactly once, in per-device sequence order per
# envelope, and the outbox is empty but for the dead-lettered event.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
N=${SOAK_ENVELOPES:-5000}
python3 "$AMANAT_TOP/tests/support/genreg.py" R-SOAK "$N" > "$T/reg.json"
REJECT=$(python3 -c "import json; print(json.load(open('$T/reg.json'))['items'][7]['waybill'])")
hub_start --seed 42 --fault-rate 0.35 --stall-s 1.5 --retry-after 1 --reject "$REJECT:accepted"
cat > "$T/sync.conf" <<CONF
[sync]
url = $HUB_URL
cainfo = $HUB_CA
token = test-token
batch = 500
timeout_ms = 1000
connect_timeout_ms = 1000
backoff_base_ms = 20
backoff_max_ms = 300
attempts = 40
max_wait_s = 5
CONF
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/sync.conf" "$@"; }
expect_exit 0 am init --device-id SOAK-1 --point KP-ALM-007
expect_exit 0 am register import "$T/reg.json"
python3 -c "import json; [print(i['waybill']) for i in json.load(open('$T/reg.json'))['items']]" > "$T/codes"
# the first half accepted, a sync under faults, the second half, sync again
head -n $((N / 2)) "$T/codes" | am accept R-SOAK - > /dev/null || fail "accept"
hub_faults 500 503 stall cut lose dup lie      # each at least once, then at random
am sync > "$T/sync1.out" 2>&1    # may fail part-way: that is the point
tail -n +$((N / 2 + 1)) "$T/codes" | am accept R-SOAK - > /dev/null || fail "accept"
TOTAL=$(am --json events | json_get 'len(d)')
[ "$TOTAL" -ge $((2 * N)) ] || fail "only $TOTAL events made"
i=0
until am sync > "$T/sync.out" 2>&1; do
	i=$((i + 1)); [ $i -lt 30 ] || fail "sync never finished: $(cat "$T/sync.out")"
done
ok
# the outbox: empty but for the dead letter
assert_eq "$(am --json events --unsent | json_get 'len(d)')" 0
am --json sync --dead > "$T/dead.json"
assert_eq "$(json_get '[(e["waybill"], e["type"]) for e in d]' < "$T/dead.json")" "[('$REJECT', 'accepted')]"
# the hub: each event exactly once, all of them, in sequence order per envelope
hub_dump > "$T/dump.json"
python3 - "$T/dump.json" "$TOTAL" <<'PY' || fail "the hub's events are not right"
import json, sys, collections
d = json.load(open(sys.argv[1])); total = int(sys.argv[2])
ev = d["events"]
uuids = [e["uuid"] for e in ev]
assert len(uuids) == len(set(uuids)), "an event stored twice"
assert len(ev) == total - 1, "hub holds %d of %d (one rejected)" % (len(ev), total)
seqs = [e["seq"] for e in ev]
assert sorted(seqs) == sorted(set(seqs)), "a sequence number twice"
per = collections.defaultdict(list)
for e in ev:
    per[e["waybill"]].append(e["seq"])
for w, s in per.items():
    assert s == sorted(s), "envelope %s out of order: %s" % (w, s)
st = d["stats"]
faults = [k for k in st if k.startswith("fault_")]
print("hub: %d events, %d batches, faults %s, duplicates received %d" % (
    len(ev), st.get("batches", 0), {k[6:]: st[k] for k in faults}, st.get("duplicates_received", 0)))
assert len(faults) == 7, "not every fault was injected: %s" % faults
PY
ok
am verify >/dev/null || fail "chain"
done_ok
