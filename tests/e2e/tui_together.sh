#!/bin/sh
# Several people on one database at once, as at a real point: two clerks at
# two desks (two UI processes) and a technician at a shell (the CLI) work the
# same register.  Each screen's tally is rebuilt from the store, not kept in
# memory: a scan made at the other desk counts on this one, the same envelope
# scanned at both desks is counted once, and a register finished elsewhere
# refuses this desk's next scan with the reason.  A supervisor's shift screen,
# open the whole time, shows everyone's work by name.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am staff add CLERK-2 --name "Бақыт Ж." --role clerk --pin 5555 >/dev/null

on() { TMUX_SOCK=$1; }
another() { TMUX_SOCK="amanat-test-$$-none"; }	# tui_start stops the current one
tui_start 80 24 kk; A=$TMUX_SOCK           # desk 1
tui_login CLERK-1 1111
tui_keys 1; tui_expect "> R-2026-000123"; tui_keys Enter
tui_expect "Сәйкес 0 / 5"
another; tui_start 20 16 kk; B=$TMUX_SOCK           # desk 2, a handheld-sized window
tui_login CLERK-2 5555
tui_keys 1; tui_expect "R-2026-000123"; tui_keys Enter
tui_expect "✓0/5"

on "$A"; tui_scan RR402118737KZ; tui_expect "Сәйкес 1 / 5"
on "$B"; tui_scan RR402118745KZ; tui_expect "✓2/5"      # desk 1's scan counts here
AMANAT_ACTOR=TECH-1 am accept R-2026-000123 RR402118754KZ > "$T/cli.out" || fail "CLI accept: $(cat "$T/cli.out")"
on "$A"; tui_scan RR402118768KZ; tui_expect "Сәйкес 4 / 5"  # both others' scans count
on "$B"; tui_scan RR402118737KZ                             # already accepted at desk 1
tui_expect "бір рет саналды"
tui_keys Enter
assert_eq "$(am --json events --waybill RR402118737KZ | json_get 'len([e for e in d if e["type"]=="accepted"])')" 1

# the register is finished at the shell while both desks still show it
AMANAT_ACTOR=TECH-1 am --json accept R-2026-000123 --finish > "$T/fin.json" || fail "finish: $(cat "$T/fin.json")"
on "$A"; tui_scan RR402118771KZ
tui_expect "аяқталған"
tui_keys Enter
assert_eq "$(am --json status RR402118771KZ | json_get 'd["state"]')" registered
assert_eq "$(am --json register show R-2026-000123 | json_get 'd["tally"]["matched"], d["tally"]["missing"]')" "(4, 1)"
am verify >/dev/null || fail "the chain after three writers"
ok

# the supervisor sees everyone's work, named, from the store
on "$B"; tui_keys Escape; tui_keys Escape; tui_expect "▶"
another; tui_start 80 24 kk
tui_login SUPER-1 3333
tui_keys 1
tui_expect "Айгүл С."
tui_expect "Бақыт Ж."
tui_keys Escape; tui_expect "1 "; tui_quit
on "$A"; tui_keys Escape; tui_expect "1 "; tui_quit
on "$B"; tui_expect "▶"; tui_quit
done_ok
