#!/bin/sh
# doctor: all ✓ on a correct set-up (a TLS hub on loopback, its CA and pin,
# a token file only its owner's group reads, the database 0660 in a setgid
# folder), and on each broken set-up one ✗ that names the broken thing and
# its fix: an unreadable token file, a wrong URL (404), a refused token, an
# untrusted certificate, a database file or -wal the group cannot write, a
# token everyone can read.  It checks through sync's own set-up (a token
# the hub refuses fails here as it fails in sync) and names the config
# files it read.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
hub_start
PIN="sha256//$(openssl x509 -in "$HUB_CA" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
chmod 0711 "$T"
mkdir -p "$T/etc/conf.d" "$T/var"
chmod 2770 "$T/var"
DB="$T/var/amanat.db"
printf 'test-token\n' > "$T/etc/token"
chmod 0640 "$T/etc/token"
printf 'db = %s\ncalendar = %s\n' "$DB" "$CAL" > "$T/etc/amanat.conf"
local_conf() {
	printf '[sync]\nurl = %s\ntoken_file = %s\ncainfo = %s\npin = %s\nattempts = 1\n' \
		"${1:-$HUB_URL}" "${2:-$T/etc/token}" "${3:-$HUB_CA}" "$PIN" > "$T/etc/conf.d/local.conf"
}
local_conf
ad() { "$AMANAT_BIN" --config "$T/etc/amanat.conf" "$@"; }
expect_exit 3 ad doctor                                  # no database yet: says so, makes none
assert_contains "$OUT" "amanat init"
[ ! -e "$DB" ] || fail "doctor made a database"
expect_exit 0 ad init --device-id DOC-1 --point KP-ALM-007
assert_eq "$(stat -c %a "$DB")" 660
expect_exit 0 ad doctor
echo "$OUT" | grep -q "✗" && fail "a correct set-up has a ✗: $OUT"
assert_contains "$OUT" "✓ config     read $T/etc/amanat.conf, $T/etc/conf.d/local.conf"
assert_contains "$OUT" "✓ hub"
assert_contains "$OUT" "accepts this device's token"
assert_contains "$OUT" "✓ files"
assert_contains "$OUT" "✓ token"
# sync works with the very same set-up
expect_exit 0 ad register import "$SAMPLES/register-inbound.json"
expect_exit 0 ad sync
expect_exit 0 ad --json doctor
assert_eq "$(echo "$OUT" | json_get 'd["ok"]')" True
# bad() LABEL: doctor exits 3 with exactly one ✗, which contains LABEL
bad() {
	expect_exit 3 ad doctor
	n=$(echo "$OUT" | grep -c "✗")
	[ "$n" = 1 ] || fail "expected one ✗, got $n: $OUT"
	assert_contains "$(echo "$OUT" | grep "✗")" "$1"
}
# a wrong URL: the hub's host answers 404 there
local_conf "$HUB_URL/amanat"
bad "answers HTTP 404: this address is not the hub's"
# a refused token
printf 'not-the-token\n' > "$T/etc/token2"; chmod 0640 "$T/etc/token2"
local_conf "" "$T/etc/token2"
bad "refuses this device's token (HTTP 401): the token in $T/etc/token2"
ad sync > "$T/sync.out" 2>&1 && fail "sync succeeded with a refused token"   # sync fails too
grep -q "token" "$T/sync.out" || fail "sync does not say the token: $(cat "$T/sync.out")"
# a token file that is not there / that this user cannot read
local_conf "" "$T/etc/nothere"
bad "cannot read the token file $T/etc/nothere"
local_conf
chmod 0600 "$T/etc/token"
chgrp -R 65534 "$T/var"
expect_exit 3 setpriv --reuid=65534 --regid=65534 --clear-groups "$AMANAT_BIN" --config "$T/etc/amanat.conf" doctor
assert_contains "$(echo "$OUT" | grep "✗ hub")" "cannot read the token file $T/etc/token: permission denied"
chgrp -R 0 "$T/var"
chmod 0640 "$T/etc/token"
# a token everyone can read
chmod 0644 "$T/etc/token"
bad "everyone can read the device token; fix: sudo chown root:amanat-sync $T/etc/token"
chmod 0640 "$T/etc/token"
# no CA for the hub's self-signed certificate
local_conf "" "" "/etc/ssl/certs/ca-certificates.crt"
bad "check sync.cainfo and sync.pin"
local_conf
# the database made 0644 by someone's umask, then a -wal left by another user
chmod 0644 "$DB"
bad "$DB is root:root, mode 0644: the root group cannot write it"
assert_contains "$OUT" "fix: sudo chgrp root $DB && sudo chmod 0660 $DB"
chmod 0660 "$DB"
: > "$DB-wal"; chown 65534:65534 "$DB-wal"; chmod 0644 "$DB-wal"
bad "$DB-wal is nobody:nogroup, mode 0644"
rm -f "$DB-wal"
# the folder must let the group make -wal and -shm
chmod 00755 "$T/var"
bad "the folder $T/var is root:root, mode 0755"
chmod 2770 "$T/var"
# one person's database in a folder only they can open: no group needed
mkdir -m 0700 "$T/own"
expect_exit 0 ad --db "$T/own/p.db" init --device-id OWN-1 --point KP-ALM-007
expect_exit 0 ad --db "$T/own/p.db" doctor
assert_contains "$(echo "$OUT" | grep "✓ files")" "one person's database"
chmod 0755 "$T/own"		# others can enter: then the group rules apply
expect_exit 3 ad --db "$T/own/p.db" doctor
assert_contains "$(echo "$OUT" | grep "✗ files")" "the folder $T/own is root:root, mode 0755"
# a missing calendar, a misspelt key: doctor still runs and names them
printf 'calendar = %s/nothere.txt\n' "$T" > "$T/etc/conf.d/zz.conf"
bad "$T/nothere.txt"
assert_contains "$(echo "$OUT" | grep "✗")" "✗ calendar"
printf '[sync]\nurll = https://x\n' > "$T/etc/conf.d/zz.conf"
bad "$T/etc/conf.d/zz.conf:2: unknown key 'sync.urll' (did you mean 'sync.url'?)"
rm "$T/etc/conf.d/zz.conf"
# someone not in the group
expect_exit 3 setpriv --reuid=65534 --regid=65534 --clear-groups "$AMANAT_BIN" --config "$T/etc/amanat.conf" doctor
assert_contains "$OUT" "you (nobody) are not in the group root, which writes the database: sudo adduser nobody root, then log in again"
expect_exit 0 ad doctor
# the envelopes' rows renumbered by another tool (what VACUUM may do to a
# table without an INTEGER PRIMARY KEY): their deadlines are found by the
# rowid (schema 24), so doctor says they are lost and what to do
expect_exit 0 ad accept R-2026-000123 RR402118737KZ RR402118745KZ
[ "$(sqlite3 "$DB" "SELECT count(*) FROM clock WHERE id > 0")" -gt 0 ] || fail "no envelope deadline to lose"
ok
cp "$DB" "$T/var/before.db"
sqlite3 "$DB" "UPDATE envelope SET rowid = rowid + 100000"
bad "deadlines no longer find their envelope"
assert_contains "$OUT" "amanat restore"
expect_exit 0 ad restore "$T/var/before.db"
expect_exit 0 ad doctor
done_ok
