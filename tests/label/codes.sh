#!/bin/sh
# Every code amanat makes, decoded back by independent decoders: zbarimg
# (Code 128, QR) and ZXingReader (DataMatrix).  A register split over many
# codes is loaded back from the decoded parts, in a shuffled order, and
# compared line by line; the half-block code on a terminal is drawn as a
# picture and decoded too.
. "$(dirname "$0")/../support/testlib.sh"
command -v zbarimg >/dev/null || { echo "zbarimg is not installed (make deps)"; exit 77; }
command -v ZXingReader >/dev/null || { echo "ZXingReader is not installed (make deps)"; exit 77; }
zbar() { zbarimg -q --raw --nodbus "$1"; }
expect_exit 0 am init --device-id LBL-1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
# waybill labels: PNG decodes to exactly the waybill; SVG holds the texts; ZPL
for size in 58x40 100x60; do for dpi in 203 300; do
	expect_exit 0 am label RR402118737KZ -o "$T/l-$size-$dpi.png" --size $size --dpi $dpi
	assert_eq "$(zbar "$T/l-$size-$dpi.png")" RR402118737KZ
done; done
expect_exit 0 am label RR402118737KZ -o "$T/l.svg"
grep -q "PM-ALM-0042 Алматы" "$T/l.svg" || fail "the SVG lacks the postomat and city (UTF-8)"
grep -q "R-2026-000123" "$T/l.svg" || fail "the SVG lacks the register"
ok
expect_exit 0 am label RR402118737KZ -o "$T/l.zpl" --size 100x60 --dpi 300
python3 - "$T/l.zpl" <<'PY' || fail "ZPL structure"
import re, sys
z = open(sys.argv[1], encoding="utf-8").read()
assert z.startswith("^XA") and z.rstrip().endswith("^XZ"), "not ^XA ... ^XZ"
assert "^CI28" in z, "no UTF-8 (^CI28)"
assert re.search(r"\^BCN,\d+,Y,N,N\^FDRR402118737KZ\^FS", z), "no ^BC field with the waybill"
assert re.search(r"\^BXN,\d+,200\^FDRR402118737KZ\^FS", z), "no ^BX field with the waybill"
assert "^FDPM-ALM-0042 Алматы^FS" in z, "no postomat and city"
assert "^PW1181" in z and "^LL708" in z, "not 100x60 mm at 300 dpi"
PY
ok
# a waybill that fails its check digit is never printed
expect_exit 1 am label RR402118736KZ -o "$T/bad.png"
[ ! -e "$T/bad.png" ] || fail "a bad waybill was drawn"
# a register large enough to need many codes, in QR and in DataMatrix
python3 "$AMANAT_TOP/tests/support/genreg.py" R-BIG 120 30000000 > "$T/big.json"
expect_exit 0 am register import "$T/big.json"
expect_exit 0 am --json sheet R-BIG -o "$T/big.txt"
N=$(echo "$OUT" | json_get 'd["codes"]')
[ "$N" -gt 3 ] || fail "R-BIG fits $N codes: not split"
grep -q "R-BIG" "$T/big.txt" && grep -q "_____" "$T/big.txt" || fail "the sheet text lacks its header or signatures"
: > "$T/parts"
for k in $(seq 1 "$N"); do
	zbar "$T/big.txt-$k.png" > "$T/part-$k" || fail "zbarimg could not read code $k/$N"
done
ok
expect_exit 0 am --json sheet R-BIG -o "$T/dm.txt" --code datamatrix
for k in $(seq 1 "$N"); do
	ZXingReader -bytes "$T/dm.txt-$k.png" > "$T/dm-$k" 2>/dev/null || fail "ZXingReader could not read DataMatrix $k"
	# zbarimg ends its output with a newline, ZXingReader -bytes does not
	[ "$(cat "$T/dm-$k")" = "$(cat "$T/part-$k")" ] || fail "DataMatrix $k differs from QR $k"
	LC_ALL=C grep -q '[[:cntrl:]]' "$T/dm-$k" && fail "a control character in part $k"
done
ok
# load the register on another terminal from the decoded parts, shuffled
DB2="$T/other.db"
am2() { "$AMANAT_BIN" --db "$DB2" --calendar "$CAL" "$@"; }
expect_exit 0 am2 init
set --
for k in $(seq "$N" -1 1); do set -- "$@" "$(cat "$T/part-$k")"; done
expect_exit 1 am2 register import-scan "$1"                       # one part only
assert_contains "$ERR" "scan the rest"
expect_exit 1 am2 register import-scan "$1" "$1"                  # the same part twice
assert_contains "$ERR" "scanned already"
expect_exit 1 am2 register import-scan "$1" "$(zbar "$T/../$(basename "$T")/big.txt-1.png" | sed 's/R-BIG/R-OTHER/')"
assert_contains "$ERR" "another register"
expect_exit 0 am2 --json register import-scan "$@"
assert_eq "$(echo "$OUT" | json_get 'd["lines"]')" 120
am --json register show R-BIG > "$T/a.json"
am2 --json register show R-BIG > "$T/b.json"
python3 - "$T/a.json" "$T/b.json" <<'PY' || fail "the register from the codes differs"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
for k in ("register", "kind", "from", "to", "formed_at", "lines"):
    assert a[k] == b[k], (k, a[k], b[k])
fa = [(i["waybill"], i["application"], i["postomat"], i["city"]) for i in a["items"]]
fb = [(i["waybill"], i["application"], i["postomat"], i["city"]) for i in b["items"]]
assert fa == fb, "lines differ"
PY
ok
# an act's sheet and its code
expect_exit 0 am accept R-2026-000123 RR402118737KZ
expect_exit 0 am --json accept R-2026-000123 --finish
ACT=$(echo "$OUT" | json_get 'd["act"]')
expect_exit 0 am sheet "$ACT" -o "$T/act.txt"
assert_eq "$(zbar "$T/act.txt-code.png")" "AMA1:$ACT"
grep -q "RR402118745KZ" "$T/act.txt" || fail "the act sheet lacks a missing envelope"
[ "$(grep -c "$ACT" "$T/act.txt")" -ge 2 ] || fail "the act sheet has not two copies"
ok
# the code on a terminal, in half blocks: drawn as a picture, decoded
expect_exit 0 am code R-2026-000123 --cols 80 --rows 40
printf '%s\n' "$OUT" > "$T/screen.txt"
python3 "$AMANAT_TOP/tests/support/halfblock2png.py" "$T/screen.txt" "$T/screen.png"
zbar "$T/screen.png" > "$T/screen.decoded" || fail "the half-block code does not decode"
head -c 20 "$T/screen.decoded" | grep -q "AMR1:R-2026-000123" || fail "decoded: $(head -c 80 "$T/screen.decoded")"
ok
# the register's id fits an 80x24 desk and decodes
expect_exit 0 am code R-2026-000123 --id --cols 80 --rows 23
printf '%s\n' "$OUT" > "$T/id.txt"
python3 "$AMANAT_TOP/tests/support/halfblock2png.py" "$T/id.txt" "$T/id.png"
assert_eq "$(zbar "$T/id.png")" R-2026-000123
expect_exit 1 am code R-2026-000123 --cols 20 --rows 16
assert_contains "$ERR" "enlarge"
done_ok
