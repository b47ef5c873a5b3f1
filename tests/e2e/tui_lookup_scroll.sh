#!/bin/sh
# Lookup (menu 6) of an envelope whose history is longer than the screen, in
# Kazakh at 20x16 and 40x8: "↓" says there is more, every event is reached
# with Down, and Down at the end leaves the last page (it scrolled on into
# an empty history, and a history one row too long showed no sign of it);
# the late delivery's line says its new date.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
W=RR402118737KZ
am accept R-2026-000123 $W >/dev/null
am handover COURIER-1 $W >/dev/null
am note $W --reason "бірінші ескерту" >/dev/null
am note $W --reason "екінші ескерту" >/dev/null
am delay $W --until 2026-03-30 --reason "көлік бұзылды" >/dev/null
n=$(am --json status $W | python3 -c "import json,sys; print(len(json.load(sys.stdin)['history']))")
[ "$n" -ge 6 ] || fail "expected at least 6 events, got $n"
ok
# the history rows: "dd.mm label", the arrow cut off
hist() { tui_screen | grep -E '^[0-9]{2}\.[0-9]{2} ' | sed 's/ *[↑↓]$//'; }
for size in 20x16 40x8; do
	tui_start "${size%x*}" "${size#*x}"
	tui_login CLERK-1 1111
	tui_keys 6
	tui_expect "сканерлеңіз"
	tui_scan $W
	tui_expect "курьерде"
	tui_expect "↓"
	: > "$T/seen"
	i=0
	while [ $i -lt $((n + 3)) ]; do
		hist >> "$T/seen"
		tui_keys Down
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(sort -u "$T/seen" | wc -l)" -ge 4 ] || fail "$size: the history's kinds not all reached: $(sort -u "$T/seen")"
	ok
	[ -n "$(hist)" ] || fail "$size: scrolled into an empty history: $(tui_screen)"
	ok
	tui_screen | grep -q "↓" && fail "$size: ↓ at the end: $(tui_screen)"
	ok
	tui_expect "↑"
	# the last event, the late delivery, with the new date it set
	# (a handheld: the date alone after an arrow; wider: the label too)
	case $size in
	20x*) want="→ 30.03.2026" ;;
	*) want="жаңа мерзім 30.03.2026" ;;
	esac
	tui_screen | grep -q "$want" || fail "$size: the last event ($want) not on the last page: $(tui_screen)"
	ok
	tui_keys Escape
	tui_expect "1 "
	tui_quit
done
done_ok
