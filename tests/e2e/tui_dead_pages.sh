#!/bin/sh
# The dead letters screen reads one page of them (a terminal long offline
# may hold thousands): the first page, the count in the footer, the next
# page with PgDn, and F4 re-sends the one chosen on that page, not a row of
# the first.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
AMANAT_NOW="2026-03-26 10:00" am accept R-2026-000123 RR402118737KZ RR777000125KZ >/dev/null
AMANAT_NOW="2026-03-26 10:10" am accept R-2026-000123 --finish >/dev/null
# every event refused for good, each with its own reason
sqlite3 "$DB" "UPDATE event SET sync = 2, sync_reason = 'refused ' || seq"
n=$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE sync = 2")
[ "$n" -gt 12 ] || fail "only $n events to refuse"
last=$(sqlite3 "$DB" "SELECT max(seq) FROM event WHERE sync = 2")
tui_start 80 16 en
tui_login SUPER-1 3333
tui_keys 2
tui_expect "2 Dead letters"
tui_keys 2
tui_expect "refused 1"
tui_expect "/ $n"
case "$(tui_screen)" in *"refused $last"*) fail "the last dead letter is on the first page" ;; esac
ok
tui_keys NPage
tui_keys NPage
tui_keys NPage
tui_expect "refused $last"
case "$(tui_screen)" in *"refused 1 "*|*"refused 1
"*) fail "the first dead letter is still shown after paging down" ;; esac
ok
# the chosen row (marked '>') is re-sent, and only it
chosen=$(tui_screen | sed -n 's/^> #\([0-9]*\) .*/\1/p')
[ -n "$chosen" ] || fail "no chosen row:
$(tui_screen)"
tui_keys F4
tui_expect "1 event(s) back in the outbox"
assert_eq "$(sqlite3 "$DB" "SELECT seq FROM event WHERE seq <= $last AND sync = 0")" "$chosen"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE sync = 2")" $((n - 1))
tui_expect "/ $((n - 1))"
tui_keys Escape
tui_expect "2 Dead letters"
tui_keys Escape
tui_expect "F10 Quit"
tui_quit
done_ok
