#!/bin/sh
# Irreversible steps confirm and PINs stay secret (20x16, Kazakh): the PIN
# shows as stars; five wrong PINs lock the badge for five minutes with a
# badge_locked event; a loss act shows what will be recorded, Esc cancels
# it with nothing written, F5 records it with a 200-letter reason whole;
# closing the shift asks first and Esc keeps it open.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
tui_start 20 16 kk
tui_expect "▶ Бейдж"
tui_scan CLERK-1
tui_expect "PIN"
for k in 1 1 1; do tui_keys "$k"; done
tui_expect "***"
case "$(tui_screen)" in *111*) fail "the PIN is shown: $(tui_screen)" ;; esac
ok
tui_keys 1
tui_keys Enter
tui_expect "1 "
# the loss act: shown, cancelled, then recorded
tui_keys 5
tui_expect "Конверт"
tui_scan RR402118737KZ
tui_expect "мән-жайы"
REASON=$(python3 -c "print(('Конверт жолда жоғалды, курьер іздеді бірақ таппады ' * 5)[:200])")
tmux -L "$TMUX_SOCK" send-keys -t t -l "$REASON"
tui_keys Enter
tui_expect "Тарап"                      # the side (§22 Kaspi / §23 State Corp), then who is liable
tui_scan 1
tui_expect "Жауапты қызметкер"
tui_keys F5                             # not known
tui_expect "F5"
tui_expect "RR402118737KZ"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" accepted
tui_keys Escape                         # cancel: nothing recorded
tui_expect "жазылмады"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" accepted
tui_scan RR402118737KZ
tmux -L "$TMUX_SOCK" send-keys -t t -l "$REASON"
tui_keys Enter
tui_expect "Тарап"
tui_scan 1
tui_expect "Жауапты қызметкер"
tui_scan "Айгүл С."
tui_expect "Растау үшін"
tui_scan RR402118745KZ                  # another envelope does not confirm
tui_expect "RR402118745KZ"
tui_keys Enter
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" accepted
tui_keys F5                             # the confirming key
tui_expect "актісі"
assert_eq "$(am --json status RR402118737KZ | json_get 'd["state"]')" lost
ACT=$(am --json acts | json_get '[a["act"] for a in d if a["kind"]=="loss"][0]')
assert_eq "$(am --json acts "$ACT" | json_get 'd["reason"]')" "$REASON"
assert_eq "$(am --json acts "$ACT" | json_get 'len(d["reason"])')" 200
assert_eq "$(sqlite3 "$DB" "SELECT json_extract(payload, '\$.side') || ' ' || json_extract(payload, '\$.liable') FROM event WHERE type = 'lost'")" "kaspi Айгүл С."
tui_keys Escape
tui_expect "1 "
# closing the shift: asked first, Esc keeps it open, F8 twice closes it
tui_keys F8
tui_expect "F8"
tui_expect "Esc"
# the question counts this person's envelope events of the shift, as the
# shift screen does (kept with each event, not counted from the log)
mine=$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE actor = 'CLERK-1' AND waybill <> ''
  AND type NOT IN ('registered', 'printed', 'note', 'deadline_missed', 'deadline_closed_late')")
[ "$mine" -gt 0 ] || fail "the clerk has no envelope events to count"
shown=$(tui_screen | tr '\n' ' ' | sed -n 's/.*конвертпен \([0-9][0-9]*\) оқиға.*/\1/p')
assert_eq "$shown" "$mine"
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"]=="shift_closed"])')" 0
tui_keys Escape
tui_expect "1 "
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"]=="shift_closed"])')" 0
tui_keys F8
tui_keys F8
tui_expect "▶ Бейдж"
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"]=="shift_closed"])')" 1
# five wrong PINs lock the badge for five minutes
for i in 1 2 3 4 5; do
	tui_scan CLERK-1
	tui_wait "PIN" || fail "no PIN prompt"
	tui_scan 9999
	tui_expect "PIN"
	tui_keys Enter
done
tui_scan CLERK-1
tui_wait "PIN" || fail "no PIN prompt"
tui_scan 1111                           # the right PIN: still locked
tui_expect "10:05"
tui_keys Enter
assert_eq "$(am --json events | json_get '[e["payload"]["badge"] for e in d if e["type"]=="badge_locked"]')" "['CLERK-1']"
case "$(tui_screen)" in *9999*|*1111*) fail "a PIN is on the screen" ;; esac
tui_quit
# five minutes later the badge opens again
AMANAT_NOW="2026-03-26 10:06" tui_start 20 16 kk
tui_login CLERK-1 1111
tui_quit
done_ok
