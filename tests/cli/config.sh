#!/bin/sh
# Configuration: amanat.conf then conf.d/*.conf in name order (a later file
# wins), nothing from the current directory, and a key it does not know or
# a value that does not parse refuses to start, naming file:line and the
# expected form; only https:// upstream addresses.  Every key the sources
# read is in the one table (src/app/config_keys.c) and in the shipped
# template.
. "$(dirname "$0")/../support/testlib.sh"
cd "$T"
ac() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/etc/amanat.conf" "$@"; }
mkdir -p etc/conf.d
printf '# the packaged file\nutc_offset = +05:00\n' > etc/amanat.conf
expect_exit 0 ac init
off() { ac --json deadline storage "2026-03-19 10:00" | json_get 'd["from"][-6:]'; }
assert_eq "$(off)" "+05:00"
# conf.d: read in name order, the later file wins; other names are not read
printf 'utc_offset = 6\n' > etc/conf.d/20-local.conf
printf 'utc_offset = 0\n' > etc/conf.d/10-site.conf
printf 'bogus = 1\n' > etc/conf.d/30-old.conf.dpkg-old
printf 'bogus = 1\n' > etc/conf.d/README
assert_eq "$(off)" "+06:00"
rm etc/conf.d/20-local.conf
assert_eq "$(off)" "+00:00"
# a misspelt key: refused with file:line and the key that was meant
printf '[sync]\nurll = https://hub.example.kz\n' > etc/conf.d/20-local.conf
expect_exit 3 ac status RR402118737KZ
assert_contains "$ERR" "$T/etc/conf.d/20-local.conf:2: unknown key 'sync.urll'"
assert_contains "$ERR" "did you mean 'sync.url'"
# a bad value: file:line and the expected form
printf '# local\n\nutc_offset = abc\n' > etc/conf.d/20-local.conf
expect_exit 3 ac status RR402118737KZ
assert_contains "$ERR" "20-local.conf:3: utc_offset = 'abc' is not valid: expected an offset like +05:00"
for bad in 'language = fr' 'pilot_end = 31.12.2026' 'utc_offset = 5h' 'scanner.baud = fast' 'scanner.enabled = maybe' 'sync.batch = 0' \
	'waybill_format = s11' 'scanner.suffix = 0xZZ' 'sync.pin = md5//x' 'idle_lock = 10m'; do
	printf '%s\n' "$bad" > etc/conf.d/20-local.conf
	expect_exit 3 ac status RR402118737KZ
	assert_contains "$ERR" "20-local.conf:1: ${bad%% *}"
	assert_contains "$ERR" "expected"
done
# only https upstream: http is refused with a reason
printf '[sync]\nurl = http://hub.example.kz\n' > etc/conf.d/20-local.conf
expect_exit 3 ac status RR402118737KZ
assert_contains "$ERR" "20-local.conf:2: sync.url = http://hub.example.kz: only https:// is accepted"
printf 'url = https://hub.example.kz\n' > etc/conf.d/20-local.conf
expect_exit 3 ac status RR402118737KZ                   # "url" outside [sync]
assert_contains "$ERR" "did you mean 'sync.url'"
rm etc/conf.d/20-local.conf
# a broken main file is refused the same way
printf 'utc_offset 300\n' > etc/amanat.conf
expect_exit 3 ac status RR402118737KZ
assert_contains "$ERR" "amanat.conf:1: expected 'key = value'"
printf 'utc_offset = 300\n' > etc/amanat.conf
# no lookup in the current directory: a planted ./amanat.conf is not read
mkdir -p "$T/cwd" && cd "$T/cwd"
printf 'zzz = 1\nutc_offset = 0\n' > amanat.conf
expect_exit 0 "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --json deadline storage "2026-03-19 10:00"
assert_eq "$(echo "$OUT" | json_get 'd["from"][-6:]')" "+05:00"
# $AMANAT_CONFIG names a file (and its conf.d) as --config does
expect_exit 3 env AMANAT_CONFIG="$T/cwd/amanat.conf" "$AMANAT_BIN" --db "$DB" --calendar "$CAL" status RR402118737KZ
assert_contains "$ERR" "unknown key 'zzz'"
cd "$AMANAT_TOP"
# one table: every key the sources read is in it, and in the shipped template
grep -rhoE 'config_get(_long|_bool)?\([^,]+, *"[^"]+"' src | sed 's/.*"\([^"]*\)"$/\1/' | sort -u > "$T/read"
[ -s "$T/read" ] || fail "no config keys found in src"
while read -r k; do
	grep -qF "(\"$k\"," src/app/config_keys.c || fail "src reads config key '$k' that src/app/config_keys.c does not list: add one line there"
	sec=${k%%.*}; name=${k#*.}
	if [ "$k" = sync.token ]; then ok; continue; fi   # allowed, but the template points at token_file
	if [ "$sec" = "$k" ]; then
		grep -qE "^#?$k *=" packaging/amanat.conf || fail "packaging/amanat.conf does not document '$k'"
	else
		awk -v s="[$sec]" -v n="$name" '$0 == s { on = 1; next } /^\[/ { on = 0 } on && $0 ~ "^#?" n " *=" { f = 1 } END { exit !f }' \
			packaging/amanat.conf || fail "packaging/amanat.conf does not document '$k' under [$sec]"
	fi
	ok
done < "$T/read"
# the shipped template itself is valid and holds no token
expect_exit 0 "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config packaging/amanat.conf --json deadline storage "2026-03-19 10:00"
grep -qE '^[[:space:]]*token[[:space:]]*=' packaging/amanat.conf && fail "the template holds a token"
ok
done_ok
