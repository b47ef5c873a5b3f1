#!/bin/sh
# A screen with nothing on it yet says what it is for (in Kazakh at 20x16,
# wrapped whole): the courier's late delivery (§27), the supervisor's
# collected/cancelled by hand (§24), the clerk's returns in (§30) and loss
# act showed a bare "scan the envelope"; accepting and returns out with no
# open register to choose said "scan, type or choose:" over an empty list.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16
tui_login COURIER-1 2222
tui_keys 3
tui_expect "алушыға хабарланады"
tui_expect "(§27)"
tui_keys Escape
tui_expect "3 "
tui_keys Escape
tui_login SUPER-1 3333
tui_keys 2
tui_expect "6 "
tui_keys 4
tui_expect "қолмен енгізу:"
tui_expect "(§24); содан"
# an envelope in another state: refused, said in its words
tui_scan RR402118737KZ
tui_expect "✗ RR402118737KZ"
tui_keys Enter
tui_keys Escape
tui_expect "6 "
tui_keys Escape
tui_expect "1 "
tui_quit

tui_start 20 16
tui_login CLERK-1 1111
tui_keys 3
tui_expect "(§32–33)"
tui_keys Escape
tui_expect "3 "
tui_keys 4
tui_expect "Ашық қайтару"
tui_expect "жасаңыз (F4)"
tui_keys Escape
tui_expect "3 "
tui_keys 5
tui_expect "акт екі данада"
tui_expect "жасалады"
tui_keys Escape
tui_expect "3 "
tui_keys 6
tui_expect "бүкіл"			# lookup: what it shows
tui_expect "тарихы көрсетіледі"
tui_keys Escape
tui_expect "3 "
tui_keys 1
tui_expect "R-2026-000123"		# an open register: the list to choose from
tui_keys Escape
tui_expect "3 "
am accept R-2026-000123 --finish >/dev/null	# another clerk's CLI closes it
tui_keys 1
tui_expect "Қабылдайтын ашық"
tui_expect "не нөмірін"
tui_keys F7
tui_expect "алдымен тізілімді"
tui_keys Escape
tui_expect "3 "
tui_quit
# the sorting clerk's "Form a register" titled whole at 20x16 (it was
# "Тізілім…" beside "⇡29 55м")
AMANAT_NOW="2026-03-26 10:55" tui_start 20 16	# the oldest unsent 55 minutes old: "⇡15 55м"
am staff add SORT-1 --name "Мадина Т." --role sorting --pin 4444 >/dev/null
tui_login SORT-1 4444
tui_keys 3
tui_expect "Сканерленді"
case "$(tui_screen | head -1)" in *"Сұрыптау "*"55м") ok ;; *) fail "title not in its short form: $(tui_screen | head -1)" ;; esac
tui_keys Escape
tui_expect "3 "
tui_quit
done_ok
