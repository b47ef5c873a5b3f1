#!/bin/sh
# Issue 6 as an outside tester reads it: "Acts (discrepancy, loss — two copies
# per §24) as printable sheets", "every print and reprint is an event with a
# reason for a reprint", `amanat print …`, and `--json` prints one document
# for every command (issue 2), `code` included.
. "$(dirname "$0")/../support/testlib.sh"
printf 'print.device = %s/dev.out\nprint.format = zpl\n' "$T" > "$T/p.conf"
: > "$T/dev.out"
amp() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/p.conf" "$@"; }
expect_exit 0 amp init --device-id D6 --point KP-ALM-007
expect_exit 0 amp register import "$SAMPLES/register-inbound.json"
expect_exit 0 amp accept R-2026-000123 RR402118737KZ
expect_exit 0 amp --json accept R-2026-000123 --finish
ACT=$(echo "$OUT" | json_get 'd["act"]')
assert_contains "$ACT" "ACT-D6-"

# an act is printed like the sheet that `sheet ACT -o FILE` writes: both copies
expect_exit 0 amp --json print sheet "$ACT"
assert_eq "$(echo "$OUT" | json_get 'd["printed"], d["what"], d["reprint"]')" "('$ACT', 'act', False)"
[ "$(grep -c "$ACT" "$T/dev.out")" -ge 2 ] || fail "the act's copies did not reach the printer: $(head -c 400 "$T/dev.out")"
ok
grep -q 'PNG' "$T/dev.out" || fail "the act's code (PNG) did not reach the printer"
ok
# a reprint, through either spelling, needs its reason
expect_exit 1 amp print act "$ACT"
assert_contains "$ERR" "reprint needs --reason"
expect_exit 0 amp print act "$ACT" --reason "the first copy jammed"
expect_exit 1 amp print sheet NO-SUCH-REGISTER
expect_exit 1 amp print act ACT-D6-9999

# a register's sheet: the second print is a reprint and needs a reason too
expect_exit 0 amp print sheet R-2026-000123
expect_exit 1 amp print sheet R-2026-000123
assert_contains "$ERR" "reprint needs --reason"
expect_exit 0 amp --json print sheet R-2026-000123 --reason "coffee on it"
assert_eq "$(echo "$OUT" | json_get 'd["reprint"]')" True
expect_exit 0 amp --json events
assert_eq "$(echo "$OUT" | json_get '[(e["payload"]["what"], e["payload"]["reprint"], e["payload"]["reason"]) for e in d if e["type"]=="printed"]')" \
	"[('act', False, ''), ('act', True, 'the first copy jammed'), ('sheet', False, ''), ('sheet', True, 'coffee on it')]"

# `code --json`: one document with what the code carries and the drawn lines
expect_exit 0 amp --json code R-2026-000123 --id
assert_eq "$(echo "$OUT" | json_get 'd["id"], d["data"], d["part"], d["parts"], len(d["lines"]) > 10')" "('R-2026-000123', 'R-2026-000123', 1, 1, True)"
expect_exit 0 amp --json code R-2026-000123 --cols 200 --rows 100
assert_eq "$(echo "$OUT" | json_get 'd["data"].startswith("AMR1:R-2026-000123:1/1:")')" True
done_ok
