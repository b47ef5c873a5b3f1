#!/bin/sh
# A clerk prints the sheet of a large register from the Registers screen
# (F9): every one of its codes reaches the printer, the job ends without an
# error and is recorded as a `printed` event.  The screen kept the code
# files in a fixed table of 64: a register of 800 envelopes (71 codes) lost
# its last codes, the temporary folder with personal data stayed behind and
# the clerk saw an error after the paper had come out.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000900 800 60000000 > "$T/big.json"
am register import "$T/big.json" >/dev/null || fail "import"
# how many codes the sheet of this register has (the CLI writes the same sheet)
am sheet R-2026-000900 -o "$T/cli.txt" > "$T/cli.out" || fail "sheet"
parts=$(ls "$T"/cli.txt-*.png | wc -l)
[ "$parts" -gt 64 ] || fail "the register needs more than 64 codes for this test, has $parts"
: > "$T/printer"
chmod 600 "$T/printer"
TUI_CONF_EXTRA="print.device = $T/printer" tui_start 80 24 kk
tui_login CLERK-1 1111
tui_keys 7
tui_expect "> R-2026-000900"
tui_keys F9
i=0
while [ $i -lt 600 ]; do
	case "$(tui_screen)" in *"принтерге жіберілді"*|*"✗"*) break ;; esac
	i=$((i + 1)); sleep 0.1
done
tui_expect "R-2026-000900 принтерге жіберілді"
# every code went to the printer: one PNG per code, besides the sheet's text
assert_eq "$(python3 -c "import sys; print(open(sys.argv[1],'rb').read().count(b'\x89PNG'))" "$T/printer")" "$parts" "(codes printed)"
grep -q "R-2026-000900" "$T/printer" || fail "the sheet's text was not printed"
# the print is a fact in the store
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"]=="printed" and e["payload"].get("id")=="R-2026-000900"])')" 1
tui_keys Escape
tui_expect "1 Тапсыруды қабылдау"
tui_quit
done_ok
