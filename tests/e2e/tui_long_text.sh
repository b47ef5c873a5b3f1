#!/bin/sh
# Long human text survives whole, on screen and in the store (Kazakh, 20x16
# and 80x24): a 300-letter loss reason is recorded letter for letter and the
# act's preview shows every word of it when scrolled, never a half letter;
# the longest staff name the store takes shows on the login list and the
# desk's status line cut only at a word, and is stored whole.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
LONG_NAME="Әбдіғаппарова-Жұмабаева Гүлжаһан Нұрсұлтанқызы"   # 46 letters, 90 bytes
am staff add CLERK-2 --name "$LONG_NAME" --role clerk --pin 4444 >/dev/null
am accept R-2026-000123 RR402118737KZ RR402118745KZ >/dev/null
# 300 letters, every word different, the last one a marker
REASON=$(python3 -c "
w = 'конверт жолда жоғалды курьер қоймадан іздеді бірақ таппады сөмкесі ашық қалған'.split()
out = []
i = 0
while len(' '.join(out)) < 290:
    out.append(w[i % len(w)] + str(i)); i += 1
s = ' '.join(out)
s = s[:291].rsplit(' ', 1)[0].ljust(291, 'ә')
print(s + ' СОҢЫӨӘҰҒ')")
assert_eq "$(printf '%s' "$REASON" | python3 -c 'import sys; print(len(sys.stdin.read()))')" 300
# scan_words FILE...: every word of REASON is in the screens captured
scan_words() {
	python3 - "$REASON" "$@" <<'EOF' || fail "words of the reason missing on screen"
import sys
reason, files = sys.argv[1], sys.argv[2:]
seen = set()
for f in files:
    for line in open(f, encoding='utf-8'):
        seen.update(line.replace('↓', ' ').split())
missing = [w for w in reason.split() if w not in seen and w.rstrip('.') not in seen]
if missing:
    print('missing:', missing[:10], file=sys.stderr)
    sys.exit(1)
EOF
	ok
}
n=0
for size in 20x16 80x24; do
	tui_start "${size%x*}" "${size#*x}" kk
	if [ $size = 80x24 ]; then                    # the login list: the name
		tui_expect "Әбдіғаппарова-Жұмабаева Гүлжаһан Нұрсұлтанқызы (қабылдаушы)"
	fi
	tui_login CLERK-1 1111
	[ $n = 0 ] && W=RR402118737KZ || W=RR402118745KZ
	tui_keys 5
	tui_expect "Конверт"
	tui_scan $W
	tui_expect "мән-жайы"
	tmux -L "$TMUX_SOCK" send-keys -t t -l "$REASON"
	tui_keys Enter
	tui_expect "Тарап"			# the side: 1 Kaspi (§22); the liable worker: F5, not known
	tui_scan 1
	tui_expect "Жауапты қызметкер"
	tui_keys F5
	tui_expect "Себебі:"                         # the preview, from its top
	# the preview, scrolled to its end: every word of the reason is shown
	i=0
	while [ $i -lt 30 ]; do
		tui_screen > "$T/shot.$i"
		tui_keys Down
		i=$((i + 1))
	done
	scan_words "$T"/shot.*
	grep -q "СОҢЫӨӘҰҒ" "$T"/shot.* || fail "the end of the reason never shows"
	ok
	rm -f "$T"/shot.*
	tui_keys F5
	tui_expect "жасалды"			# the act is recorded (the title also says 'актісі')
	ACT=$(am --json acts | json_get "[a['act'] for a in d if a['kind']=='loss' and a.get('waybill')=='$W'][0]")
	assert_eq "$(am --json acts "$ACT" | json_get 'd["reason"]')" "$REASON"
	assert_eq "$(am --json acts "$ACT" | json_get 'len(d["reason"])')" 300
	tui_keys Escape
	tui_quit
	n=$((n + 1))
done
# the long name at the desk: on the status line, cut at a word, never a letter
tui_start 80 24 kk
tui_login CLERK-2 4444
tui_expect "Әбдіғаппарова-Жұмабаева"
case "$(tui_screen | head -1)" in *"�"*) fail "a half letter on the status line" ;; esac
ok
tui_quit
assert_eq "$(am --json staff list | json_get "[s['name'] for s in d if s['badge']=='CLERK-2'][0]")" "$LONG_NAME"
done_ok
