#!/bin/sh
# A full disk: the database sits on a tiny tmpfs (in a private mount
# namespace); scans go on until the disk fills.  The refusal says the disk is
# full (exit 3), nothing acknowledged is lost, the chain still verifies, and
# after space is freed the same scan goes through.
. "$(dirname "$0")/../support/testlib.sh"
[ "$(id -u)" = 0 ] || { echo "needs root for a tmpfs in a mount namespace"; exit 77; }
unshare -m true 2>/dev/null || { echo "unshare -m is not allowed here"; exit 77; }
python3 "$AMANAT_TOP/tests/support/genreg.py" R-FULL 600 > "$T/reg.json"
python3 -c "import json; [print(i['waybill']) for i in json.load(open('$T/reg.json'))['items']]" > "$T/codes"
mkdir -p "$T/disk"
cat > "$T/ns.sh" <<NS
set -u
mount -t tmpfs -o size=16m none "$T/disk" || exit 9
A="$AMANAT_BIN --db $T/disk/a.db --calendar $CAL"
\$A init --device-id FULL-1 >/dev/null || exit 10
\$A register import "$T/reg.json" > "$T/import.out" 2>&1 || exit 11
# fill what is left, then give back a little room for a few scans
dd if=/dev/zero of="$T/disk/ballast" bs=64k 2>/dev/null
truncate -s -320K "$T/disk/ballast"
head -n 590 "$T/codes" | \$A accept R-FULL - > "$T/accept.out" 2> "$T/accept.err"
echo "accept exit \$?" > "$T/accept.rc"
\$A --json events > "$T/events.json" 2>/dev/null || echo "events failed" >> "$T/accept.rc"
\$A verify > "$T/verify.out" 2>&1; echo "verify \$?" >> "$T/accept.rc"
rm -f "$T/disk/ballast"                     # space is freed
tail -n 1 "$T/codes" | \$A accept R-FULL - > "$T/after.out" 2>&1; echo "after \$?" >> "$T/accept.rc"
\$A verify >> "$T/verify.out" 2>&1; echo "verify-after \$?" >> "$T/accept.rc"
NS
unshare -m sh "$T/ns.sh" || fail "the namespace run failed ($?): $(cat "$T/import.out" 2>/dev/null)"
grep -q "accept exit 3" "$T/accept.rc" || fail "expected exit 3 when the disk is full: $(cat "$T/accept.rc" "$T/accept.err")"
assert_contains "$(cat "$T/accept.err")" "disk is full"
grep -q "verify 0" "$T/accept.rc" || fail "the chain does not verify after the disk filled: $(cat "$T/verify.out")"
grep -q "after 0" "$T/accept.rc" && grep -q " matched" "$T/after.out" || fail "no scan after space was freed: $(cat "$T/after.out")"
grep -q "verify-after 0" "$T/accept.rc" || fail "the chain does not verify after recovery"
# every scan reported matched is in the log, once
python3 - "$T/accept.out" "$T/events.json" <<'PY' || fail "a reported scan is missing"
import json, sys
reported = [l.split()[0] for l in open(sys.argv[1]) if l.rstrip().endswith(" matched")]
ev = json.load(open(sys.argv[2]))
acc = [e["waybill"] for e in ev if e["type"] == "accepted"]
assert 0 < len(reported) < 590, "the disk did not fill in the middle: %d scans" % len(reported)
assert set(reported) <= set(acc), "reported but not in the log"
assert len(acc) == len(set(acc)), "accepted twice"
print(len(reported), "scans reported before the disk filled; all in the log")
PY
ok
done_ok
