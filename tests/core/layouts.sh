#!/bin/sh
# The keyboard-layout table is generated from xkb-data, never typed by hand:
# run the generator again on this machine's xkb-data and compare.
. "$(dirname "$0")/../support/testlib.sh"
[ -f /usr/share/X11/xkb/symbols/kz ] || { echo "xkb-data is not installed (make deps)"; exit 77; }
[ -f /usr/include/X11/keysymdef.h ] || { echo "x11proto-dev is not installed (make deps)"; exit 77; }
python3 "$AMANAT_TOP/tools/gen-layouts.py" > "$T/layouts.inc" || fail "the generator failed"
diff -u "$AMANAT_TOP/src/core/layouts.inc" "$T/layouts.inc" || fail "src/core/layouts.inc differs from what tools/gen-layouts.py makes of xkb-data (make layouts)"
ok
# the Kazakh digit row is in it: " , . for 1 6 7
grep -q "{ \"\\\\\"\", '1', 0, 0, \"AE01\" }" "$T/layouts.inc" || fail "kz: \" is not mapped back to 1"
ok
done_ok
