#!/bin/sh
# The shift report the supervisor prints (F9) is in the UI's language all
# through: its acts said "loss" / "discrepancy" and its outbox line "min" in
# English inside a Kazakh (or Russian) report.  The CSV keeps machine names.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
am accept R-2026-000123 --finish >/dev/null          # a discrepancy act
am lost RR402118745KZ --reason "сөмке ұрланды" >/dev/null   # a loss act
: > "$T/printer"
chmod 600 "$T/printer"
for lang in kk ru; do
	rm -rf "$T/reports"
	AMANAT_NOW="2026-03-26 10:30" TUI_CONF_EXTRA="print.device = $T/printer" tui_start 80 24 $lang
	tui_login SUPER-1 3333
	tui_keys 1
	tui_expect "│"		# the shift screen's two columns
	tui_keys F9
	if [ $lang = kk ]; then
		tui_expect "принтерге жіберілді"
	else			# printed before in Kazakh: a reprint asks why
		tui_expect "причину повторной печати"
		tui_scan "копия на русском"
		tui_expect "отправлен"
	fi
	txt=$(cat "$T"/reports/shift-*.txt)
	acts=$(printf '%s\n' "$txt" | grep "ACT-TUI-1-")
	case "$acts" in *loss*|*discrepancy*) fail "$lang: act kinds in English: $acts" ;; esac
	if [ $lang = kk ]; then
		assert_contains "$acts" "сәйкессіздік"
		assert_contains "$acts" "жоғалу"
		assert_contains "$txt" "ең ескісі 30 мин"
	else
		assert_contains "$acts" "расхождение"
		assert_contains "$acts" "утрата"
		assert_contains "$txt" "старейшее 30 мин"
	fi
	case "$txt" in *" min;"*) fail "$lang: 'min' in English: $txt" ;; esac
	# the CSV keeps the machine names
	grep -q "^act,ACT-TUI-1-[0-9]*,loss," "$T"/reports/shift-*.csv || fail "CSV act kind"
	grep -q "^outbox,oldest_minutes,30$" "$T"/reports/shift-*.csv || fail "CSV outbox age"
	tui_keys Escape
	tui_expect "1 "
	tui_quit
done
done_ok
