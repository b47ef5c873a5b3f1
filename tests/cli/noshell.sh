#!/bin/sh
# No shell anywhere: the sources call no system()/popen() and never exec
# /bin/sh; a printer name from the config reaches lp and lpstat as one
# argument, so a planted name cannot run a command.
. "$(dirname "$0")/../support/testlib.sh"
cd "$AMANAT_TOP"
hits=$(grep -rnE '(^|[^A-Za-z0-9_])(system|popen)\(|"/bin/sh"|execl[p]?\([^)]*"sh"' src include || true)
[ -z "$hits" ] || fail "a shell is used: $hits"
ok
# stand-ins for lp and lpstat that record each argument on its own line
mkdir -p "$T/bin"
for p in lp lpstat; do
	printf '#!/bin/sh\nfor a; do printf "%%s\\n" "$a"; done > "%s/%s.args"\nexit 0\n' "$T" "$p" > "$T/bin/$p"
	chmod +x "$T/bin/$p"
done
evil="Zebra'; touch $T/pwned; echo '"
printf 'print.printer = "%s"\n' "$evil" > "$T/p.conf"
amp() { PATH="$T/bin:$PATH" "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/p.conf" "$@"; }
expect_exit 0 amp init
PATH="$T/bin:$PATH" "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/p.conf" doctor > "$T/doctor.out" 2>&1
[ ! -e "$T/pwned" ] || fail "doctor ran a planted printer name through a shell"
[ -f "$T/lpstat.args" ] || fail "doctor did not ask lpstat: $(cat "$T/doctor.out")"
assert_eq "$(sed -n 1p "$T/lpstat.args")" "-p"
assert_eq "$(sed -n 2p "$T/lpstat.args")" "$evil"
assert_eq "$(wc -l < "$T/lpstat.args" | tr -d ' ')" 2
expect_exit 0 amp register import "$SAMPLES/register-inbound.json"
expect_exit 0 amp print label RR402118737KZ
[ ! -e "$T/pwned" ] || fail "print ran a planted printer name through a shell"
grep -qxF -- "$evil" "$T/lp.args" || fail "lp did not get the printer name as one argument: $(cat "$T/lp.args")"
# the print job's temporary directory is gone (removed without rm -rf)
ls -d /tmp/amanat-print.* 2>/dev/null | while read -r d; do
	[ "$(stat -c %Y "$d")" -lt "$(($(date +%s) - 5))" ] || fail "the print job left $d behind"
done
# a printer that CUPS does not know: doctor says so (lpstat exits 1)
printf '#!/bin/sh\nexit 1\n' > "$T/bin/lpstat"
PATH="$T/bin:$PATH" "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/p.conf" doctor > "$T/doctor.out" 2>&1
grep -q "✗ printer" "$T/doctor.out" || fail "an unknown printer passed: $(cat "$T/doctor.out")"
ok
done_ok
