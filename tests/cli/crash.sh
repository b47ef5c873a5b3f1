#!/bin/sh
# Crash test in the spirit of SQLite's: kill -9 the CLI again and again in the
# middle of a run of scans.  Every scan it reported as matched must be in the
# database afterwards, no scan may be counted twice, and the event chain must
# verify after every kill.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/layout.sh"
ROUNDS=${CRASH_ROUNDS:-200}
python3 "$AMANAT_TOP/tests/support/genreg.py" R-CRASH 1500 > "$T/reg.json"
expect_exit 0 am init --device-id CRASH-1
expect_exit 0 am register import "$T/reg.json"
python3 -c "import json; [print(i['waybill']) for i in json.load(open('$T/reg.json'))['items']]" > "$T/codes"
: > "$T/reported"
i=0
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	# each round rescans from a moving start: a mix of new codes and duplicates
	start=$(( (i * 7) % 1400 + 1 ))
	tail -n +$start "$T/codes" | head -n 40 > "$T/batch"
	# emptied here, not only by the redirection below: that one is made by
	# the forked child, and a kill that comes first (2 ms into a round on
	# a loaded machine) left the last round's lines to be counted again
	: > "$T/round.out"
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" accept R-CRASH - < "$T/batch" > "$T/round.out" 2>/dev/null &
	pid=$!
	# a kill at a different moment each round: 0 to 200 ms (the start-up of
	# an ASan binary takes some of that on a loaded machine)
	sleep "$(printf '0.%03d' $(( (i * 37) % 200 )))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	grep ' matched$' "$T/round.out" | cut -d' ' -f1 >> "$T/reported"
done
sort -u "$T/reported" > "$T/reported.u"
reported=$(wc -l < "$T/reported.u")
[ "$reported" -gt 0 ] || fail "no scan ever reported matched: the kills came too early"
[ "$(wc -l < "$T/reported")" = "$reported" ] || fail "a code was reported matched twice"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
layout_ok "$DB"	# each envelope's list of events, its clocks' ids
# every reported scan is accepted in the database
am --json register show R-CRASH > "$T/show.json" || fail "register show"
python3 - "$T/show.json" "$T/reported.u" <<'PY' || fail "a reported scan is missing from the database"
import json, sys
d = json.load(open(sys.argv[1]))
state = {i["waybill"]: i.get("state") for i in d["items"]}
missing = [c.strip() for c in open(sys.argv[2]) if state.get(c.strip()) != "accepted"]
accepted = sum(1 for s in state.values() if s == "accepted")
if missing:
    print("reported but not accepted:", missing[:5]); sys.exit(1)
# one accepted event per accepted envelope: nothing counted twice
if d["tally"]["matched"] != accepted:
    print("tally", d["tally"]["matched"], "!= accepted", accepted); sys.exit(1)
print(len(missing), "missing;", accepted, "accepted")
PY
ok
expect_exit 0 am --json events
python3 -c "
import json,sys,collections
ev=json.load(open('$T/out'))
c=collections.Counter(e['waybill'] for e in ev if e['type']=='accepted')
dup=[w for w,n in c.items() if n>1]
sys.exit(1 if dup else 0)" || fail "an envelope was accepted twice in the log"
echo "$ROUNDS kills, $reported scans reported and all found"
done_ok
