#!/bin/sh
# Exit codes of `amanat sync` that a systemd unit can act on: 3 only when the
# hub is not reachable now (the unit's SuccessExitStatus), a code of its own
# for each set-up error; the reason shown is this run's, never an older one;
# `sync --status` works offline, without sync.url.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
hub_start --retry-after 30
URL=$HUB_URL
conf() {	# conf URL [MORE LINES]
	printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\nattempts = 2\nbackoff_base_ms = 10\nbackoff_max_ms = 20\nmax_wait_s = 5\n%s\n' "$1" "$HUB_CA" "${2:-}" > "$T/c.conf"
}
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/c.conf" "$@"; }
conf "$URL"
expect_exit 0 am init --device-id EX-1 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"

# --status: from the database alone, with no sync.url at all
printf '# nothing about sync\n' > "$T/c.conf"
N=$(am --json events --unsent | json_get 'len(d)')
[ "$N" -ge 5 ] || fail "only $N events waiting"
expect_exit 0 am --json sync --status
assert_eq "$(echo "$OUT" | json_get 'd["depth"], d["dead"]')" "($N, 0)"
expect_exit 0 am sync --status
assert_contains "$OUT" "$N"
# no sync.url: a set-up error (5), not "offline"
expect_exit 5 am sync
assert_contains "$ERR" "sync.url"
# a wrong address (the hub answers 404): 5
conf "$URL/wrong/path"
expect_exit 5 am sync
assert_contains "$ERR" "404"
# a long address: the reason kept for --status is cut with "…" (at a whole
# letter: tests/core/test_text.c cuts Kazakh)
LONG=$(printf 'x%.0s' $(seq 1 300))
conf "$URL/$LONG"
expect_exit 5 am sync
expect_exit 0 am --json sync --status
echo "$OUT" | python3 -c 'import json,sys; e=json.load(sys.stdin)["last_error"]; assert "404" in e and e.endswith("…"), e' \
	|| fail "the long reason kept is not cut with …: $OUT"
# a CA file that is not there: 5
conf "$URL" "cainfo = $T/no-such-ca.pem"
expect_exit 5 am sync
assert_contains "$ERR" "cainfo"
# the token refused: 4; a token file that cannot be read: 4
conf "$URL" "token = wrong"
expect_exit 4 am sync
assert_contains "$ERR" "token"
printf '[sync]\nurl = %s\ntoken_file = %s\n' "$URL" "$T/no-such-token" > "$T/c.conf"
expect_exit 4 am sync
assert_contains "$ERR" "no-such-token"
# ... and the next failure says its own reason, not the token's
conf "https://127.0.0.1:9"	# nothing listens there: offline
expect_exit 3 am sync
case "$ERR" in *token*) fail "a stale reason shown: $ERR" ;; esac
assert_contains "$ERR" "onnect"
expect_exit 0 am --json sync --status
assert_contains "$(echo "$OUT" | json_get 'd["last_error"]')" "onnect"
# a calendar that is missing: 8
conf "$URL"
expect_exit 8 "$AMANAT_BIN" --db "$DB" --calendar "$T/no-calendar.txt" --config "$T/c.conf" sync
# ... other commands keep exit 3 for every environment failure
expect_exit 3 "$AMANAT_BIN" --db "$DB" --calendar "$T/no-calendar.txt" --config "$T/c.conf" events
# 503 with Retry-After: 3, and the wait is kept for the next process
hub_faults 503
expect_exit 3 am sync
assert_contains "$ERR" "503"
before=$(hub_stat requests)
expect_exit 3 am sync			# within Retry-After: nothing is sent
assert_contains "$ERR" "Retry-After"
assert_eq "$(hub_stat requests)" "$before" "(a request went out inside Retry-After)"
expect_exit 0 am --json sync --status
[ "$(echo "$OUT" | json_get 'd["retry_after_until"] is not None')" = True ] || fail "Retry-After not shown: $OUT"
python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); db.execute("UPDATE meta SET value = '0' WHERE key = 'sync.not_before'"); db.commit()
PY
expect_exit 0 am sync
# the hub refuses every event with the same answer: 9, nothing dead-lettered
expect_exit 0 am accept R-2026-000123 RR402118737KZ RR402118745KZ
expect_exit 0 am note RR402118737KZ --reason "corner torn"
hub_control '{"mode": "refuse-all"}'
expect_exit 9 am sync
assert_contains "$ERR" "the hub refuses every event"
expect_exit 0 am --json sync --status
assert_eq "$(echo "$OUT" | json_get 'd["depth"] >= 3, d["dead"]')" "(True, 0)"
hub_control '{"mode": "ok"}'
expect_exit 0 am sync
assert_eq "$(am --json sync --status | json_get 'd["depth"], d["dead"]')" "(0, 0)"
# a database from a newer amanat: 7
cp "$DB" "$T/newer.db"
python3 -c 'import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); d.execute("PRAGMA user_version = 999"); d.commit()' "$T/newer.db"
expect_exit 7 "$AMANAT_BIN" --db "$T/newer.db" --calendar "$CAL" --config "$T/c.conf" sync
assert_contains "$ERR" "newer"
# a database the sync user cannot write: 6 (needs root to become another user)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir "$T/ro" && chmod 755 "$T" "$T/ro"
	cp "$DB" "$T/ro/amanat.db" && chmod 644 "$T/ro/amanat.db" && chmod 644 "$T/c.conf"
	expect_exit 0 "$AMANAT_BIN" --db "$T/ro/amanat.db" --calendar "$CAL" note RR402118737KZ --reason "one more to send"
	chmod 755 "$T/ro"
	expect_exit 6 setpriv --reuid=65534 --regid=65534 --clear-groups "$AMANAT_BIN" --db "$T/ro/amanat.db" \
		--calendar "$CAL" --config "$T/c.conf" sync
	assert_contains "$ERR" "read-only"
else
	echo "not root: the read-only database case is skipped"
fi
done_ok
