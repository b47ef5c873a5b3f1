#!/bin/sh
# Text from outside is checked at the edge, each time with one clear refusal
# (exit 1) naming the field: the issue's list of bad input that got through.
. "$(dirname "$0")/../support/testlib.sh"
expect_exit 0 am init --device-id IN-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
W=RR402118737KZ
expect_exit 0 am accept R-2026-000123 $W
BAD=$(printf 'bad \377\376 text')
CTRL=$(printf 'bell \007 here')
events() { am --json events | json_get 'len(d)'; }
n0=$(events)

# reasons of delay, note, lost: not UTF-8 or a control character -> exit 1, the field named
for cmd in "note $W --reason" "lost $W --reason" "delay $W --until $(date -u -d '+3 days' +%Y-%m-%d) --reason"; do
	# shellcheck disable=SC2086
	expect_exit 1 am $cmd "$BAD"
	assert_contains "$ERR" "'--reason'"
	assert_contains "$ERR" "UTF-8"
	# shellcheck disable=SC2086
	expect_exit 1 am --json $cmd "$CTRL"
	assert_eq "$(echo "$ERR" | json_get 'd["exit"], "--reason" in d["error"], "control character" in d["error"]')" "(1, True, True)"
done
expect_exit 1 am note $W "--reason=$CTRL"
assert_contains "$ERR" "'--reason'"
assert_eq "$(events)" "$n0" "(a refused reason wrote an event)"
# a good Kazakh reason goes in whole and comes out whole in --json
expect_exit 0 am --json note $W --reason "Қораптың бұрышы жыртылған"
expect_exit 0 am --json events --waybill $W
assert_contains "$OUT" "Қораптың бұрышы жыртылған"

