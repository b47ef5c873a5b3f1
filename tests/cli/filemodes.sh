#!/bin/sh
# Files amanat writes for people hold IINs (register sheets and their codes),
# staff names (shift reports, acts): none is ever readable by others, whatever
# the umask, an existing file is tightened too, and a symbolic link planted
# where the file goes (a shared /tmp) is refused, not followed.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W5=RR402118771KZ
umask 000
private() {  # private FILE: exists, and others have no bit on it
	[ -f "$1" ] || fail "$1 was not written"
	m=$(stat -c %a "$1")
	case "$m" in *0) ok ;; *) fail "$1 has mode $m: others can read it" ;; esac
}
sed 's/2026-03-19T16:40:00+05:00/2026-04-08T16:00:00+05:00/' "$SAMPLES/register-inbound.json" > "$T/reg.json"
AMANAT_NOW="2026-04-08 17:00"; export AMANAT_NOW
expect_exit 0 am init --device-id MODES-1 --point KP-ALM-007
expect_exit 0 am register import "$T/reg.json"
expect_exit 0 am accept R-2026-000123 $W1

# a register sheet and its code images (the codes carry the IINs)
expect_exit 0 am sheet R-2026-000123 -o "$T/sheet.txt"
private "$T/sheet.txt"
for p in "$T"/sheet.txt-*.png; do private "$p"; done
zbarimg -q --raw "$T/sheet.txt-1.png" 2>/dev/null | grep -q . || fail "the sheet's first code does not decode"
ok

# an act (the liable worker's name), over a file others could read before
: > "$T/act.txt"; chmod 0666 "$T/act.txt"
expect_exit 0 am --json lost $W5 --reason "not in the bag" --side state-corp --liable "Б. Н."
ACT=$(echo "$OUT" | json_get 'd["act"]')
expect_exit 0 am sheet "$ACT" -o "$T/act.txt"
private "$T/act.txt"
assert_contains "$(cat "$T/act.txt")" "Б. Н."

# a label in each format
for f in png svg zpl; do
	expect_exit 0 am label $W1 -o "$T/label.$f"
	private "$T/label.$f"
done

# the shift report, text and CSV (everyone's name)
expect_exit 0 am report shift --dir "$T/reports"
for f in "$T"/reports/shift-*.txt "$T"/reports/shift-*.csv; do private "$f"; done
m=$(stat -c %a "$T/reports"); case "$m" in *0) ok ;; *) fail "the report folder has mode $m" ;; esac

# a link planted where the sheet goes is not followed
: > "$T/victim"; chmod 0600 "$T/victim"
ln -s "$T/victim" "$T/planted.txt"
expect_exit 3 am sheet R-2026-000123 -o "$T/planted.txt"
assert_eq "$(stat -c %s "$T/victim")" 0
done_ok
