#!/bin/sh
# An error on a 20x16 handheld in Kazakh never hides what is asked: the
# block takes the rows above the two-line prompt ("▶ Конвертті /
# сканерлеңіз"), and a message longer than those rows moves the prompt and
# its input down under the block, over the keys.  On main the block was
# drawn over the prompt's first line.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
# prompt_whole: the prompt's two lines one under the other, and the error's
# last line (how to close it) above them
prompt_whole() {
	tui_screen > "$T/s.txt"
	python3 - "$T/s.txt" <<'PY' || fail "the prompt is not whole under the error:
$(cat "$T/s.txt")"
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
p = [i for i, r in enumerate(rows) if r.startswith("▶ Конвертті")]
c = [i for i, r in enumerate(rows) if r.startswith("Enter/сканер: жабу")]
sys.exit(0 if p and c and rows[p[0] + 1].startswith("сканерлеңіз") and c[0] < p[0] else 1)
PY
	ok
}
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "Конвертті"
# six lines of error: exactly the rows above the prompt
tui_scan ']C1RR402118745KZ'
tui_expect "пилоттың коды емес"
prompt_whole
tui_golden qa-ui-error-prompt-20x16
tui_keys Enter
tui_expect "Абай д. 150"
# nine lines: more than the rows above the prompt
tui_scan ']C1RR40211 8745KZ ab cd ef gh ij kl mn op qr st uv wx yz 12 34 56 78 90'
tui_expect "Enter/сканер: жабу"
prompt_whole
assert_contains "$(tui_screen)" "90»: алдымен"
tui_keys Enter
tui_expect "F2 Толы"				# the keys back when it is closed
case "$(tui_screen)" in *"пилоттың"*) fail "the error stayed after Enter" ;; esac
ok
# and the flow goes on: the envelope, then its cell
tui_scan RR402118737KZ
tui_expect "ұяшық A07"
assert_eq "$(am --json status RR402118745KZ | json_get 'd["state"]')" accepted
tui_keys Escape
tui_expect "▶ Конвертті"
tui_keys Escape
tui_expect "▶ Постоматты"
tui_keys Escape
tui_expect "Менің бағытым"
tui_quit
done_ok
