#!/bin/sh
# Accept hand-over, 20x16: F5 asks for the State Corp courier's badge; Esc
# there takes the finish back a step, to the scanning of the same register
# ("аяқталмады: сканерлеуді жалғастырыңыз"), the register still open.  On
# main that Esc left for the menu: the clerk had to choose the register
# again to go on scanning.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
finished() { am --json register list | json_get '[r["finished"] for r in d if r["register"] == "R-2026-000123"]'; }
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "▶ Тізілім"
tui_scan R-2026-000123
tui_expect "қалды 5"
tui_scan RR402118737KZ
tui_expect "қалды 4"
tui_keys F5
tui_expect "▶ МК курьер"
tui_keys Escape
tui_expect "аяқталмады"
tui_expect "▶ Конвертті"
tui_expect "R-2026-000123"
assert_eq "$(finished)" "[False]"
tui_scan RR402118745KZ				# scanning goes on
tui_expect "қалды 3"
tui_keys Escape
tui_expect "1 Қабылдау"
tui_quit
done_ok
