#!/bin/sh
# Dead letters (supervisor's desk, 2) with none: F5 "re-send all" says
# there are none instead of asking "F5 тағы бір рет: барлық өлі хат қайта
# жіберіледі" about nothing, then reporting "0 оқиға" put back (main).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 2
tui_expect "2 Өлі хаттар"
tui_keys 2
tui_expect "өлі хат жоқ"
tui_keys F5
sleep 0.3
tui_screen | grep -q "F5 тағы" && fail "asked about re-sending nothing: $(tui_screen)"
ok
tui_keys F5
sleep 0.3
tui_screen | grep -q "0 оқиға" && fail "re-sent nothing: $(tui_screen)"
ok
tui_keys Escape
tui_keys Escape
tui_expect "1 Ауысым"
tui_quit
done_ok
