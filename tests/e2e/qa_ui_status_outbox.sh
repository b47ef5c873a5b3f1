#!/bin/sh
# The handheld's status line (20x16, Kazakh) with a four-digit outbox: the
# postomat's code stays whole ("PM-ALM-0042", never "PM-ALM-00…") and the
# outbox's age gives way; with room, the age is back; a title shortens to
# its short form and keeps the age.  On main the ⇡ count cut the code.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
export AMANAT_NOW="2026-03-26 09:48"		# the oldest event 12 minutes old at 10:00
tui_seed
python3 "$AMANAT_TOP/tests/support/genreg.py" R-2026-000900 1000 60000000 > "$T/r.json"
am register import "$T/r.json" >/dev/null
am accept R-2026-000123 RR402118737KZ >/dev/null
am handover COURIER-1 RR402118737KZ >/dev/null
export AMANAT_NOW="2026-03-26 10:00"
n=$(sqlite3 "$DB" "SELECT count(*) FROM event") 
[ "$n" -ge 1000 ] && [ "$n" -le 9999 ] || fail "expected a four-digit outbox, got $n events"
ok
row0() { tui_screen | sed -n 1p | sed 's/ *$//'; }
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 2
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "Абай д. 150"
case "$(row0)" in
PM-ALM-0042\ *⇡[0-9][0-9][0-9][0-9]) ok ;;
*) fail "the status line is not the whole code and the count: '$(row0)'" ;;
esac
assert_eq "$(row0 | grep -c '…')" 0
# the late delivery's title: its short form, the age kept
tui_keys Escape
tui_expect "▶ Постоматты"
tui_keys Escape
tui_expect "Менің бағытым"
tui_keys 3
tui_expect "▶ Конвертті"
case "$(row0)" in
Кешігу\ *⇡[0-9][0-9][0-9][0-9]\ 12м) ok ;;
*) fail "the title and the whole outbox expected: '$(row0)'" ;;
esac
# the removal at a postomat: the code whole too
tui_keys Escape
tui_expect "Менің бағытым"
tui_keys 4
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_wait "PM-ALM-0042 " || fail "no postomat on the status line: $(tui_screen)"
case "$(row0)" in
PM-ALM-0042\ *⇡[0-9][0-9][0-9][0-9]) ok ;;
*) fail "the status line is not the whole code and the count: '$(row0)'" ;;
esac
# wide enough for all of it: the age is back
tmux -L "$TMUX_SOCK" resize-window -t t -x 24 -y 16
tui_wait "12м" || fail "the age did not come back at 24 columns: $(tui_screen)"
case "$(row0)" in
PM-ALM-0042\ *⇡[0-9][0-9][0-9][0-9]\ 12м) ok ;;
*) fail "at 24 columns: '$(row0)'" ;;
esac
tui_keys Escape
tui_expect "Менің бағытым"
tui_quit
done_ok
