#!/bin/sh
# Printing: through a CUPS `lp` (a stand-in on PATH records its arguments and
# the job) and to a raw device (a file); every print and reprint is an event
# and a reprint needs a reason.
. "$(dirname "$0")/../support/testlib.sh"
mkdir -p "$T/bin"
cat > "$T/bin/lp" <<SH
#!/bin/sh
echo "\$*" >> "$T/lp.args"
for a; do f=\$a; done
cat "\$f" >> "$T/lp.jobs"
SH
chmod +x "$T/bin/lp"
printf 'print.printer = Zebra-1\nprint.format = zpl\n' > "$T/p.conf"
amp() { PATH="$T/bin:$PATH" "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/p.conf" "$@"; }
expect_exit 0 amp init
expect_exit 0 amp register import "$SAMPLES/register-inbound.json"
expect_exit 0 amp print label RR402118737KZ
grep -q -- "-d Zebra-1" "$T/lp.args" || fail "lp not called with the printer"
grep -q "\^FDRR402118737KZ\^FS" "$T/lp.jobs" || fail "the ZPL job lacks the waybill"
ok
expect_exit 1 amp print label RR402118737KZ                     # a reprint without a reason
assert_contains "$ERR" "reason"
expect_exit 0 amp print label RR402118737KZ --reason "label torn"
expect_exit 1 amp print label RR402118736KZ                     # a bad waybill: never printed
expect_exit 0 amp --json events --waybill RR402118737KZ
assert_eq "$(echo "$OUT" | json_get '[(e["payload"]["what"], e["payload"]["reprint"]) for e in d if e["type"]=="printed"]')" "[('label', False), ('label', True)]"
expect_exit 0 amp print sheet R-2026-000123
[ "$(wc -l < "$T/lp.args")" -ge 4 ] || fail "the sheet and its code were not both sent"
# a raw device
printf 'print.device = %s/dev.out\nprint.format = zpl\n' "$T" > "$T/p.conf"
: > "$T/dev.out"
expect_exit 0 amp print label RR402118745KZ
grep -q "^\^XA" "$T/dev.out" || fail "the raw device got no ZPL"
printf 'print.device = /nonexistent/lp0\n' > "$T/p.conf"
expect_exit 3 amp print label RR402118754KZ
assert_contains "$ERR" "printer"
done_ok
