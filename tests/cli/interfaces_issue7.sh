#!/bin/sh
# Issue 7: "a man page amanat(1) (every command and config key)", and
# `amanat backup FILE` / `amanat restore FILE` for technicians, which under
# issue 2's --json print one JSON document like every other command.
. "$(dirname "$0")/../support/testlib.sh"
MAN="$AMANAT_TOP/packaging/amanat.1"
# every command `amanat --help` lists is a command of the man page
"$AMANAT_BIN" --help | awk '/^  [a-z]/ { print $1 }' > "$T/commands"
[ "$(wc -l < "$T/commands")" -ge 30 ] || fail "amanat --help lists only $(wc -l < "$T/commands") commands"
sed 's/\\-/-/g; s/\\f[BIR]//g' "$MAN" > "$T/man.txt"
while read -r cmd; do
	grep -Eq "^\.B (.*[|,] )?$cmd( |$)" "$T/man.txt" || fail "man page: no entry for the command '$cmd'"
	ok
done < "$T/commands"
# ... and of the README's "Command line" table
sed -n '/^## Command line/,/^## /p' "$AMANAT_TOP/README.md" > "$T/readme-cli.md"
while read -r cmd; do
	grep -Eq "^\|.*\`$cmd( |\`)" "$T/readme-cli.md" || fail "README, Command line: no row for the command '$cmd'"
	ok
done < "$T/commands"
# every config key of the one table (src/app/config_keys.c)
sed -n 's/^	[A-Z]*("\([a-z_.]*\)".*/\1/p' "$AMANAT_TOP/src/app/config_keys.c" > "$T/keys"
[ "$(wc -l < "$T/keys")" -ge 40 ] || fail "only $(wc -l < "$T/keys") keys read from config_keys.c"
while read -r key; do
	sect=${key%%.*} leaf=.${key#*.}
	[ "$sect" = "$key" ] && leaf=$key
	grep -E "^\.B " "$T/man.txt" | grep -Eq "(^\.B |, )($key|$leaf)(,|$)" \
		&& { [ "$sect" = "$key" ] || grep -q "^\.B .*$sect\." "$T/man.txt"; } \
		|| fail "man page: the config key '$key' is not described"
	ok
done < "$T/keys"

# backup and restore with --json: one document each
expect_exit 0 am init --device-id B7
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am --json backup "$T/copy.db"
assert_eq "$(echo "$OUT" | json_get 'd["backup"], d["db"]')" "('$T/copy.db', '$DB')"
[ "$(stat -c %a "$T/copy.db")" = 600 ] || fail "the backup is not 0600"
ok
expect_exit 0 am --json restore "$T/copy.db"
assert_eq "$(echo "$OUT" | json_get 'd["restored_from"], d["db"], d["previous"]')" "('$T/copy.db', '$DB', '$DB.before-restore')"
expect_exit 0 am --json register list
assert_eq "$(echo "$OUT" | json_get '[r["register"] for r in d]')" "['R-2026-000123']"
done_ok
