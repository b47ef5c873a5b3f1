#!/bin/sh
# Every state a person sees is in their language (20x16, Kazakh): a refused
# step names the step, the envelope's state and what is allowed now in
# Kazakh words, never the code's ids (handed_to_point, registered).  And the
# supervisor's close of the shift (F8 on the shift screen) asks in words
# that fit the handheld, Esc keeps the shift open and stays there, F8 again
# closes it.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
# ids_absent: no id of a state or event on the screen
ids_absent() {
	s=$(tui_screen)
	for id in registered handed_to_point accepted out_for_delivery placed returned_to_point \
		expired_removed handed_back brought_back; do
		case "$s" in *"$id"*) fail "the id '$id' on screen:
$s" ;; esac
	done
	case "$s" in *"["*) fail "ids in brackets on screen:
$s" ;; esac
	ok
}
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 3                                   # returns in
tui_expect "▶ Конвертті"
tui_scan RR402118771KZ                       # on a register: not a return
tui_expect "тізілімде"                        # its state, in Kazakh
tui_expect "мүмкін емес"
ids_absent
tui_keys Enter
tui_keys Escape
tui_keys Escape
tui_login SUPER-1 3333
tui_keys 1                                   # the shift screen
tui_expect "F3 Мерзімдер"
tui_keys F8
tui_expect "Жабу керек пе? F8"                 # the whole question fits
tui_expect "тағы бір рет: жабу."
tui_expect "Esc: ашық қалдыру."
tui_keys Escape                              # keeps it open, and stays here
tui_expect "ауысым ашық қалды"
tui_expect "F3 Мерзімдер"
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"]=="shift_closed"])')" 0
tui_keys F8
tui_expect "Жабу керек пе? F8"
tui_keys F8                                  # F8 again: closed
tui_expect "▶ Бейдж"
assert_eq "$(am --json events | json_get 'len([e for e in d if e["type"]=="shift_closed"]) > 0')" True
tui_quit
done_ok
