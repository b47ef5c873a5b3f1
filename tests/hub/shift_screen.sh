#!/bin/sh
# The supervisor's shift screen shows the whole point from the hub when it
# answers, and this terminal's own figures when not, saying which (80x24 and
# 20x16, in tmux against amanat-hub on 127.0.0.1 with TLS).  The desk accepts
# three envelopes, the supervisor's terminal learns of them in its first
# sync; then the desk hands two to a courier, which the supervisor's
# terminal has not synced: "with a courier 2" can only come from the hub.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
. "$(dirname "$0")/../support/tui.sh"
amhub_setup
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) && SUP=$(amhub_device SUP-1 KP-ALM-007) || fail "device add"
amhub_start A
term_conf desk "$DESK" "point = KP-ALM-007"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term desk sync
expect_exit 0 term desk accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ
expect_exit 0 term desk sync
# the supervisor's terminal: its own database, never synced
DB="$T/sup.db"
term_conf sup "$SUP" "interval_s = 86400"
expect_exit 0 term sup init --device-id SUP-1 --point KP-ALM-007
expect_exit 0 term sup staff add SUPER-1 --name "Ерлан Б." --role supervisor --pin 3333
TUI_CONF_EXTRA=$(cat "$T/sup.conf")
# a row of the states column: row LABEL COUNT
row() { tui_screen | grep -E "^ *$1 +$2 " >/dev/null || fail "'$1 $2' is not shown: $(tui_screen)"; ok; }
tui_start 80 24 en
tui_login SUPER-1 3333
i=0; until [ "$(sqlite3 "$DB" "SELECT count(*) FROM envelope WHERE state = 'accepted'" 2>/dev/null)" = 3 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the supervisor's terminal did not sync"; sleep 0.05
done
expect_exit 0 term desk handover COURIER-1 RR402118737KZ RR402118745KZ
expect_exit 0 term desk sync
tui_keys 1
tui_expect "whole point (hub,"
tui_expect "devices: 2"
tui_expect "conflicts: 0"
row "accepted at the point" 1
row "with a courier" 2
# the hub goes away: leaving and entering again shows this terminal's own
# figures and says so, at once (a refused connection does not wait)
amhub_kill A
tui_keys Escape
tui_expect "Shift screen"
tui_keys 1
tui_expect "this terminal only: hub not"
row "accepted at the point" 3
row "with a courier" 0
tui_screen | grep -q "whole point" && fail "still says whole point with the hub down"
ok
# back again: the next entry shows the hub's figures
amhub_start A
sed -i "s|^url = .*|url = $AMHUB_URL|" "$T/sup.conf"
TUI_CONF_EXTRA=$(cat "$T/sup.conf")
tui_start 20 16 en
tui_login SUPER-1 3333
tui_keys 1
tui_expect "hub "
tui_keys Escape
tui_quit
# a hub that never answers (a listening socket nobody serves) costs the
# entry at most the wait, and the screen says this terminal only
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(60)' "$T/mute.port" &
MUTE=$!
cleanup_hooks="$cleanup_hooks kill $MUTE 2>/dev/null;"
i=0; while [ ! -s "$T/mute.port" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.05; done
sed -i "s|^url = .*|url = https://127.0.0.1:$(cat "$T/mute.port")|" "$T/sup.conf"
TUI_CONF_EXTRA=$(cat "$T/sup.conf")
tui_start 80 24 en
tui_login SUPER-1 3333
start=$(date +%s%N)
tui_keys 1
tui_expect "this terminal only: hub not"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -lt 4000 ] || fail "the screen waited ${elapsed} ms for a mute hub"
ok
tui_keys Escape
tui_quit
amhub_done
