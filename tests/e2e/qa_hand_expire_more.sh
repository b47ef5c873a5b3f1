#!/bin/sh
# A busy postomat: nine envelopes whose storage has ended, more than the
# 20x16 handheld's list holds.  The courier must see that there are more
# (the count and ↓) and reach every one with the arrows; on main the ones
# below the last row were silently left out, and the courier would have
# left them in their cells.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/tui.sh"
tui_seed
python3 - > "$T/reg.json" <<'PY'
import json
W = [8, 6, 4, 2, 3, 5, 9, 7]
def s10(serial):
    c = 11 - sum(int(d) * k for d, k in zip(serial, W)) % 11
    return "RR%s%dKZ" % (serial, 0 if c == 10 else 5 if c == 11 else c)
items = [{"waybill": s10("%08d" % (60000001 + i)), "application": "APP-6%d" % i,
          "postomat": "PM-ALM-0042", "city": "Алматы"} for i in range(9)]
json.dump({"register": "R-2026-000600", "kind": "inbound", "from": "SC-ALM-01", "to": "KP-ALM-007",
           "formed_at": "2026-03-25T16:40:00+05:00", "items": items}, open("/dev/stdout", "w"), ensure_ascii=False)
PY
am register import "$T/reg.json" >/dev/null || fail "import refused"
# the busy postomat's nine cells on file (a cell not on file is refused)
python3 - "$SAMPLES/postomats.json" > "$T/pm.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["postomats"]:
    if p["id"] == "PM-ALM-0042":
        p["cells"] += [{"id": "D0%d" % i, "size": "S", "status": "free"} for i in range(1, 10)]
json.dump(d, sys.stdout, ensure_ascii=False)
PY
am postomat import "$T/pm.json" >/dev/null || fail "postomat import refused"
codes=$(python3 -c 'import json,sys; print(" ".join(i["waybill"] for i in json.load(open(sys.argv[1]))["items"]))' "$T/reg.json")
AMANAT_NOW="2026-03-26 09:00" am accept R-2026-000600 $codes >/dev/null
AMANAT_NOW="2026-03-26 09:05" am handover COURIER-1 $codes >/dev/null
i=0
for c in $codes; do
	i=$((i + 1))
	AMANAT_NOW="2026-03-26 10:0$i" am place "$c" PM-ALM-0042 "D0$i" >/dev/null || fail "place $c"
done
export AMANAT_NOW="2026-03-30 09:00"      # all nine: storage ended at 00:00
tui_start 20 16 kk
tui_login COURIER-1 2222
tui_keys 4
tui_expect "Постоматты"
tui_scan PM-ALM-0042
tui_expect "D01 "
tui_expect "бітті: 9"                     # how many there are
tui_expect "↓"                            # and that more are below
# the arrows reach every one of them
seen=""
n=0
while [ $n -lt 12 ]; do
	seen="$seen
$(tui_screen)"
	tui_keys Down
	n=$((n + 1))
done
for c in $codes; do
	case "$seen" in *"$c"*) ok ;; *) fail "$c never shown on the list:
$(tui_screen)" ;; esac
done
# the last one is taken out: the list says 8 are left
last=$(echo $codes | tr ' ' '\n' | tail -1)
tui_scan "$last"
tui_expect "1 жұмыс күні"
assert_eq "$(am --json status "$last" | json_get 'd["state"]')" expired_removed
tui_expect "бітті: 8"
tui_keys Escape
tui_keys Escape
tui_expect "Бейдж"
tui_quit
done_ok
