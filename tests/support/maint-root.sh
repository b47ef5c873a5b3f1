#!/bin/sh
# maint-root.sh T - the body of tests/packaging/maint.sh, run inside a
# private mount namespace (unshare -m): nothing mounted here is seen outside.
# Builds the throwaway root as an overlay of / on a tmpfs, then drives dpkg
# and the users in it through chroot.
set -u
T=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
W="$T/root"
mkdir -p "$W"
mount -t tmpfs -o size=1g tmpfs "$W" || fail "tmpfs"
mkdir "$W/u" "$W/w" "$W/r"
R="$W/r"
mount -t overlay overlay -o "lowerdir=/,upperdir=$W/u,workdir=$W/w" "$R" || fail "overlay"
mount -t proc proc "$R/proc" && mount --bind /dev "$R/dev" && mount -t tmpfs tmpfs "$R/tmp" \
	&& mount -t tmpfs tmpfs "$R/run" || fail "mounts in the root"
inr() { chroot "$R" "$@"; }
[ ! -e "$R/usr/bin/amanat" ] && ! inr dpkg -s amanat >/dev/null 2>&1 || fail "amanat is already on this system: the test needs a root without it"
cp "$T/amanat_1.deb" "$T/amanat_2.deb" "$T/hub-cert.pem" "$R/tmp/"
DB=/var/lib/amanat/amanat.db
C="--config /etc/amanat/amanat.conf"
# expect CODE CMD...: run in the root, compare the exit code; output in $OUT
expect() {
	want=$1; shift
	inr "$@" > "$T/out" 2>&1 </dev/null; got=$?
	OUT=$(cat "$T/out")
	[ "$got" = "$want" ] || fail "exit $got, expected $want: $*
$OUT"
}
has() { case "$1" in *"$2"*) ;; *) fail "'$2' not in: $1" ;; esac; }
mode() { inr stat -c '%a %U:%G' "$1"; }

# ---- install ---------------------------------------------------------------
expect 0 dpkg -i /tmp/amanat_1.deb
inr getent group amanat >/dev/null || fail "no group amanat"
inr getent group amanat-sync >/dev/null || fail "no group amanat-sync"
inr id -nG amanat | grep -qw amanat-sync || fail "the service user is not in amanat-sync"
[ "$(mode /var/lib/amanat)" = "2770 amanat:amanat" ] || fail "/var/lib/amanat is $(mode /var/lib/amanat)"
inr test -d /etc/amanat/conf.d || fail "no /etc/amanat/conf.d"
grep -q '^SCHEMA=[0-9][0-9]*$' "$R/var/lib/dpkg/info/amanat.preinst" || fail "the preinst does not know its schema"
grep -q '^SupplementaryGroups=amanat-sync' "$R/lib/systemd/system/amanat-sync.service" || fail "the unit does not run with amanat-sync"
[ "$(sed -n 's/^SuccessExitStatus=//p' "$R/lib/systemd/system/amanat-sync.service")" = 3 ] || fail "SuccessExitStatus is not only 3"
grep -qE '^[[:space:]]*token[[:space:]]*=' "$R/etc/amanat/amanat.conf" && fail "the template holds a token"
# the terminal's local settings, the token (made too open: postinst repairs it on upgrade)
cat > "$R/etc/amanat/conf.d/local.conf" <<CONF
point_id = KP-ALM-007
[sync]
url = $(cat "$T/hub.url")
token_file = /etc/amanat/token
cainfo = /etc/amanat/hub-ca.pem
attempts = 1
CONF
cp "$R/tmp/hub-cert.pem" "$R/etc/amanat/hub-ca.pem"
echo test-token > "$R/etc/amanat/token"
inr chown root:amanat-sync /etc/amanat/token && inr chmod 0640 /etc/amanat/token
inr useradd -m -G amanat clerk && inr useradd -m -G amanat super || fail "useradd in the root"
SYNCGID=$(inr getent group amanat-sync | cut -d: -f3)
# as ROLE CMD: run amanat as a clerk or a supervisor (umask 022), as the sync
# unit runs it (user amanat, + amanat-sync, UMask=0007), or as root (022)
as() {
	role=$1; shift
	case $role in
	clerk|super) set -- setpriv --reuid="$role" --regid="$role" --init-groups sh -c "umask 022; exec \"\$@\"" sh "$@" ;;
	sync) set -- setpriv --reuid=amanat --regid=amanat --groups="$SYNCGID" sh -c "umask 0007; exec \"\$@\"" sh "$@" ;;
	root) set -- sh -c "umask 022; exec \"\$@\"" sh "$@" ;;
	esac
	inr "$@"
}
check_modes() {
	for f in $DB $DB-wal $DB-shm; do
		inr test -e "$f" || continue
		m=$(mode "$f")
		case "$m" in "660 "*":amanat") ;; *) fail "$f is $m after $1" ;; esac
	done
}
# ---- whoever opens first, the others still work ----------------------------
n=0
for first in clerk super sync root; do
	inr rm -f $DB $DB-wal $DB-shm
	as "$first" amanat $C init --device-id "DESK-$first" > "$T/out" 2>&1 || fail "init as $first: $(cat "$T/out")"
	check_modes "init by $first"
	# the first holds it open (as the UI does), so -wal and -shm are its own
	as "$first" python3 -c "import sqlite3, time
