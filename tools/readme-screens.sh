#!/bin/sh
# readme-screens.sh BINARY - the handheld screens the README shows, captured
# from the real binary in tmux at 20x16 in Kazakh on a fresh demo database,
# printed as Markdown code blocks (paste them over the README's).
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
t=$(mktemp -d /tmp/amanat-screens.XXXXXX)
sock="amanat-screens-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$t"' EXIT
sh "$top/assets/demo/seed.sh" "$bin" "$t/demo.db" >/dev/null
tmux -L "$sock" -f /dev/null new-session -d -s s -x 20 -y 16 \
	"env LANG=C.UTF-8 TERM=screen '$bin' --db '$t/demo.db' --config '$top/assets/demo/amanat.conf' ui"
key() { tmux -L "$sock" send-keys -t s "$@"; sleep 0.4; }
scan() { tmux -L "$sock" send-keys -t s -l "$1"; tmux -L "$sock" send-keys -t s Enter; sleep 0.5; }
shot() { printf '%s\n\n```\n' "$1"; tmux -L "$sock" capture-pane -p -t s; printf '```\n\n'; }
sleep 1
shot "Log in (the PIN shows as stars):"
scan CLERK-1; scan 1111
shot "The clerk's menu:"
key 1; key Enter
scan RR503112000KZ; key F2; scan RR503112013KZ
shot "Accept a hand-over: a matched scan, then F2 and a scan marks an envelope damaged, recorded at once:"
scan A05
shot "A cell label scanned where an envelope is expected says what it was:"
key Enter; key Escape; key Escape; sleep 0.3
scan COURIER-1; scan 2222
key 1
shot "The courier's route, each postomat's address wrapped under it:"
key Escape; key 2; scan PM-ALM-0042; scan RR402118754KZ
shot "The courier at a postomat, the envelope scanned:"
scan A09
shot "Then a wrong cell:"
