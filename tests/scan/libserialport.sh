#!/bin/sh
# The libserialport path, exercised honestly: libserialport refuses a pty
# (no /sys/class/tty entry, no modem-control ioctls), so in a private mount
# namespace the test gives a socat pty a /dev/ttyAMANAT0 name and a fake USB
# device in /sys/class/tty (Honeywell 0c2e:0b61), and an LD_PRELOAD shim
# (tests/scan/shim.c) answers TIOCMGET & co.  Then `scanner list` shows the
# USB ids, and `scanner.port = auto` opens the port through libserialport
# and reads scans.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/scanpty.sh"
[ "$(id -u)" = 0 ] || { echo "needs root for a mount namespace"; exit 77; }
unshare -m true 2>/dev/null || { echo "unshare -m is not allowed here"; exit 77; }
cc -shared -fPIC -o "$T/shim.so" "$AMANAT_TOP/tests/scan/shim.c" -ldl || fail "cannot build the shim"
pty_up
PTS=$(readlink -f "$T/scan")
cat > "$T/ns.sh" <<NS
set -e
mount -t tmpfs none /sys/class/tty
d=/sys/class/tty/fake/usb1/1-1
mkdir -p \$d/1-1:1.0/tty/ttyAMANAT0
echo 0c2e > \$d/idVendor; echo 0b61 > \$d/idProduct; echo 1 > \$d/busnum; echo 4 > \$d/devnum
echo Honeywell > \$d/manufacturer; echo "Xenon 1900" > \$d/product; echo SN42 > \$d/serial
ln -s \$d/1-1:1.0 \$d/1-1:1.0/tty/ttyAMANAT0/device
ln -s \$d/1-1:1.0/tty/ttyAMANAT0 /sys/class/tty/ttyAMANAT0
touch "$T/node"
mount --bind "$PTS" "$T/node"
mount -t tmpfs none /dev
touch /dev/ttyAMANAT0 /dev/null
mount --bind "$T/node" /dev/ttyAMANAT0
export LD_PRELOAD="$T/shim.so" ASAN_OPTIONS="\${ASAN_OPTIONS:-}:verify_asan_link_order=0"
"$AMANAT_BIN" --config "$T/c.conf" scanner list > "$T/list.out" 2>&1
"$AMANAT_BIN" --config "$T/c.conf" scanner test --count 2 --timeout 10 > "$T/test.out" 2>&1
NS
printf '[scanner]\nport = auto\nusb_ids = 0c2e:0b61\nchar_timeout_ms = 200\n' > "$T/c.conf"
unshare -m sh "$T/ns.sh" &
NSPID=$!
i=0
while [ $i -lt 200 ] && ! grep -q "connected" "$T/test.out" 2>/dev/null; do i=$((i + 1)); sleep 0.025; done
grep -q "scanner connected: /dev/ttyAMANAT0 (libserialport)" "$T/test.out" || fail "not opened through libserialport: $(cat "$T/test.out" "$T/list.out" 2>&1)"
ok
pty_write ']C1RR123456785KZ\r' '+300' 'RA473124829GB\r\n' '+200'
wait $NSPID || fail "the namespace run failed: $(cat "$T/test.out")"
grep -q "^/dev/ttyAMANAT0 *usb 0c2e:0b61" "$T/list.out" || fail "scanner list: $(cat "$T/list.out")"
grep -q "^code RR123456785KZ Code 128" "$T/test.out" || fail "$(cat "$T/test.out")"
grep -q "^code RA473124829GB" "$T/test.out" || fail "$(cat "$T/test.out")"
ok
done_ok
