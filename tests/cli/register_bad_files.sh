#!/bin/sh
# A clerk loads a register file that is bad: empty, cut off, in another
# encoding, saved with ';', a folder, unreadable, a waybill twice...  Each is
# refused with what is wrong and what to do, with the exit code of the README
# (1 refused, 3 environment), and the database is left as it was: no part of
# the register, no event.  A UTF-8 BOM is simply accepted.
. "$(dirname "$0")/../support/testlib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing (make deps)"; exit 77; }
expect_exit 0 am init --device-id D1 --point KP-ALM-007
F="$T/files"
mkdir "$F"
python3 - "$SAMPLES" "$F" <<'EOF'
import sys
samples, out = sys.argv[1], sys.argv[2]
j = open(samples + '/register-inbound.json', encoding='utf-8').read()
c = open(samples + '/register-inbound.csv', encoding='utf-8').read()
def put(name, data):
    open(out + '/' + name, 'wb').write(data if isinstance(data, bytes) else data.encode('utf-8'))
put('empty.json', b'')
put('blank.csv', ' \r\n\n\t\n   \n')
put('truncated.json', j.encode('utf-8')[:300])
put('trailing-comma.json', j.replace('"Алматы"\n    }\n  ]', '"Алматы"\n    },\n  ]', 1))
put('list.json', '[' + j + ']')
put('string.json', '"R-2026-000123"\n')
put('utf16le.json', b'\xff\xfe' + j.replace('\n', '\r\n').encode('utf-16-le'))   # Notepad's "Unicode"
put('utf16be.csv', b'\xfe\xff' + c.encode('utf-16-be'))
put('utf16le-nobom.csv', c.encode('utf-16-le'))
put('bom.json', b'\xef\xbb\xbf' + j.encode('utf-8'))
put('bom.csv', b'\xef\xbb\xbf' + c.replace('\n', '\r\n').encode('utf-8'))
put('cp1251.csv', c.encode('cp1251'))
put('cp1251.json', j.encode('cp1251'))
put('semicolon.csv', c.replace(',', ';'))
lines = c.splitlines()
head = lines[0].split(',')
i = head.index('waybill')
put('no-waybill.csv', '\n'.join(','.join(x for k, x in enumerate(l.split(',')) if k != i) for l in lines) + '\n')
bad = lines[2].split(','); bad[6] = 'KZ-APP\x07-2026'
put('control.csv', '\n'.join(lines[:2] + [','.join(bad)] + lines[3:]) + '\n')
bad = lines[2].split(','); bad[6] = 'A' * 300
put('long.csv', '\n'.join(lines[:2] + [','.join(bad)] + lines[3:]) + '\n')
put('control.json', j.replace('KZ-APP-2026-001002', 'KZ-APP\\u0007-2026-001002'))
# the second line again at the end, after a blank line: lines 3 and 6
put('twice.csv', '\n'.join(lines + ['', lines[2]]) + '\n')
put('twice.json', j.replace('RR402118771KZ', 'RR402118745KZ'))
put('workbook.csv', b'PK\x03\x04\x14\x00\x06\x00' + b'\x00' * 40)
EOF
mkdir "$F/folder.json"

state() { sqlite3 "$DB" .dump | sha256sum; }
before=$(state)
# refused FILE CODE TEXT...: exit CODE, every TEXT in the message, and the
# database as it was
refused() {
	f=$1 code=$2
	shift 2
	expect_exit "$code" am register import "$F/$f"
	for want in "$@"; do assert_contains "$ERR" "$want"; done
	assert_eq "$(state)" "$before" "(the database changed on refusing $f)"
}
refused empty.json 1 "the file is empty (0 bytes) - copy the register file again"
refused blank.csv 1 "the file holds only spaces and blank lines - copy the register file again"
refused truncated.json 1 "the file ends at line 12 before the register does" "copy the register file again"
refused trailing-comma.json 1 "not valid JSON at line 41, column 3: a comma before ']' - remove that comma"
refused list.json 1 "not one object" '{"register": …, "items": […]}' "ask the sender for a corrected file"
refused string.json 1 "not one object" "ask the sender for a corrected file"
refused utf16le.json 1 "the file is UTF-16" "save it again with Encoding UTF-8"
refused utf16be.csv 1 "the file is UTF-16" "save it again with Encoding UTF-8"
refused utf16le-nobom.csv 1 "the file is UTF-16"
refused cp1251.csv 1 "line 2: the file is not UTF-8 text (byte 0xC0, Windows-1251?) - save it as UTF-8"
refused cp1251.json 1 "line 12: the file is not UTF-8 text" "save it as UTF-8"
refused semicolon.csv 1 "line 1: the columns are separated by ';', not by commas - save the file again as CSV with commas"
refused no-waybill.csv 1 "line 1: the header has no column 'waybill' - ask the sender for a corrected file"
refused control.csv 1 "line 3: field 'application' contains a control character (U+0007" "ask the sender"
refused control.json 1 "item 3: field 'application' contains a control character (U+0007" "ask the sender"
refused long.csv 1 "line 3: field 'application' is 300 bytes long, more than its 127" "ask the sender"
refused twice.csv 1 "line 6: waybill RR503112013KZ is listed twice (lines 3 and 6)" "ask the sender"
refused twice.json 1 "item 5: waybill RR402118745KZ is listed twice (items 2 and 5)" "ask the sender"
refused workbook.csv 1 "an Excel workbook, not CSV" "CSV UTF-8"
refused folder.json 1 "is a folder, not a regular file - name a register file (.json or .csv) in it"
refused no-such-file.json 3 "cannot read" "no such file - check its name and folder"
refused no-such-dir/r.json 3 "cannot read" "no such file"
# every refusal says what to do: after " - ", its own part on the UI's error block
for f in "$F"/*; do
	case $f in */bom.*) continue ;; esac
	am register import "$f" 2>"$T/err" >/dev/null && fail "$f accepted"
	grep -q ' - ' "$T/err" || fail "$f: no advice in: $(cat "$T/err")"
	ok
done
if [ "$(id -u)" != 0 ]; then	# root reads a file of mode 000 anyway
	cp "$SAMPLES/register-inbound.json" "$F/locked.json"
	chmod 000 "$F/locked.json"
	refused locked.json 3 "cannot read" "permission denied - copy it to a folder of yours"
fi
# a UTF-8 BOM (Notepad's "UTF-8 with BOM", Excel's "CSV UTF-8") is simply accepted
expect_exit 0 am register import "$F/bom.json"
assert_contains "$OUT" "register R-2026-000123 (inbound) imported: 5 envelopes"
expect_exit 0 am register import "$F/bom.csv"
assert_contains "$OUT" "register R-2026-000124 (inbound) imported: 3 envelopes"
expect_exit 0 am verify
done_ok
