#!/bin/sh
# kill -9 over the whole scan path: a scanner on a pty streams codes without
# pause into `amanat scanner accept` (reader, tally, event, commit), which is
# killed again and again at a different moment each round, while it scans.
# Afterwards: every code it confirmed ("CODE matched") is accepted in the
# database, exactly once in the event log; the tally equals the log; the
# chain (and the derived tables) verify; each envelope's list of events and
# its clocks' ids hold (tests/support/layout.sh).  tests/cli/crash.sh does the same
# for codes given on standard input.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/scanpty.sh"
. "$(dirname "$0")/../support/layout.sh"
KILLS=${SCAN_KILLS:-150}
python3 "$AMANAT_TOP/tests/support/genreg.py" R-SKILL 3000 > "$T/reg.json"
printf '[scanner]\nchar_timeout_ms = 50\nreconnect_ms = 20\n' > "$T/scan.conf"
expect_exit 0 am init --device-id SKILL-1
expect_exit 0 am register import "$T/reg.json"
python3 -c "import json; [print(i['waybill']) for i in json.load(open('$T/reg.json'))['items']]" > "$T/codes"
pty_up
# the scanner: every code once, in order, one each 4 ms, then all again (a
# second pass gives duplicates); it blocks while nobody reads the pty
python3 - "$T/scan-in" "$T/codes" <<'PY' &
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NOCTTY)
codes = [c.strip() for c in open(sys.argv[2]) if c.strip()]
for c in codes + codes:
    os.write(fd, (c + "\r").encode())
    time.sleep(0.004)
time.sleep(3600)
PY
WRITER=$!
cleanup_hooks="kill $WRITER 2>/dev/null; $cleanup_hooks"
: > "$T/confirmed"
i=0; early=0
while [ $i -lt $KILLS ]; do
	i=$((i + 1))
	: > "$T/round.out"	# not only in the child: a kill before it opens the file (crash.sh)
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/scan.conf" scanner accept R-SKILL "$T/scan" \
		> "$T/round.out" 2>"$T/round.err" &
	pid=$!
	# 150 to 649 ms: past the start-up of an ASan binary, in the middle of scans
	sleep "$(printf '0.%03d' $(( 150 + (i * 97) % 500 )))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	grep ' matched$' "$T/round.out" | cut -d' ' -f1 >> "$T/confirmed"
	grep -q ' matched$' "$T/round.out" || early=$((early + 1))
done
kill $WRITER 2>/dev/null
sort "$T/confirmed" > "$T/confirmed.s"
sort -u "$T/confirmed" > "$T/confirmed.u"
n=$(wc -l < "$T/confirmed.u")
[ "$n" -gt 100 ] || fail "only $n scans confirmed in $KILLS rounds: the kills came too early"
[ "$(wc -l < "$T/confirmed.s")" = "$n" ] || fail "a code was confirmed matched twice: $(uniq -d "$T/confirmed.s" | head -3)"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
layout_ok "$DB"
am --json register show R-SKILL > "$T/show.json" || fail "register show"
am --json events > "$T/events.json" || fail "events"
python3 - "$T/show.json" "$T/events.json" "$T/confirmed.u" <<'PY' || fail "a confirmed scan is missing or doubled"
import collections, json, sys
show = json.load(open(sys.argv[1]))
events = json.load(open(sys.argv[2]))
confirmed = [c.strip() for c in open(sys.argv[3]) if c.strip()]
state = {i["waybill"]: i.get("state") for i in show["items"]}
accepted = collections.Counter(e["waybill"] for e in events if e["type"] == "accepted")
missing = [c for c in confirmed if state.get(c) != "accepted" or accepted[c] != 1]
if missing:
    print("confirmed but not accepted exactly once:", [(c, state.get(c), accepted[c]) for c in missing[:5]])
    sys.exit(1)
twice = [w for w, k in accepted.items() if k > 1]
if twice:
    print("accepted twice in the log:", twice[:5]); sys.exit(1)
in_state = sum(1 for s in state.values() if s == "accepted")
if show["tally"]["matched"] != in_state or in_state != len(accepted):
    print("tally", show["tally"]["matched"], "envelopes", in_state, "events", len(accepted)); sys.exit(1)
print(len(confirmed), "confirmed;", in_state, "accepted (some committed just before a kill, unconfirmed)")
PY
ok
echo "$KILLS kills ($early before any confirmed scan), $n scans confirmed, each there once"
done_ok
