#!/bin/sh
# On a handheld (20x16), the acceptance screen lists the open registers to
# choose from with the arrows.  With more than the screen holds, the list
# was cut at its end while the arrows went on: the chosen register was not
# on the screen and Enter accepted against one the clerk could not see.
# The chosen one is always shown, with ↑/↓ where more are.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
for i in 1 2 3 4 5 6 7; do
	python3 "$AMANAT_TOP/tests/support/genreg.py" "R-2026-00070$i" 2 $((80000000 + i * 10)) > "$T/r$i.json"
	am register import "$T/r$i.json" >/dev/null || fail "import $i"
done
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 1
tui_expect "↓"				# more below than the screen holds
# down through all eight (seven new and R-2026-000123): the chosen one is
# always on the screen
chosen=""
for i in 1 2 3 4 5 6 7; do
	tui_keys Down
	sleep 0.2
	chosen=$(tui_screen | sed -n 's/^> \(R-2026-[0-9]*\).*/\1/p')
	[ -n "$chosen" ] || fail "after $i Down the chosen register is not on the screen:
$(tui_screen)"
done
tui_expect "↑"				# more above now
tui_keys Enter
tui_expect "✓0/"
head=$(tui_screen | sed -n 3p)
assert_eq "$head" "$chosen" "(accepting against the register that was shown chosen)"
case "$(tui_screen)" in *"> R-2026"*) fail "still choosing:
$(tui_screen)" ;; esac
ok
tui_keys Escape
tui_expect "1 "
tui_quit
done_ok
