#!/bin/sh
# A big register the hub sends while a clerk works (issue 14): the UI's sync
# imports it a slice at a time from the poll loop, so a scan and a key are
# answered while it goes in; the register shows only when whole, every line
# once, the sync's cursor moves past it only then, and verify passes.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/hub.sh"
tui_seed
N=40000
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000950 $N > "$T/big.json"
python3 -c "import json,sys; json.dump([json.load(open(sys.argv[1]))], open(sys.argv[2], 'w'), ensure_ascii=False)" \
	"$T/big.json" "$T/regs.json"
hub_start --registers "$T/regs.json"
hub_tui_conf "interval_s = 3600"
export AMANAT_NOW=""
tui_start 80 24 en
tui_login CLERK-1 1111
tui_keys 1
tui_expect "Register:"
reg_state() { sqlite3 "$DB" "SELECT imported_at FROM register WHERE id = 'R-2026-000950'"; }
lines() { sqlite3 "$DB" "SELECT count(*) FROM register_line WHERE register_id = 'R-2026-000950'"; }
# the sync started with the UI: wait for its first slices
i=0; while [ $i -lt 300 ] && [ "$(lines)" -eq 0 ]; do i=$((i + 1)); sleep 0.05; done
[ "$(lines)" -gt 0 ] || fail "the downloaded register never started to go in"
# a scan while it goes in: accepted and shown, the register still hidden
tui_scan R-2026-000123
tui_scan RR402118737KZ
tui_expect "Matched 1 / 5"
assert_eq "$(reg_state)" 0
[ "$(lines)" -lt $N ] || fail "the import was over before the scan was answered"
ok
assert_eq "$(sqlite3 "$DB" "SELECT state FROM envelope WHERE waybill = 'RR402118737KZ'")" accepted
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM meta WHERE key = 'sync.cursor'")" 0
# then it finishes by itself: every line once, shown, the cursor past it
i=0; while [ $i -lt 1200 ] && [ "$(reg_state)" = 0 ]; do i=$((i + 1)); sleep 0.1; done
[ "$(reg_state)" != 0 ] || fail "the downloaded register was never shown whole"
assert_eq "$(sqlite3 "$DB" "SELECT count(*), count(DISTINCT waybill) FROM envelope WHERE register_id = 'R-2026-000950'")" "$N|$N"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'registered' AND register_id = 'R-2026-000950'")" $N
i=0; while [ $i -lt 100 ] && [ "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'sync.cursor'")" != 1 ]; do
	i=$((i + 1)); sleep 0.05
done
assert_eq "$(sqlite3 "$DB" "SELECT value FROM meta WHERE key = 'sync.cursor'")" 1
tui_keys Escape
tui_keys Escape
tui_expect "Badge"
tui_quit
expect_exit 0 am --json verify
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
done_ok
