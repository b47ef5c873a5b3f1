#!/bin/sh
# Scans through the whole path: pty -> decode -> core -> durable commit, as
# `amanat scanner accept` does it; beside the floor, the same commit made
# directly in SQLite (one INSERT + COMMIT, WAL, synchronous=FULL), and the
# floor of the whole path (bench_ptyfloor.c: the same pty, line reading and
# answer around a bare commit, so that the transport's part shows).  Also the
# pages each scan writes (the WAL's growth: a read transaction held open
# meanwhile keeps it from being copied back and started over) and the CPU
# time of the scanning process per scan.
set -eu
T=$(mktemp -d); trap 'kill $SOCAT 2>/dev/null; rm -rf "$T"' EXIT
N=${BENCH_SCANS:-1000}
A="$AMANAT_BIN --db $T/a.db --calendar $AMANAT_TOP/assets/calendar/kz-2026.txt"
python3 "$AMANAT_TOP/tests/support/genreg.py" R-BENCH "$N" > "$T/reg.json"
$A init --device-id BENCH >/dev/null
$A register import "$T/reg.json" >/dev/null
socat pty,raw,echo=0,link="$T/in" pty,raw,echo=0,link="$T/dev" 2>/dev/null &
SOCAT=$!
while [ ! -e "$T/dev" ]; do sleep 0.02; done
python3 - "$T" "$N" "$A" "$AMANAT_BENCHBIN" <<'PY'
import json, os, resource, select, sqlite3, subprocess, sys, time
t, n, cmd, benchbin = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4]
codes = [i["waybill"] for i in json.load(open(t + "/reg.json"))["items"]]
hold = sqlite3.connect(t + "/a.db", isolation_level=None)   # the WAL only grows while it reads
hold.execute("BEGIN"); hold.execute("SELECT count(*) FROM meta").fetchall()
wal = lambda: os.path.getsize(t + "/a.db-wal") if os.path.exists(t + "/a.db-wal") else 0
wal0 = wal()
p = subprocess.Popen(cmd + ["scanner", "accept", "R-BENCH", t + "/dev", "--count", str(n)],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)  # raw: select sees every line
fd = os.open(t + "/in", os.O_WRONLY | os.O_NOCTTY)
out = p.stdout
def wait_line(out=out):
    if not select.select([out], [], [], 10)[0]:
        sys.exit("no answer from the scanning program in 10 s")
    line = out.readline().decode()
    while line.startswith(("connected", "waiting")):
        line = out.readline().decode()
    return line
first = out.readline().decode()            # "connected ...": the port is open
assert first.startswith("connected"), first
lat = []
half = n // 2
for c in codes[:half]:          # latency: one scan at a time
    os.write(fd, (c + "\r").encode())
    t0 = time.perf_counter()
    line = wait_line()
    lat.append(time.perf_counter() - t0)
    assert " matched" in line, line
t0 = time.perf_counter()        # throughput: scans as fast as the line takes them
for c in codes[half:]:
    os.write(fd, (c + "\r").encode())
for _ in codes[half:]:
    assert " matched" in wait_line()
rate = (n - half) / (time.perf_counter() - t0)
p.wait()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
pages = (wal() - wal0) / (4096 + 24) / n
hold.execute("COMMIT"); hold.close()
lat.sort()
# the floor: the same durable commit straight into SQLite
db = sqlite3.connect(t + "/floor.db", isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE t(v TEXT)")
fl = []
for c in codes[:half]:
    t1 = time.perf_counter()
    db.execute("BEGIN IMMEDIATE"); db.execute("INSERT INTO t VALUES (?)", (c,)); db.execute("COMMIT")
    fl.append(time.perf_counter() - t1)
fl.sort()
# the floor of the whole path: the same pty and answer, a bare commit per line
# (bench_ptyfloor.c): what the transport costs, so the scan's own part shows
f = subprocess.Popen([benchbin + "/bench_ptyfloor", t + "/dev", t + "/floor-pty.db", str(half)],
                     stdout=subprocess.PIPE, bufsize=0)
assert f.stdout.readline().decode().startswith("connected")
pl = []
for c in codes[:half]:
    os.write(fd, (c + "\r").encode())
    t0 = time.perf_counter()
    assert " matched" in wait_line(f.stdout)
    pl.append(time.perf_counter() - t0)
f.wait()
pl.sort()
ms = lambda v: "%.2f ms" % (v * 1000)
print("scan path (pty->decode->core->commit): %6.0f scans/s   last byte->committed p50 %s p99 %s" % (
      rate, ms(lat[len(lat) // 2]), ms(lat[len(lat) * 99 // 100])))
print("floor (bare SQLite INSERT+COMMIT):     %6.0f commits/s  p50 %s p99 %s" % (
      len(fl) / sum(fl), ms(fl[len(fl) // 2]), ms(fl[len(fl) * 99 // 100])))
print("per scan: %.1f pages written (floor 1), CPU %.0f us (user %.0f; the process's start-up included)" % (
      pages, (ru.ru_utime + ru.ru_stime) / n * 1e6, ru.ru_utime / n * 1e6))
print("floor (the same pty and answer, a bare INSERT+COMMIT a line): p50 %s p99 %s" % (
      ms(pl[len(pl) // 2]), ms(pl[len(pl) * 99 // 100])))
print("ratio: p50 %.2fx  p99 %.2fx  (targets <= 1.5x, <= 2x; <= 5 pages; <= 100 us CPU)" % (
      lat[len(lat) // 2] / fl[len(fl) // 2], lat[len(lat) * 99 // 100] / fl[len(fl) * 99 // 100]))
print("beside the same path's floor: p50 %.2fx  p99 %.2fx" % (
      lat[len(lat) // 2] / pl[len(pl) // 2], lat[len(lat) * 99 // 100] / pl[len(pl) * 99 // 100]))
PY
