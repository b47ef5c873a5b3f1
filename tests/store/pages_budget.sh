#!/bin/sh
# The pages an acceptance scan writes (bench/pages.sh: the WAL frames of
# 300 scans mapped to their b-trees) stay within what schema 28 brought them
# to (4.23; the target is 5): a change that puts a b-tree back on the scan
# path, or makes a row the scan rewrites grow out of its page, fails here,
# not months later in a benchmark nobody ran.  Page counts do not depend on the machine's speed.
. "$(dirname "$0")/../support/testlib.sh"
OUTP=$(AMANAT_BIN="$AMANAT_BIN" AMANAT_TOP="$AMANAT_TOP" BENCH_PAGES_SCANS=300 sh "$AMANAT_TOP/bench/pages.sh") ||
	fail "bench/pages.sh failed: $OUTP"
total=$(echo "$OUTP" | sed -n 's/^acceptance scan: \([0-9.]*\) pages.*/\1/p')
[ -n "$total" ] || fail "no total in: $OUTP"
python3 - "$total" "$OUTP" <<'PY' || fail "pages a scan over budget: $OUTP"
import re, sys
total, out = float(sys.argv[1]), sys.argv[2]
per = {m.group(1): float(m.group(2)) for m in re.finditer(r"^\s+(\S+)\s+([0-9.]+) pages a scan", out, re.M)}
# the b-trees a scan may write, each about once; nothing else
allowed = {"event", "envelope", "log_head", "clock", "clock_open", "sqlite_schema"}
extra = {k: v for k, v in per.items() if k not in allowed and v >= 0.05}
# clock_open: the fresh clocks go into it 32 at a time (schema 28)
bad = (total > 4.4 or extra or per.get("envelope", 0) > 1.05 or per.get("log_head", 0) > 1.05
       or per.get("clock_open", 0) > 0.15)
if bad:
    print("total %.2f, per b-tree %s, unexpected %s" % (total, per, extra), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
ok
done_ok
