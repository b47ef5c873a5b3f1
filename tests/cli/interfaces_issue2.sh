#!/bin/sh
# Issue 2's command line as a user types it: `amanat [--db FILE] [--config
# FILE] [--calendar FILE] [--json] COMMAND …`, the global options also after
# the command (as --json already was), `amanat help [COMMAND]` and
# `amanat COMMAND --help` printing the usage (exit 0), usage errors exit 2.
. "$(dirname "$0")/../support/testlib.sh"
A="$AMANAT_BIN"
expect_exit 0 "$A" --db "$DB" --calendar "$CAL" init --device-id D2 --point KP-ALM-007
expect_exit 0 "$A" register import "$SAMPLES/register-inbound.json" --db "$DB" --calendar "$CAL"
expect_exit 0 "$A" status RR402118737KZ --json --db "$DB" --calendar="$CAL"
assert_eq "$(echo "$OUT" | json_get 'd["waybill"], d["state"], d["register"], d["postomat"], d["cell"]')" \
	"('RR402118737KZ', 'registered', 'R-2026-000123', 'PM-ALM-0042', '')"
expect_exit 0 "$A" accept R-2026-000123 RR402118737KZ --db="$DB" --json
assert_eq "$(echo "$OUT" | json_get '[(x["code"], x["result"]) for x in d]')" "[('RR402118737KZ', 'matched')]"
# --config after the command is read (a bad key there refuses, exit 3)
printf 'no_such_key = 1\n' > "$T/bad.conf"
expect_exit 3 "$A" status RR402118737KZ --db "$DB" --config "$T/bad.conf"
assert_contains "$ERR" "no_such_key"
# --calendar after the command is the calendar used
printf '2026-03-23 work made a working day for this test\n' > "$T/cal.txt"
expect_exit 0 "$A" --json deadline wait-at-point "2026-03-20 10:00" --calendar "$T/cal.txt"
assert_eq "$(echo "$OUT" | json_get 'd["due"]')" "2026-03-26T00:00:00+05:00"
expect_exit 0 "$A" --json deadline wait-at-point "2026-03-20 10:00" --calendar "$CAL"
assert_eq "$(echo "$OUT" | json_get 'd["due"]')" "2026-03-31T00:00:00+05:00"
# after "--" nothing is an option
expect_exit 1 "$A" --db "$DB" --calendar "$CAL" accept R-2026-000123 -- --db
assert_contains "$OUT" "--db invalid"
# help
expect_exit 0 "$A" help
assert_contains "$OUT" "usage: amanat [--db FILE] [--config FILE] [--calendar FILE] [--json] COMMAND"
expect_exit 0 "$A" help accept
assert_contains "$OUT" "accept REGISTER CODE... | REGISTER --finish [--damaged CODE...]"
expect_exit 2 "$A" help no-such-command
expect_exit 0 "$A" --db "$DB" accept --help
assert_contains "$OUT" "usage: amanat [--json] accept REGISTER"
expect_exit 0 "$A" deadline --help
assert_contains "$OUT" "CLOCK"
expect_exit 0 "$A" --help
assert_contains "$OUT" "exit codes: 0 done, 1 refused, 2 usage, 3 environment"
expect_exit 2 "$A" --db "$DB" --calendar "$CAL" accept
expect_exit 2 "$A" --no-such-option
done_ok
