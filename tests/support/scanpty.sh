# scanpty.sh - a scanner on a pseudo-terminal pair made by socat (sourced
# after testlib.sh).  pty_up: $T/scan-in is the scanner's side (tests write
# there), $T/scan is what amanat opens.  pty_down: unplug.  pty_write: bytes
# with pauses, through python3 (see the function).
command -v socat >/dev/null || { echo "socat is not installed (make deps)"; exit 77; }
SOCAT_PID=""
cleanup_hooks="$cleanup_hooks pty_down;"
pty_up() {
	rm -f "$T/scan-in" "$T/scan"
	socat pty,raw,echo=0,link="$T/scan-in" pty,raw,echo=0,link="$T/scan" 2>"$T/socat.log" &
	SOCAT_PID=$!
	i=0
	while [ $i -lt 100 ] && ! [ -e "$T/scan" -a -e "$T/scan-in" ]; do i=$((i + 1)); sleep 0.02; done
	[ -e "$T/scan" ] || fail "socat made no pty: $(cat "$T/socat.log")"
}
pty_down() {
	[ -n "$SOCAT_PID" ] && kill "$SOCAT_PID" 2>/dev/null && wait "$SOCAT_PID" 2>/dev/null
	SOCAT_PID=""
}
# pty_write ARG...: each ARG is text to write (Python escapes: \r \x03), or
# "+N" to pause N milliseconds.  One open of the pty for the whole sequence.
pty_write() {
	python3 - "$T/scan-in" "$@" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NOCTTY)
for a in sys.argv[2:]:
    if a.startswith("+") and a[1:].isdigit():
        time.sleep(int(a[1:]) / 1000)
    else:
        os.write(fd, a.encode("utf-8").decode("unicode_escape").encode("latin-1"))
time.sleep(0.05)
os.close(fd)
PY
}
