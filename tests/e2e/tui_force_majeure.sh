#!/bin/sh
# The supervisor's force majeure screen (§37-39): the start and the reason
# recorded (the open deadline it suspends moves; the start shown as now and
# moved with the arrows, refused at its step), the confirming document,
# F3 the §38 notice, F2 its end; at 80x24 and 20x16, in Kazakh.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 09:59" am accept R-2026-000123 RR402118737KZ >/dev/null   # Thu: 27, 30, 31 -> 1 Apr 00:00
export AMANAT_NOW="2026-03-26 12:00"
tui_start 80 24 kk
tui_login SUPER-1 3333
tui_keys 9
tui_expect "Форс-мажор"
tui_expect "форс-мажор тіркелмеген"
# the start shows now; PgUp twice: two months ahead, refused at the start's
# step, and still shown; typed over as screens write it
tui_expect "26.03.2026 12:00"
tui_keys PPage
tui_keys PPage
tui_expect "26.05.2026 12:00"
tui_keys Enter
tui_expect "бір айдан артық алда"
tui_keys Enter
tui_expect "26.05.2026 12:00"
tui_keys Down
tui_expect "25.05.2026 12:00"
tui_scan "26.03.2026 10:00"
tui_expect "Себеп"
# it moves every open deadline and cannot be taken back: asked first, Esc
# records nothing, a second Enter records it
fm0=$(sqlite3 "$DB" "SELECT count(*) FROM force_majeure")
tui_scan "су тасқыны"
tui_expect "Enter тағы"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM force_majeure")" "$fm0" "(recorded before it was asked)"
tui_keys Escape
tui_expect "ештеңе жазылмады"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM force_majeure")" "$fm0" "(recorded after Esc)"
tui_scan "су тасқыны"
tui_expect "Enter тағы"
tui_keys Enter
tui_expect "форс-мажор тіркелді"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM force_majeure")" "$((fm0 + 1))" "(force majeures recorded)"
tui_expect "жалғасуда"
tui_expect "растайтын құжат әлі жоқ (38-т.)"
tui_scan "ТЖ департаменті"
tui_scan "12-345"
tui_scan "2026-03-26"
tui_expect "ТЖ департаменті № 12-345, 26.03.2026"	# typed in ISO, shown as people write it
# the notice (due 3 working days from Thursday: 27, 30, 31 -> 01.04.2026 00:00)
tui_expect "01.04.2026 00:00"
tui_keys F3
tui_expect "F3 тағы"				# asked first (qa_ui_fm_confirm.sh)
tui_keys F3
tui_expect "хабарлама тіркелді (38-т.)"
tui_keys F2
tui_expect "F2 тағы"
tui_keys F2
tui_expect "аяқталды: мерзімдер қайта жүреді"
tui_expect "26.03.2026 10:00 – 26.03.2026 12:00"
# the store has it all: 2 working hours moved the wait at the point
# (F2 ends it at the UI's now: 12:00 and the seconds the test took)
assert_eq "$(am --json deadlines | json_get '[x["due"][:16] for x in d if x["clock"] == "wait-at-point"]')" "['2026-04-01T02:00']"
assert_eq "$(am --json force-majeure list | json_get '[(f["reason"], f["recorded_by"], f["notified"] is not None, f["document"]["number"]) for f in d]')" \
  "[('су тасқыны', 'SUPER-1', True, '12-345')]"
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 9
# on a handheld each line wraps instead of ending in "…": the end, the
# reason, the notice and the document all show
tui_expect "26.03.2026 10:00 –"
tui_expect "26.03.2026 12:00  су"
tui_expect "тасқыны"
tui_expect "00:00: хабарланды"
tui_expect "12-345, 26.03.2026"
case "$(tui_screen | sed -n '3,9p')" in *"…"*) fail "a force majeure line cut at 20x16: $(tui_screen)" ;; esac
ok
tui_keys Escape
tui_expect "1 "
done_ok