c = sqlite3.connect('$DB'); c.execute('SELECT count(*) FROM meta').fetchall()
open('/tmp/held-$first', 'w').close()
import os
for i in range(600):
    if os.path.exists('/tmp/release-$first'): break
    time.sleep(0.1)" &
	holder=$!
	i=0; while [ $i -lt 100 ] && [ ! -e "$R/tmp/held-$first" ]; do i=$((i + 1)); sleep 0.1; done
	inr test -e $DB-shm || fail "the holder as $first made no -shm"
	check_modes "a connection of $first"
	for role in clerk super sync root; do
		n=$((n + 1))
		as "$role" amanat $C staff add "B-$n" --name "Person $n" --role clerk --pin 1234 > "$T/out" 2>&1 \
			|| fail "$role cannot write after $first opened first: $(cat "$T/out")"
		check_modes "a write by $role after $first"
	done
	as sync amanat $C sync > "$T/out" 2>&1 || fail "the sync unit's run failed after $first opened first: $(cat "$T/out")"
	: > "$R/tmp/release-$first"; wait "$holder"
	check_modes "all of them after $first"
done
expect 0 amanat $C doctor
echo "$OUT" | grep -q "✗" && fail "doctor has a ✗ on the installed set-up: $OUT"
# a person added to the group after logging in, and one never added
inr useradd -m late || fail "useradd late"
LATEGID=$(inr id -g late)
inr adduser --quiet late amanat || fail "adduser late amanat"
expect 3 setpriv --reuid=late --regid=late --groups="$LATEGID" amanat $C doctor
has "$OUT" "you (late) were added to the group amanat, but this session started before: log in again"
expect 3 setpriv --reuid=nobody --regid=nogroup --clear-groups amanat $C doctor
has "$OUT" "you (nobody) are not in the group amanat, which writes the database: sudo adduser nobody amanat, then log in again"
# ---- the unit: success only when merely offline ----------------------------
UNIT_CMD=$(sed -n 's/^ExecStart=//p' "$R/lib/systemd/system/amanat-sync.service")
unit_run() { as sync $UNIT_CMD > "$T/out" 2>&1; echo $?; }
as clerk amanat $C register import /usr/share/amanat/samples/register-inbound.json > /dev/null 2>&1 || fail "import as clerk"
[ "$(unit_run)" = 0 ] || fail "the unit's run on a good set-up: $(cat "$T/out")"
as clerk amanat $C accept R-2026-000123 RR402118737KZ > /dev/null 2>&1
echo wrong-token > "$R/etc/amanat/token"
rc=$(unit_run); [ "$rc" != 0 ] && [ "$rc" != 3 ] || fail "a refused token exits $rc (the unit would pass): $(cat "$T/out")"
echo test-token > "$R/etc/amanat/token"
inr chmod 0600 /etc/amanat/token
rc=$(unit_run); [ "$rc" != 0 ] && [ "$rc" != 3 ] || fail "an unreadable token exits $rc: $(cat "$T/out")"
inr chmod 0640 /etc/amanat/token
printf 'synk = 1\n' > "$R/etc/amanat/conf.d/zz-typo.conf"
rc=$(unit_run); [ "$rc" != 0 ] && [ "$rc" != 3 ] || fail "a config error exits $rc: $(cat "$T/out")"
rm "$R/etc/amanat/conf.d/zz-typo.conf"
v=$(inr sqlite3 $DB 'PRAGMA user_version')
inr sqlite3 $DB "PRAGMA user_version = $((v + 1))"
rc=$(unit_run); [ "$rc" != 0 ] && [ "$rc" != 3 ] || fail "a newer database exits $rc: $(cat "$T/out")"
inr sqlite3 $DB "PRAGMA user_version = $v"
sed -i 's|^url = .*|url = https://127.0.0.1:1|' "$R/etc/amanat/conf.d/local.conf"
rc=$(unit_run); [ "$rc" = 3 ] || fail "merely offline exits $rc, not 3: $(cat "$T/out")"
sed -i "s|^url = .*|url = $(cat "$T/hub.url")|" "$R/etc/amanat/conf.d/local.conf"
# ---- upgrade with a changed template: no prompt, repairs ---------------------
inr chmod 0644 $DB
inr chown root:root $DB
inr chmod 0644 /etc/amanat/token
expect 0 dpkg -i /tmp/amanat_2.deb
grep -q "a line added in 0.1.1" "$R/etc/amanat/amanat.conf" || fail "the new template was not installed"
grep -q "^point_id = KP-ALM-007" "$R/etc/amanat/conf.d/local.conf" || fail "local settings were lost"
[ "$(mode $DB)" = "660 amanat:amanat" ] || fail "postinst did not repair the database: $(mode $DB)"
[ "$(mode /etc/amanat/token)" = "640 root:amanat-sync" ] || fail "postinst did not repair the token: $(mode /etc/amanat/token)"
# ---- downgrade refused while the database is newer ---------------------------
v=$(inr sqlite3 $DB 'PRAGMA user_version')
inr sqlite3 $DB "PRAGMA user_version = $((v + 1))"
expect 1 dpkg -i /tmp/amanat_1.deb
has "$OUT" "newer amanat"
[ "$(inr dpkg-query -W -f '${Version} ${Status}' amanat)" = "0.1.1 install ok installed" ] || fail "the refused downgrade left: $(inr dpkg-query -W -f '${Version} ${Status}' amanat)"
inr sqlite3 $DB "PRAGMA user_version = $v"
expect 0 dpkg -i /tmp/amanat_1.deb                      # same schema: a downgrade is fine
# ---- remove warns of events never uploaded; purge keeps the record ---------
as clerk amanat $C accept R-2026-000123 RR402118745KZ > /dev/null 2>&1 || fail "accept before remove"
expect 0 dpkg -r amanat
has "$OUT" "were never uploaded"
inr test -f $DB || fail "remove deleted the database"
expect 0 dpkg -P amanat
inr test -f $DB || fail "purge deleted the database"
inr test -e /etc/amanat/amanat.conf && fail "purge kept the packaged amanat.conf"
inr test -f /etc/amanat/token || fail "purge deleted the token"
inr test -f /etc/amanat/conf.d/local.conf || fail "purge deleted local settings"
inr getent group amanat >/dev/null && inr getent group amanat-sync >/dev/null || fail "purge removed the groups"
echo "the maintainer scripts passed in $R"
