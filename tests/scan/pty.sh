#!/bin/sh
# A scanner on a real pseudo-terminal (socat), read by `amanat scanner test`:
# each suffix, codes split across writes, a stalled code, AIM ids, thousands
# of random bytes then a good code, a 10,000-byte code, unplug and replug at
# the same path with scans before and after.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/scanpty.sh"
printf '[scanner]\nchar_timeout_ms = 150\nreconnect_ms = 100\n' > "$T/scan.conf"
pty_up
"$AMANAT_BIN" --config "$T/scan.conf" scanner test "$T/scan" --timeout 20 > "$T/out" 2>&1 &
READER=$!
cleanup_hooks="kill $READER 2>/dev/null; $cleanup_hooks"
wait_line() {  # wait_line TEXT: the reader printed a line containing TEXT
	i=0
	while [ $i -lt 200 ]; do grep -qF -- "$1" "$T/out" && { ok; return 0; }; i=$((i + 1)); sleep 0.025; done
	fail "no '$1' from the reader:
$(cat "$T/out")"
}
wait_line "connected"
pty_write 'RR123456785KZ\r' '+200' 'RA473124829GB\n' '+200' 'RR402118737KZ\r\n' '+200'
wait_line "code RR402118737KZ"
grep -c '^code ' "$T/out" | grep -qx 3 || fail "CRLF gave more than one code: $(cat "$T/out")"
pty_write 'RR5031' '+60' '12000K' '+60' 'Z\r' '+200'           # split, pauses under the timeout
wait_line "code RR503112000KZ"
pty_write 'RR77700' '+400' 'RR777000125KZ\r' '+200'             # stalled beyond the timeout
wait_line "partial"
wait_line "code RR777000125KZ"
pty_write ']C1RR503112013KZ\r' '+100' ']d2RR503112027KZ\r' '+200'
wait_line "code RR503112013KZ Code 128"
wait_line "code RR503112027KZ DataMatrix"
python3 -c "
import random,sys; random.seed(11)
sys.stdout.write(''.join('\\\\x%02x' % random.randrange(256) for _ in range(4000)))" > "$T/junk"
pty_write "$(cat "$T/junk")" '+300' '\r+' '+300' 'RR402118745KZ\r' '+200'
wait_line "code RR402118745KZ"
python3 -c "print('A' * 10000 + '\\\\r', end='')" > "$T/long"
pty_write "$(cat "$T/long")" '+200' 'RR402118754KZ\r' '+200'
wait_line "longer than 64"
wait_line "code RR402118754KZ"
pty_write 'RR402118768KZ\r' '+50' 'RR402118768KZ\r' '+200'          # a double trigger
wait_line "duplicate RR402118768KZ"
# a burst of 60 scans in one write: none dropped, none doubled
python3 "$AMANAT_TOP/tests/support/genreg.py" R-B 60 20000000 | python3 -c "
import json,sys; print(''.join(i['waybill'] + '\\\\r' for i in json.load(sys.stdin)['items']), end='')" > "$T/burst"
before=$(grep -c '^code ' "$T/out")
pty_write "$(cat "$T/burst")" '+300'
wait_line "code RR200000598KZ"
[ "$(grep -c '^code ' "$T/out")" = $((before + 60)) ] || fail "the burst lost or doubled scans"
ok
# unplug, scans lost in the air, replug at the same path, scans again
pty_down
wait_line "disconnected"
pty_up
wait_line "connected scanner connected"
sleep 0.2
pty_write 'RR402118771KZ\r' '+200'
wait_line "code RR402118771KZ"
[ "$(grep -c 'scanner connected' "$T/out")" -ge 2 ] || fail "did not reconnect"
ok
# what the junk produced between its own CR/LF bytes is text, never a
# control byte (the waybill check in the core refuses it further on)
LC_ALL=C grep '^code ' "$T/out" | LC_ALL=C grep -q '[[:cntrl:]]' && fail "a control byte came through"
ok
[ "$(grep -c '^code RR402118768KZ' "$T/out")" = 1 ] || fail "the double trigger counted twice"
kill $READER 2>/dev/null
done_ok
