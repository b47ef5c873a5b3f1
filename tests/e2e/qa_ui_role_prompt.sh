#!/bin/sh
# Staff on a 20x16 handheld, F2 (add a person): the role's prompt shows all
# four choices in its two lines ("▶ 1 қабылд. 2 курьер" / "3 супер 4
# сұрыпт."), and 4 makes a sorting clerk.  On main the long prompt was cut
# after its second line: "3" stood alone and 3 and 4 were not to be seen.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
tui_start 20 16 kk
tui_login SUPER-1 3333
tui_keys 2
tui_expect "3 Қызметкерлер"
tui_keys 3
tui_expect "SUPER-1"
tui_keys F2
tui_expect "▶ Бейдж"
tui_scan SORT-2
tui_expect "▶ Аты"
tui_scan "Мадина Т."
tui_expect "▶ 1 қабылд. 2 курьер"
tui_expect "3 супер 4 сұрыпт."
tui_scan 4
tui_expect "▶ PIN"
tui_scan 4444
tui_expect "SORT-2: қосылды"
assert_eq "$(am --json staff list | json_get '[s["role"] for s in d if s["badge"] == "SORT-2"]')" "['sorting']"
tui_keys Escape
tui_keys Escape
tui_expect "1 Ауысым"
tui_quit
done_ok
