#!/bin/sh
# A screen with nothing on it yet says what it is for (in Kazakh at 20x16,
# wrapped whole): the courier's late delivery (§27) and the supervisor's
# collected/cancelled by hand (§24) showed a bare "scan the envelope".
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16
tui_login COURIER-1 2222
tui_keys 3
tui_expect "алушыға хабарланады"
tui_expect "(§27)"
tui_keys Escape
tui_expect "3 "
tui_keys Escape
tui_login SUPER-1 3333
tui_keys 2
tui_expect "6 "
tui_keys 4
tui_expect "қолмен енгізу:"
tui_expect "(§24); содан"
# an envelope in another state: refused, said in its words
tui_scan RR402118737KZ
tui_expect "✗ RR402118737KZ"
tui_keys Enter
tui_keys Escape
tui_expect "6 "
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
