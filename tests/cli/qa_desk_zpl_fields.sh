#!/bin/sh
# A register's text goes onto a ZPL label as text, never as printer
# commands: a city holding '^' or '~' (a register is outside input: any
# UTF-8 without control characters) ended the label's field and sent its own
# commands to the Zebra (a black box over the label, ~JR resets the
# printer).  The fields are written with ^FH, '^' '~' '_' as hex.
. "$(dirname "$0")/../support/testlib.sh"
am init --device-id D1 --point KP-ALM-007 >/dev/null
cat > "$T/r.csv" <<'CSV'
register,kind,from,to,formed_at,waybill,application,postomat,city,iin
R-2026-000900,inbound,SC-ALM-01,KP-ALM-007,2026-03-20T10:15:00+05:00,RR503112000KZ,KZ-APP-1,PM_ALM~42,"Алматы^FS^XZ^XA^FO0,0^GB800,800,800^FS~JR",
CSV
am register import "$T/r.csv" >/dev/null || fail "import"
am label RR503112000KZ -o "$T/l.zpl" >/dev/null || fail "label"
python3 - "$T/l.zpl" <<'PY' || fail "ZPL: $(cat "$T/l.zpl")"
import re, sys
z = open(sys.argv[1], encoding="utf-8").read()
assert z.count("^XA") == 1 and z.count("^XZ") == 1, "one label, one start and one end"
assert "~JR" not in z and "^GB" not in z, "a command from the register's text"
assert z.count("~") == 0, "a tilde command"
# the city and postomat are there, as hex-escaped text in an ^FH field
assert "^FH^FDPM_5FALM_7E42 Алматы_5EFS_5EXZ_5EXA_5EFO0,0_5EGB800,800,800_5EFS_7EJR^FS" in z, z
PY
ok
# the same label through a printer device (what print label sends)
: > "$T/dev.out"
printf 'print.device = %s/dev.out\nprint.format = zpl\n' "$T" > "$T/p.conf"
am --config "$T/p.conf" print label RR503112000KZ >/dev/null || fail "print label"
assert_eq "$(grep -c '\^XZ' "$T/dev.out")" 1 "(one label end sent)"
grep -q "~JR" "$T/dev.out" && fail "the printer got ~JR"
ok
done_ok
