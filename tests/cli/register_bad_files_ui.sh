#!/bin/sh
# A bad register file loaded in the UI (7 Registers, F2 the inbox, Enter) on
# a 20x16 handheld in Kazakh: the error block says what is wrong and what to
# do, whole (nothing beyond the block: AMANAT_FIT_LOG), and nothing is loaded.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing (make deps)"; exit 77; }
tui_seed
export AMANAT_FIT_LOG="$T/fit.log"
: > "$AMANAT_FIT_LOG"
I="$T/inbox"
mkdir "$I"
python3 - "$SAMPLES" "$I" <<'EOF'
import sys
samples, out = sys.argv[1], sys.argv[2]
j = open(samples + '/register-inbound.json', encoding='utf-8').read().replace('000123', '000900')
c = open(samples + '/register-inbound.csv', encoding='utf-8').read()
def put(name, data):
    open(out + '/' + name, 'wb').write(data if isinstance(data, bytes) else data.encode('utf-8'))
lines = c.splitlines()
# in the inbox's order (by name): a, b, c, ...
put('a-empty.json', b'')
put('b-cut.json', j.encode('utf-8')[:300])
put('c-utf16.csv', b'\xff\xfe' + c.encode('utf-16-le'))
put('d-cp1251.csv', c.encode('cp1251'))
put('e-semicolon.csv', c.replace(',', ';'))
put('f-twice.csv', '\n'.join(lines + [lines[2]]) + '\n')
put('g-long.csv', '\n'.join(lines[:2] + [lines[2].replace('KZ-APP-2026-002001', 'Ж' * 70)] + lines[3:]) + '\n')
put('h-comma.json', j.replace('"Алматы"\n    }\n  ]', '"Алматы"\n    },\n  ]', 1))
EOF
export TUI_CONF_EXTRA="register.inbox = $I"
tui_start 20 16 kk
tui_login CLERK-1 1111
tui_keys 7
tui_keys F2
tui_expect "a-empty.json"
before=$(sqlite3 "$DB" .dump | sha256sum)
# each file: its words on the block (the Kazakh of the message), then closed
n=0
for want in "файл бос (0 байт)" "үзілген" "UTF-16" "UTF-8 мәтіні емес" "бөлінген" "екі рет" "байт, ең көбі" "артық үтір"; do
	[ $n -gt 0 ] && tui_keys Down
	tui_keys Enter
	tui_expect "қабылданбады"
	# the block's words are wrapped at 20 columns: look for them joined
	i=0
	until tui_screen | tr '\n' ' ' | tr -s ' ' | grep -qF "$want"; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "'$want' not on the error block:
$(tui_screen)"
		sleep 0.05
	done
	ok
	tui_screen | grep -qF "Enter/сканер: жабу" || fail "the block does not say how to close it:
$(tui_screen)"
	tui_keys Enter
	n=$((n + 1))
done
[ -s "$AMANAT_FIT_LOG" ] && fail "texts do not fit at 20x16: $(sort -u "$AMANAT_FIT_LOG")"
ok
assert_eq "$(sqlite3 "$DB" .dump | sha256sum)" "$before" "(a refused file changed the database)"
tui_keys Escape
tui_keys Escape
done_ok
