#!/bin/sh
# The TUI uploads by itself from its poll loop while the clerk works: the
# status line's ⇡ count goes to 0 after scans, with the hub on loopback
# failing now and then; the supervisor's F6 starts a round at once.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
. "$(dirname "$0")/../support/hub.sh"
tui_seed
hub_start --seed 5
hub_faults 503 cut
hub_tui_conf "interval_s = 1" "backoff_base_ms = 50" "backoff_max_ms = 200"
export AMANAT_NOW=""	# the real clock: the hub's Retry-After must pass
tui_start 80 24 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "Тізілім:"
tui_scan R-2026-000123
tui_scan RR402118737KZ
tui_expect "Сәйкес 1 / 5"
i=0
until tui_screen | head -1 | grep -q "⇡0"; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the outbox never drained: $(tui_screen | head -1)"; sleep 0.05
done
ok
assert_eq "$(am --json events --unsent | json_get 'len(d)')" 0
assert_eq "$(hub_dump | json_get 'len([e for e in d["events"] if e["type"]=="accepted"])')" 1
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
