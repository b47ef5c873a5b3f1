#!/bin/sh
# A screen left open redraws from the store when another process writes the
# same database (the CLI here; a second desk or the sync timer the same):
# nobody presses a key, and within a couple of seconds the new fact shows.
# Before, the force majeure screen said "none recorded" until a key came.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
export AMANAT_NOW="2026-03-26 12:00"
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 9
tui_expect "тіркелмеген"
am force-majeure --from "2026-03-26 09:00" --reason "су тасқыны" >/dev/null
tui_expect "26.03.2026 09:00"		# no key pressed: redrawn from the store
tui_expect "жалғасуда"
# on the lookup screen: a placement made at the shell shows by itself
tui_keys Escape
tui_expect "1 "
sleep 0.3
tui_keys 7
tui_expect "сканерлеңіз"
am accept R-2026-000123 RR402118737KZ >/dev/null
tui_scan RR402118737KZ
tui_expect "сәйкес"
am handover COURIER-1 RR402118737KZ >/dev/null
tui_expect "(COURIER-1)"
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
