#!/bin/sh
# A big register is imported in slices (so that scans do not wait for all of
# it), yet stays one step for the user: killed with -9 at any moment, the
# register is not there at all for listings and scans, or it is there whole;
# importing the same file again goes on and finishes it, each line once, and
# the event chain verifies after every kill.  Meanwhile scans against
# another register go on.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/layout.sh"
ROUNDS=${IMPORT_KILL_ROUNDS:-10}
N=${IMPORT_KILL_LINES:-10000}
python3 "$AMANAT_TOP/tests/support/genreg.py" R-BIG "$N" > "$T/big.json"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-SMALL 300 90000000 > "$T/small.json"
python3 - "$T/big.json" > "$T/other.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["items"] = d["items"][:10] + d["items"][11:]
print(json.dumps(d, ensure_ascii=False))
PY
FIRST=$(python3 -c "import json; print(json.load(open('$T/big.json'))['items'][0]['waybill'])")
# doctor's "registers" checks: (ok, names R-BIG and says to import it again)
doctor_registers() {
	am --json doctor 2>/dev/null | json_get '[(c["ok"], "R-BIG" in c["detail"] and "import its file again" in c["detail"])
		for c in d["checks"] if c["check"] == "registers"]'
}
expect_exit 0 am init --device-id IMPKILL
expect_exit 0 am register import "$T/small.json"
lines() { sqlite3 "$DB" "SELECT count(*) FROM register_line WHERE register_id = 'R-BIG'" 2>/dev/null || echo busy; }
state() {  # "absent", "partial K" (hidden, K lines) or "whole"
	python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
row = db.execute("SELECT imported_at FROM register WHERE id = 'R-BIG'").fetchone()
lines = db.execute("SELECT count(*) FROM register_line WHERE register_id = 'R-BIG'").fetchone()[0]
env = db.execute("SELECT count(*) FROM envelope WHERE register_id = 'R-BIG'").fetchone()[0]
ev = db.execute("SELECT count(*), count(DISTINCT waybill) FROM event WHERE type = 'registered' AND register_id = 'R-BIG'").fetchone()
if not (lines == env == ev[0] == ev[1]):
    print("torn: lines %d envelopes %d events %d/%d" % (lines, env, ev[0], ev[1]))
elif row is None: print("absent" if lines == 0 else "torn: lines without the register")
elif row[0] == 0: print("partial", lines)
else: print("whole" if lines > 0 else "torn: empty")
PY
}
i=0; seen_partial=0
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" register import "$T/big.json" >/dev/null 2>&1 &
	pid=$!
	# each run goes on from where the one before was cut: kill it once it
	# has committed a slice of its own (or at once, every fourth round),
	# a little later each round
	if [ $((i % 4)) -ne 0 ]; then
		before=$(lines); t=0
		while [ "$(lines)" = "$before" ] && [ $t -lt 600 ] && kill -0 $pid 2>/dev/null; do
			sleep 0.01; t=$((t + 1))
		done
		sleep "0.0$((i % 10))"
	fi
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	st=$(state)
	case "$st" in
	whole) break ;;
	absent) ;;
	partial*)
		seen_partial=$((seen_partial + 1))
		# hidden: not listed, no scan against it, another file under its id refused
		expect_exit 0 am --json register list
		case "$OUT" in *R-BIG*) fail "round $i: a half-imported register is listed" ;; esac
		expect_exit 1 am accept R-BIG RR100000005KZ
		expect_exit 1 am register import "$T/other.json"
		assert_contains "$ERR" "partly imported"
		# nothing of it shows: its envelopes are unknown by waybill and
		# not counted on any screen
		expect_exit 1 am --json status "$FIRST"
		assert_contains "$ERR" "unknown waybill"
		assert_eq "$(sqlite3 "$DB" "SELECT coalesce(sum(n), 0) FROM envelope_count")" 300
		# but doctor says it is there, cut short, and what to do
		assert_eq "$(doctor_registers)" "[(False, True)]"
		;;
	*) fail "round $i: $st" ;;
	esac
	expect_exit 0 am --json verify
	assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
	layout_ok "$DB"	# each envelope's list starts with its "registered" event
	# scans against another register go on between the kills
	code=$(python3 -c "import json; print(json.load(open('$T/small.json'))['items'][$i]['waybill'])")
	expect_exit 0 am accept R-SMALL "$code"
	assert_contains "$OUT" matched
done
# the same file again finishes it, each line once
expect_exit 0 am register import "$T/big.json"
assert_eq "$(state)" whole
assert_eq "$(doctor_registers)" "[(True, False)]"
layout_ok "$DB"
expect_exit 0 am --json status "$FIRST"
assert_eq "$(sqlite3 "$DB" "SELECT coalesce(sum(n), 0) FROM envelope_count")" "$((300 + N))"
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get '[r["lines"] for r in d if r["register"] == "R-BIG"][0]')" "$N"
before=$(sqlite3 "$DB" "SELECT count(*) FROM event")
expect_exit 0 am register import "$T/big.json"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event")" "$before" "(a second import of the same file wrote events)"
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
[ "$seen_partial" -gt 0 ] || fail "no kill landed between two slices"
# two amanat importing one file at once (two desks, a sync): they take
# turns slice by slice, and the register ends whole, each line once
python3 "$AMANAT_TOP/tests/support/genreg.py" R-TWICE 6000 60000000 > "$T/twice.json"
am register import "$T/twice.json" > "$T/twice1.out" 2>&1 & p1=$!
am register import "$T/twice.json" > "$T/twice2.out" 2>&1 & p2=$!
wait $p1 || fail "first of two imports: $(cat "$T/twice1.out")"
wait $p2 || fail "second of two imports: $(cat "$T/twice2.out")"
assert_eq "$(sqlite3 "$DB" "SELECT count(*), count(DISTINCT waybill) FROM event WHERE type = 'registered' AND register_id = 'R-TWICE'")" "6000|6000"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM envelope WHERE register_id = 'R-TWICE'")" 6000
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
echo "$i kills during a $N-line import ($seen_partial cut between slices), then finished"
done_ok
