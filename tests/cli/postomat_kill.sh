#!/bin/sh
# `postomat import` (sync runs the same code) is one transaction: one fsync'd
# commit for thousands of cells, and a kill -9 at any moment of it leaves
# either the whole old set or the whole new one, never a mix.
. "$(dirname "$0")/../support/testlib.sh"
ROUNDS=${POSTOMAT_KILL_ROUNDS:-16}
# two sets of 300 postomats x 40 cells that differ in every row
for set in old new; do
	python3 - "$set" > "$T/$set.json" <<'PY'
import json, sys
tag = sys.argv[1]
status = "free" if tag == "old" else "broken"
print(json.dumps({"postomats": [
    {"id": "PM-%04d" % p, "city": "Almaty", "address": "%s %d" % (tag, p),
     "cells": [{"id": "C%02d" % c, "size": "S" if tag == "old" else "M", "status": status}
               for c in range(40)]} for p in range(300)]}))
PY
done
expect_exit 0 am init --device-id PMKILL
expect_exit 0 am postomat import "$T/old.json"
assert_contains "$OUT" "12000 cells"
# which set the database holds: "old", "new", or a mix (a failure)
holds() {
	python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
a = dict(db.execute("SELECT substr(address, 1, 3), count(*) FROM postomat GROUP BY 1"))
c = dict(db.execute("SELECT status || size, count(*) FROM cell GROUP BY 1"))
if a == {"old": 300} and c == {"freeS": 12000}: print("old")
elif a == {"new": 300} and c == {"brokenM": 12000}: print("new")
else: print("mix", a, c)
PY
}
assert_eq "$(holds)" old
# one commit: a handful of fsyncs (the commit, the checkpoint at close), not
# one per cell
if command -v strace >/dev/null 2>&1; then
	ASAN_OPTIONS=detect_leaks=0 strace -f -c -e trace=fsync,fdatasync -o "$T/strace" "$AMANAT_BIN" --db "$DB" --calendar "$CAL" \
		postomat import "$T/new.json" >/dev/null 2>&1 || fail "import under strace"
	n=$(awk '$NF ~ /^f(data)?sync$/ { s += $4 } END { print s + 0 }' "$T/strace")
	[ "$n" -le 8 ] || fail "$n fsyncs for one import of 12000 cells: not one transaction"
	ok
	assert_eq "$(holds)" new
fi
# how long one import takes here, to spread the kills over it
s=$(date +%s%N); am postomat import "$T/old.json" >/dev/null || fail "import"; e=$(date +%s%N)
dur=$(( (e - s) / 1000000 )); [ "$dur" -gt 0 ] || dur=1
cur=old; i=0; changed=0
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	next=new; [ $cur = new ] && next=old
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" postomat import "$T/$next.json" >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v d="$dur" -v i="$i" -v n="$ROUNDS" 'BEGIN { printf "%.3f", d * i / n / 1000 }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	got=$(holds)
	case "$got" in
	"$cur") ;;
	"$next") cur=$next; changed=$((changed + 1)) ;;
	*) fail "round $i: a kill left $got" ;;
	esac
	ok
done
expect_exit 0 am --json verify
echo "$ROUNDS kills over a $dur ms import: $changed finished, the rest left the old set whole"
done_ok