# register files: a NUL inside a CSV field is refused naming line and field
python3 - "$SAMPLES/register-inbound.csv" "$T/nul.csv" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
lines[2] = lines[2].replace(b"KZ-APP-2026-002001", b"KZ-APP\x00-2026-002001")
open(sys.argv[2], "wb").write(b"\n".join(lines))
PY
expect_exit 1 am register import "$T/nul.csv"
assert_contains "$ERR" "line 3: field 'application' contains a control character"
# JSON with a control character (escaped in JSON) and a CSV in another encoding
python3 - "$SAMPLES/register-inbound.json" "$T/ctl.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["register"] = "R-CTL"; d["items"][1]["city"] = "Алма\u001b[31mты"
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PY
expect_exit 1 am register import "$T/ctl.json"
assert_contains "$ERR" "item 2: field 'city' contains a control character"
sed 's/R-2026-000124/R-2026-000777/' "$SAMPLES/register-inbound.csv" | iconv -f utf-8 -t cp1251 > "$T/cp1251.csv"
expect_exit 1 am register import "$T/cp1251.csv"
assert_contains "$ERR" "not UTF-8"
# a FIFO (or any file that is not a regular file) is refused, not waited on
mkfifo "$T/fifo"
expect_exit 1 timeout 10 "$AMANAT_BIN" --db "$DB" --calendar "$CAL" register import "$T/fifo"
assert_contains "$ERR" "not a regular file"
expect_exit 1 timeout 10 "$AMANAT_BIN" --db "$DB" --calendar "$CAL" postomat import "$T/fifo"
expect_exit 1 am register import "$T"
assert_contains "$ERR" "not a regular file"

# register import-scan runs the checks of a file import
part() {	# part PAYLOAD: one sheet code holding the whole payload
	python3 -c 'import sys, zlib; p = sys.argv[1]; i = p.split("|")[0]
print("AMR1:%s:1/1:%08X:%s" % (i, zlib.crc32(p.encode()), p))' "$1"
}
HDR="R-SCAN-1|inbound|SC-ALM-01|KP-ALM-007|1773920400000~"
LINE="RR503112000KZ|KZ-APP-1|PM-ALM-0042|Алматы|~"
expect_exit 1 am register import-scan "$(part "R-SCAN-1|bogus|SC-ALM-01|KP-ALM-007|1773920400000~$LINE")"
assert_contains "$ERR" "'kind'"
expect_exit 1 am register import-scan "$(part "R-SCAN-1|inbound|SC-ALM-01|KP-ALM-007|yesterday~$LINE")"
assert_contains "$ERR" "'formed_at'"
expect_exit 1 am register import-scan "$(part "R-SCAN-1|inbound|SC-ALM-01|KP-ALM-007|5~$LINE")"
assert_contains "$ERR" "'formed_at'"
expect_exit 1 am register import-scan "$(part "${HDR}RR503112000KZ|KZ-APP-1|PM-ALM-0042|Ал%1B[2Jматы|~")"
assert_contains "$ERR" "item 1: field 'city' contains a control character"
expect_exit 1 am register import-scan "$(part "${HDR}RR503112000KZ|KZ-APP-1|PM-ALM-0042|Ал%00маты|~")"
assert_contains "$ERR" "control character"
expect_exit 1 am register import-scan "$(part "${HDR}RR503112000KZ||PM-ALM-0042|Алматы|~")"
assert_contains "$ERR" "'application'"
expect_exit 0 am --json register import-scan "$(part "$HDR$LINE")"
assert_eq "$(echo "$OUT" | json_get 'd["kind"], d["lines"]')" "('inbound', 1)"
expect_exit 0 am --json register show R-SCAN-1
assert_contains "$(echo "$OUT" | json_get 'd["formed_at"]')" "2026-03-19"

# accept REG -: a stdin line of any length is one code, never split in 512-byte scans
{ python3 -c 'print("A" * 5000)'; printf 'RR402118745KZ\n'; printf 'RR40\0332118753KZ\n'; } > "$T/codes"
expect_exit 1 am --json accept R-2026-000123 - < "$T/codes"
assert_eq "$(printf '%s' "$OUT" | json_get '[(len(r["code"]), r["result"]) for r in d]')" "[(5000, 'invalid'), (13, 'matched'), (17, 'invalid')]"
assert_contains "$(printf '%s' "$OUT" | json_get 'd[2]["code"]')" 'RR40\x1B2118753KZ'
expect_exit 1 am accept R-2026-000123 - < "$T/codes"
[ "$(echo "$OUT" | wc -l)" = 3 ] || fail "3 lines of input made $(echo "$OUT" | wc -l) scans"
ok

# absurd dates
expect_exit 1 am delay RR402118745KZ --until 9999-12-31 --reason late
assert_contains "$ERR" "'--until'"
NOW=$(date +"%Y-%m-%d %H:%M")		# the store refuses these (src/store/force_majeure.c)
expect_exit 1 am force-majeure --from "$NOW" --to "$(date -d '+100 years' +'%Y-%m-%d %H:%M')" --reason flood
assert_contains "$ERR" "longer than a year"
expect_exit 1 am force-majeure --from "9999-01-01 08:00" --to "9999-01-02 08:00" --reason flood
assert_contains "$ERR" "ahead"

# counts, PINs and names
expect_exit 1 am scanner test --count abc
assert_contains "$ERR" "'--count'"
expect_exit 1 am scanner test --count -1
expect_exit 1 am scanner test --timeout 5s
PIN=$(python3 -c 'print("7" * 131000)')
expect_exit 1 am staff add BIG-PIN --name "Big Pin" --role clerk --pin "$PIN"
assert_contains "$ERR" "'--pin'"
expect_exit 1 am staff add CLERK-9 --name "$(printf 'Ай\033[2Jгүл')" --role clerk --pin 1234
# a name is counted in letters: 100 Kazakh letters (200 bytes) are kept whole,
# 101 are refused with the count, never cut inside a letter
NAME100=$(python3 -c 'print("Ә" * 50 + " " + "Ұ" * 49)')
expect_exit 0 am staff add CLERK-100 --name "$NAME100" --role clerk --pin 1234
assert_eq "$(am --json staff list | json_get "[s['name'] for s in d if s['badge']=='CLERK-100'][0]")" "$NAME100"
expect_exit 1 am staff add CLERK-101 --name "${NAME100}Ғ" --role clerk --pin 1234
assert_contains "$ERR" "101"
assert_contains "$ERR" "'--name'"
expect_exit 0 am --json staff add CLERK-9 --name "Айгүл С." --role clerk --pin 1234
assert_eq "$(echo "$OUT" | json_get 'd["name"]')" "Айгүл С."
# the actor from the environment is text from outside too
AMANAT_ACTOR=$(printf 'x\033y') expect_exit 1 am note $W --reason fine
assert_contains "$ERR" "'actor'"
expect_exit 0 am verify
done_ok
