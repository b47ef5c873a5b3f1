#!/bin/sh
# The maintainer scripts for real, never on the host: the package is
# installed, upgraded (to a 0.1.1 whose shipped amanat.conf changed),
# downgraded (refused while the database is newer), removed and purged with
# dpkg inside a throwaway root - a copy-on-write overlay of this system in a
# private mount namespace, gone when the test ends.  In it, real users made
# by the package (amanat) and by the test (a clerk and a supervisor in group
# amanat) and root each open the database first, while another still holds
# it open, and all the others can still write; the sync unit's command runs
# as the unit runs it and fails on a set-up error, succeeding only when
# merely offline.
. "$(dirname "$0")/../support/testlib.sh"
[ "$(id -u)" = 0 ] || { echo "needs root (a mount namespace and chroot)"; exit 77; }
for t in unshare chroot setpriv dpkg-deb openssl python3 sqlite3; do
	command -v $t >/dev/null || { echo "$t is not installed (make deps)"; exit 77; }
done
unshare -m true 2>/dev/null || { echo "no mount namespaces here"; exit 77; }
# the package: the one tests/packaging/deb.sh built, unless the sources are newer
DEB=$(ls -t "$AMANAT_TOP"/build/deb/amanat_*_*.deb 2>/dev/null | grep -v dbgsym | head -1)
if [ -z "$DEB" ] || [ -n "$(find "$AMANAT_TOP/src" "$AMANAT_TOP/include" "$AMANAT_TOP/packaging" \
	"$AMANAT_TOP/Makefile" -type f -newer "$DEB" | head -1)" ]; then
	( cd "$AMANAT_TOP" && make deb ) > "$T/build.log" 2>&1 || fail "make deb: $(tail -20 "$T/build.log")"
	DEB=$(ls -t "$AMANAT_TOP"/build/deb/amanat_*_*.deb | grep -v dbgsym | head -1)
fi
cp "$DEB" "$T/amanat_1.deb"
# 0.1.1: the same files, a changed amanat.conf template
dpkg-deb -R "$DEB" "$T/v2" || fail "dpkg-deb -R"
sed -i 's/^Version: .*/Version: 0.1.1/' "$T/v2/DEBIAN/control"
echo "# a line added in 0.1.1" >> "$T/v2/etc/amanat/amanat.conf"
( cd "$T/v2" && find . -type f ! -path './DEBIAN/*' -exec md5sum {} + | sed 's|  \./|  |' > DEBIAN/md5sums )
dpkg-deb --root-owner-group -b "$T/v2" "$T/amanat_2.deb" > /dev/null || fail "dpkg-deb -b"
ok
# a TLS hub on loopback (the throwaway root shares the network)
. "$(dirname "$0")/../support/hub.sh"
hub_start
echo "$HUB_URL" > "$T/hub.url"
unshare -m --propagation private sh "$AMANAT_TOP/tests/support/maint-root.sh" "$T" || exit 1
done_ok
