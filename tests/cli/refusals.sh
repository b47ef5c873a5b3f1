#!/bin/sh
# Every refusal of the CLI: the exit code (1 refused, 2 usage, 3 environment)
# and a message that says what to do; and nothing changed by a refused step.
. "$(dirname "$0")/../support/testlib.sh"
W1=RR402118737KZ W2=RR402118745KZ

expect_exit 2 "$AMANAT_BIN" --db "$DB" nonsense
# a database that does not exist is made only by init: a mistyped --db is refused
expect_exit 3 am status $W1
assert_contains "$ERR" "does not exist"
[ ! -e "$DB" ] || fail "a command other than init made the database"
expect_exit 0 am init
expect_exit 2 am accept
expect_exit 2 am place $W1 PM-1
expect_exit 2 am delay $W1 --until 2026-04-01
expect_exit 2 am deadline no-such-clock "2026-03-19 10:00"
assert_contains "$ERR" "storage"
expect_exit 2 am deadline storage "19.03.2026"
expect_exit 0 "$AMANAT_BIN" --version
assert_contains "$OUT" "amanat "

# environment: unreadable database, missing file, missing calendar
expect_exit 3 "$AMANAT_BIN" --db /nonexistent/dir/x.db --calendar "$CAL" status $W1
expect_exit 3 am register import "$T/missing.json"
assert_contains "$ERR" "cannot read"
expect_exit 3 "$AMANAT_BIN" --db "$DB" --calendar "$T/nocal.txt" init
echo "not a database, just text that is long enough to be read as a header....." > "$T/bad.db"
expect_exit 3 "$AMANAT_BIN" --db "$T/bad.db" --calendar "$CAL" init
printf 'utc_offset = 2000\n' > "$T/bad.conf"
expect_exit 3 "$AMANAT_BIN" --config "$T/bad.conf" --db "$DB" --calendar "$CAL" init
assert_contains "$ERR" "utc_offset"

# refused input: malformed registers are refused whole, nothing half-imported
expect_exit 0 am init --device-id D1 --point KP-1
printf '{"register":"R-X","kind":"inbound","from":"a","to":"b","formed_at":"2026-03-19 10:00","items":[{"waybill":"RR123456785KZ","application":"A","postomat":"P","city":"C"},{"waybill":"RR123456784KZ","application":"A","postomat":"P","city":"C"}]}' > "$T/bad.json"
expect_exit 1 am register import "$T/bad.json"
assert_contains "$ERR" "item 2"
assert_contains "$ERR" "nothing imported"
expect_exit 0 am --json register list
assert_eq "$OUT" "[]"
expect_exit 1 am status RR123456785KZ
assert_contains "$ERR" "unknown waybill"
expect_exit 1 am status RR123456784KZ
assert_contains "$ERR" "check digit"
printf 'register,kind\nR,inbound\n' > "$T/bad.csv"
expect_exit 1 am register import "$T/bad.csv"
assert_contains "$ERR" "line 1"

expect_exit 0 am register import "$SAMPLES/register-inbound.json"
# the same id with other content
sed 's/SC-ALM-01/SC-OTHER/' "$SAMPLES/register-inbound.json" > "$T/other.json"
expect_exit 1 am register import "$T/other.json"
assert_contains "$ERR" "already imported"
# a waybill already on another register
sed 's/R-2026-000123/R-2026-999/' "$SAMPLES/register-inbound.json" > "$T/dup.json"
expect_exit 1 am register import "$T/dup.json"
assert_contains "$ERR" "already on another register"
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get 'len(d)')" 1

# illegal transitions name the state and what is allowed
expect_exit 1 am place $W1 PM-ALM-0042 A01
assert_contains "$ERR" "registered"
assert_contains "$ERR" "allowed now"
expect_exit 1 am --json handover C-1 $W1
assert_contains "$OUT" "refused"
expect_exit 1 am expire $W1
expect_exit 1 am cancel $W1
expect_exit 1 am handback R-2026-000123 $W1
assert_contains "$ERR" "return register"
expect_exit 1 am accept NO-SUCH-REG $W1
assert_contains "$ERR" "import it first"
expect_exit 1 am accept R-2026-000123 --finish --damaged RR777000125KZ
assert_contains "$ERR" "not on register"
expect_exit 0 am accept R-2026-000123 $W1
expect_exit 1 am delay $W1 --until 2020-01-01 --reason late
assert_contains "$ERR" "past"
expect_exit 2 am place $W2 PM-ALM-0043 A01 --reason because
expect_exit 1 am force-majeure --from "2026-03-20 10:00" --to "2026-03-19 10:00" --reason flood
expect_exit 1 am register create-return RET-1
assert_contains "$ERR" "no envelope"
# refused steps left no event behind and the chain holds
expect_exit 0 am --json events --waybill $W2
assert_eq "$(echo "$OUT" | json_get '[e["type"] for e in d]')" "['registered']"
expect_exit 0 am verify
# JSON errors on stderr are JSON too
expect_exit 1 am --json status RR123456784KZ
assert_eq "$(echo "$ERR" | json_get 'd["exit"]')" 1
done_ok
