#!/bin/sh
# The Debian package: built with dpkg-buildpackage (make deb), unpacked into a
# scratch root with dpkg -x, the installed binary run (--version, doctor, a
# CLI life cycle on a database there), lintian with no errors, and the
# systemd units verified.
. "$(dirname "$0")/../support/testlib.sh"
for t in dpkg-buildpackage lintian systemd-analyze; do
	command -v $t >/dev/null || { echo "$t is not installed (make deps)"; exit 77; }
done
( cd "$AMANAT_TOP" && make deb ) > "$T/build.log" 2>&1 || fail "make deb: $(tail -20 "$T/build.log")"
DEB=$(ls "$AMANAT_TOP"/build/deb/amanat_*_*.deb | grep -v dbgsym | head -1)
[ -f "$DEB" ] || fail "no .deb in build/deb"
ok
dpkg -x "$DEB" "$T/root" || fail "dpkg -x"
for f in usr/bin/amanat etc/amanat/amanat.conf usr/share/amanat/calendar/kz-2026.txt \
	usr/share/locale/kk/LC_MESSAGES/amanat.mo usr/share/man/man1/amanat.1.gz \
	lib/systemd/system/amanat-sync.service lib/systemd/system/amanat-sync.timer \
	lib/udev/rules.d/60-amanat.rules usr/share/amanat/forms/accept.form \
	usr/share/doc/amanat/README.Debian etc/amanat/conf.d; do
	[ -e "$T/root/$f" ] || fail "the package lacks /$f"
done
ok
dpkg-deb -f "$DEB" Depends | grep -q libzint || fail "the package does not depend on libzint"
# libcurl is loaded when a sync first runs (src/sync/curl_lazy.c), not linked:
# the package names it itself
dpkg-deb -f "$DEB" Depends | grep -q libcurl4 || fail "the package does not depend on libcurl4"
# so is libcrypto, when an event is first hashed (src/app/lib_lazy.c)
dpkg-deb -f "$DEB" Depends | grep -q libssl3 || fail "the package does not depend on libssl3 (libcrypto)"
dpkg-deb --ctrl-tarfile "$DEB" | tar -t | grep -q conffiles || fail "no conffiles"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./conffiles | grep -qx /etc/amanat/amanat.conf || fail "amanat.conf is not a conffile"
ok
BIN="$T/root/usr/bin/amanat"
# dpkg-buildflags honoured: FORTIFY_SOURCE (CPPFLAGS) left its checked calls
# in the binary, and the hardening link flags (now, relro) are there
nm -D --undefined-only "$BIN" | grep -qE '__(snprintf|memcpy|sprintf|fprintf|printf|read)_chk' \
	|| fail "the packaged binary has no _FORTIFY_SOURCE checks: CPPFLAGS were dropped"
readelf -d "$BIN" | grep -qE 'BIND_NOW|FLAGS.*NOW' || fail "the packaged binary is not linked with -z now"
ok
# the preinst knows the schema this binary writes (it refuses a downgrade below it)
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./preinst | grep -qE '^SCHEMA=[0-9]+$' || fail "the preinst lacks its schema"
ok
expect_exit 0 "$BIN" --version
assert_contains "$OUT" "amanat 0.1.0"
# the installed binary finds its calendar, forms and samples beside itself
mkdir -p "$T/var" && chmod 2770 "$T/var"      # as /var/lib/amanat: the group makes -wal/-shm there
printf 'db = %s/var/inst.db\npoint_id = KP-1\n' "$T" > "$T/inst.conf"
ai() { "$BIN" --config "$T/inst.conf" "$@"; }
expect_exit 0 ai init --device-id PKG-1
expect_exit 0 ai doctor
assert_contains "$OUT" "covers today"
expect_exit 0 ai register import "$T/root/usr/share/amanat/samples/register-inbound.json"
expect_exit 0 ai accept R-2026-000123 RR402118737KZ
expect_exit 0 ai handover C-1 RR402118737KZ
expect_exit 0 ai place RR402118737KZ PM-ALM-0042 A07
expect_exit 0 ai --json status RR402118737KZ
assert_eq "$(echo "$OUT" | json_get 'd["state"]')" placed
expect_exit 0 ai verify
expect_exit 0 ai backup "$T/copy.db"
expect_exit 0 ai restore "$T/copy.db"
expect_exit 1 ai restore "$T/inst.conf"
assert_contains "$ERR" "not"
# lintian: no errors
lintian --fail-on error "$DEB" > "$T/lintian.txt" 2>&1 \
	|| fail "lintian: $(cat "$T/lintian.txt")"
ok
# the units: systemd-analyze verify (with ExecStart pointing at the unpacked binary)
mkdir -p "$T/units"
sed "s|/usr/bin/amanat|$BIN|" "$T/root/lib/systemd/system/amanat-sync.service" > "$T/units/amanat-sync.service"
cp "$T/root/lib/systemd/system/amanat-sync.timer" "$T/units/"
systemd-analyze verify --man=no "$T/units/amanat-sync.service" "$T/units/amanat-sync.timer" > "$T/verify.txt" 2>&1 \
	|| fail "systemd-analyze verify: $(cat "$T/verify.txt")"
grep -q "ProtectSystem=strict" "$T/units/amanat-sync.service" && grep -q "ReadWritePaths=/var/lib/amanat" "$T/units/amanat-sync.service" \
	&& grep -q "NoNewPrivileges=yes" "$T/units/amanat-sync.service" || fail "the service is not hardened"
ok
# the second binary package: amanat-hub, on PostgreSQL's client library
HDEB=$(ls "$AMANAT_TOP"/build/deb/amanat-hub_*_*.deb | grep -v dbgsym | head -1)
[ -f "$HDEB" ] || fail "no amanat-hub .deb in build/deb"
dpkg-deb -f "$HDEB" Depends | grep -q libpq5 || fail "amanat-hub does not depend on libpq5"
dpkg -x "$HDEB" "$T/hroot" || fail "dpkg -x amanat-hub"
expect_exit 0 "$T/hroot/usr/bin/amanat-hub" --version
assert_contains "$OUT" "amanat-hub 0.1.0"
lintian --fail-on error "$HDEB" > "$T/lintian-hub.txt" 2>&1 || fail "lintian: $(cat "$T/lintian-hub.txt")"
sed "s|/usr/bin/amanat-hub|$T/hroot/usr/bin/amanat-hub|" "$T/hroot/lib/systemd/system/amanat-hub.service" > "$T/units/amanat-hub.service"
systemd-analyze verify --man=no "$T/units/amanat-hub.service" > "$T/verify-hub.txt" 2>&1 \
	|| fail "systemd-analyze verify amanat-hub: $(cat "$T/verify-hub.txt")"
ok
done_ok
