#!/bin/sh
# Which b-trees an acceptance scan writes: N scans (`amanat accept R -`, one
# durable commit each) while a read transaction holds the WAL from being
# copied back, then every frame they appended mapped to its table or index
# by SQLite's dbstat.  Prints the frames a scan writes in each b-tree and in
# all; the floor is 1 (one row in one table).  BENCH_PAGES_SCANS (300).
set -eu
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
N=${BENCH_PAGES_SCANS:-300}
A="$AMANAT_BIN --db $T/a.db --calendar $AMANAT_TOP/assets/calendar/kz-2026.txt"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-BENCH "$((N * 4))" > "$T/reg.json"
$A init --device-id BENCH >/dev/null
$A register import "$T/reg.json" >/dev/null
python3 - "$T" "$N" "$A" <<'PY'
import json, os, sqlite3, struct, subprocess, sys
t, n, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
codes = [i["waybill"] for i in json.load(open(t + "/reg.json"))["items"]]
# every fourth line: the scans of a day come in the register's order, with gaps
codes = codes[::4][:n]
db = t + "/a.db"
sqlite3.connect(db, isolation_level=None).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
hold = sqlite3.connect(db, isolation_level=None)   # the WAL only grows while it reads
hold.execute("BEGIN"); hold.execute("SELECT count(*) FROM meta").fetchall()
wal = t + "/a.db-wal"
wal0 = os.path.getsize(wal) if os.path.exists(wal) else 0
out = subprocess.run(cmd + ["accept", "R-BENCH", "-"], input="\n".join(codes) + "\n",
                     capture_output=True, text=True, check=True).stdout
assert out.count(" matched") == n, out[-500:]
data = open(wal, "rb").read()
psize = struct.unpack(">I", data[8:12])[0]
pages, commits, off = [], 0, max(wal0, 32)
while off + 24 + psize <= len(data):
    pgno, size_after = struct.unpack(">II", data[off:off + 8])
    pages.append(pgno)
    commits += size_after != 0
    off += 24 + psize
hold.execute("COMMIT"); hold.close()
owner = dict(sqlite3.connect(db).execute("SELECT pageno, name FROM dbstat"))
by = {}
for p in pages:
    name = owner.get(p, "page 1" if p == 1 else "free or overflow")
    by[name] = by.get(name, 0) + 1
for name, k in sorted(by.items(), key=lambda x: -x[1]):
    print("  %-28s %5.2f pages a scan" % (name, k / n))
print("acceptance scan: %.2f pages written (WAL frames) in %d commits of %d scans; floor 1; target <= 5"
      % (len(pages) / n, commits, n))
PY
