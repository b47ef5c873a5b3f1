# tui.sh - drive the real binary in tmux (sourced after testlib.sh).
# tui_start COLS ROWS [LANG]: a fresh session on its own tmux server socket.
command -v tmux >/dev/null || { echo "tmux is not installed (make deps)"; exit 77; }
TMUX_SOCK="amanat-test-$$-0"
tui_n=0
cleanup_hooks="$cleanup_hooks tui_kill_all;"
tui_kill_all() {
	i=0
	while [ $i -le $tui_n ]; do tmux -L "amanat-test-$$-$i" kill-server 2>/dev/null; i=$((i + 1)); done
}
export AMANAT_NOW="${AMANAT_NOW:-2026-03-26 10:00}"
tui_start() {
	cols=$1 rows=$2 lang=${3:-kk}
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	tui_n=$((tui_n + 1))
	TMUX_SOCK="amanat-test-$$-$tui_n"	# a new server: no race with the old one's exit
	printf 'point_id = KP-ALM-007\nlanguage = %s\nidle_lock = 0\nreport_dir = %s/reports\n' "$lang" "$T" > "$T/ui.conf"
	[ -n "${TUI_CONF_EXTRA:-}" ] && printf '%s\n' "$TUI_CONF_EXTRA" >> "$T/ui.conf"
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
		"env LANG=C.UTF-8 TERM=screen AMANAT_NOW='$AMANAT_NOW' '$AMANAT_BIN' --db '$DB' --calendar '$CAL' --config '$T/ui.conf' ui 2>'$T/ui.stderr'"
	tmux -L "$TMUX_SOCK" set-option -t t remain-on-exit on >/dev/null
	tui_wait "▶" || fail "the UI did not start: $(cat "$T/ui.stderr")"
}
tui_screen() { tmux -L "$TMUX_SOCK" capture-pane -p -t t; }
# tui_wait TEXT: poll the screen until TEXT shows (10 s at most, about 200
# looks; no fixed sleeps): the ASan build on two cores shared with another
# full test run needed more than 5 s now and then
tui_wait() {
	i=0
	while [ $i -lt 200 ]; do
		case "$(tui_screen)" in *"$1"*) return 0 ;; esac
		i=$((i + 1)); sleep 0.05
	done
	return 1
}
tui_expect() { tui_wait "$1" || fail "'$1' not on screen:
$(tui_screen)"; ok; }
# tui_expect_shown TEXT: TEXT on a line other than the input field's (▶):
# a scanned code echoed while it is typed is not yet what the store said
tui_expect_shown() {
	i=0
	while [ $i -lt 200 ]; do
		tui_screen | grep -v "^▶" | grep -qF -- "$1" && { ok; return 0; }
		i=$((i + 1)); sleep 0.05
	done
	fail "'$1' not shown outside the input field:
$(tui_screen)"
}
# tui_keys KEY...: a person's keys; a person takes more than the 30 ms of a
# scanner's burst before the next key or scan (a menu digit followed within
# 30 ms by a scan would read as one scan)
tui_keys() { tmux -L "$TMUX_SOCK" send-keys -t t "$@"; sleep 0.06; }
# tui_type TEXT: a scan or typed text, then Enter
tui_scan() { tmux -L "$TMUX_SOCK" send-keys -t t -l "$1"; tmux -L "$TMUX_SOCK" send-keys -t t Enter; }
tui_login() {  # badge pin
	tui_expect "▶"
	tui_scan "$1"; tui_wait "PIN" || fail "no PIN prompt"; tui_scan "$2"
	tui_expect "1 "
}
tui_golden() {  # name: compare the screen with tests/e2e/golden/NAME.txt
	tui_screen > "$T/screen.txt"
	g="$AMANAT_TOP/tests/e2e/golden/$1.txt"
	if [ -n "${AMANAT_GOLDEN_UPDATE:-}" ]; then cp "$T/screen.txt" "$g"; fi
	diff -u "$g" "$T/screen.txt" || fail "screen differs from golden $1"
	ok
}
# the demo-like data every TUI test starts from
tui_seed() {
	am init --device-id TUI-1 --point KP-ALM-007 >/dev/null
	am staff add CLERK-1 --name "Айгүл С." --role clerk --pin 1111 >/dev/null
	am staff add COURIER-1 --name "Дәурен К." --role courier --pin 2222 >/dev/null
	am staff add SUPER-1 --name "Ерлан Б." --role supervisor --pin 3333 >/dev/null
	am register import "$SAMPLES/register-inbound.json" >/dev/null
	am postomat import "$SAMPLES/postomats.json" >/dev/null
}
# tui_quit: leave with F10 from a screen that binds it, then check that the
# binary under test (ASan/UBSan in make check) reported nothing on exit.
tui_quit() {
	tui_keys F10
	i=0
	while [ $i -lt 100 ] && [ "$(tmux -L "$TMUX_SOCK" display-message -p -t t '#{pane_dead}' 2>/dev/null)" != 1 ]; do
		i=$((i + 1)); sleep 0.05
	done
	[ "$(tmux -L "$TMUX_SOCK" display-message -p -t t '#{pane_dead}')" = 1 ] || fail "the UI did not quit"
	if grep -qE 'Sanitizer|runtime error' "$T/ui.stderr"; then
		fail "the UI reported: $(head -30 "$T/ui.stderr")"
	fi
	ok
}
