#!/bin/sh
# A menu with more items than rows (the supervisor's nine at 20x16, under
# the note of the shift just opened) says so: "↓" beside the last item shown,
# "↑" beside the first once scrolled.  "9 Force majeure" was out of sight
# with no sign that it was there.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16
tui_login SUPER-1 3333
tui_expect "ауысым"
tui_screen | grep -q "9 Форс-мажор" && fail "nine items fit here now: the test no longer tests"
tui_screen | grep -q "^ 8 .*↓$" || fail "no ↓ beside the last item shown: $(tui_screen)"
ok
i=0; while [ $i -lt 8 ]; do tui_keys Down; i=$((i + 1)); done
tui_expect ">9 Форс-мажор"
tui_screen | grep -q "↑$" || fail "no ↑ once scrolled: $(tui_screen)"
ok
tui_screen | grep -q "↓" && fail "↓ with nothing below: $(tui_screen)"
ok
# a clerk's eight fit: no arrows
tui_keys Escape
tui_login CLERK-1 1111
tui_expect "8 "
case "$(tui_screen)" in *↓*|*↑*) fail "arrows on a menu that fits: $(tui_screen)" ;; esac
ok
tui_quit
done_ok
