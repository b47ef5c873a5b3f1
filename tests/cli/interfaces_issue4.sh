#!/bin/sh
# Issue 4's `amanat scanner test [PORT]` (each decoded scan with its symbology
# and timing) under issue 2's rule that with --json every command prints one
# JSON document: the scans read until --count, --timeout or an interrupt, as
# one array; `scanner accept` the same, each code with its result.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/scanpty.sh"
printf '[scanner]\nchar_timeout_ms = 150\nreconnect_ms = 100\n' > "$T/scan.conf"
pty_up
# the reader runs in the background; the pty is written once it is connected
run_reader() {  # run_reader OUTFILE ARGS...
	out=$1; shift
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/scan.conf" --json scanner "$@" > "$out" 2>"$out.err" &
	READER=$!
	# connected: the reader holds the pty open (nothing is printed before the end)
	pts=$(readlink -f "$T/scan") i=0
	until ls -l /proc/$READER/fd 2>/dev/null | grep -q -- "-> $pts\$"; do
		i=$((i + 1)); [ $i -lt 400 ] || fail "the reader never opened $pts: $(cat "$out.err")"
		sleep 0.025
	done
	sleep 0.3	# past its set-up of the port (a flush there would drop bytes written before)
}
run_reader "$T/test.json" test "$T/scan" --count 2 --timeout 20
pty_write ']C1RR402118737KZ\r' '+100' 'RR503112013KZ\r' '+100'
wait $READER || fail "scanner test --json exited $?: $(cat "$T/test.json.err")"
ok
assert_eq "$(json_get '[(x["code"], x["symbology"], isinstance(x["ms"], int)) for x in d if x["event"] == "code"]' < "$T/test.json")" \
	"[('RR402118737KZ', 'Code 128', True), ('RR503112013KZ', None, True)]"

# interrupted (Ctrl-C): what was read is still one document
run_reader "$T/int.json" test "$T/scan"
pty_write 'RR402118745KZ\r' '+1000'	# read and decoded well before the interrupt, even on a loaded machine
kill -INT $READER
wait $READER
assert_eq "$(json_get '[x["code"] for x in d if x["event"] == "code"]' < "$T/int.json")" "['RR402118745KZ']"

# scanner accept: each code with its result, as `accept --json`
expect_exit 0 am init --device-id SC-4
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
run_reader "$T/acc.json" accept R-2026-000123 "$T/scan" --count 3 --timeout 20
pty_write 'RR402118737KZ\r' '+300' 'RR777000125KZ\r' '+300' 'RR402118737KZ\r' '+100'
wait $READER || fail "scanner accept --json exited $?: $(cat "$T/acc.json.err")"
ok
assert_eq "$(json_get '[(x["code"], x["result"]) for x in d if x["event"] == "code"]' < "$T/acc.json")" \
	"[('RR402118737KZ', 'matched'), ('RR777000125KZ', 'unexpected'), ('RR402118737KZ', 'duplicate')]"
expect_exit 0 am --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" accepted
done_ok
