#!/usr/bin/env python3
"""by_waybill.py DB NOW_MS AMANAT ARGS...: for every envelope of DB, what
`amanat --json status W` answers (its open deadlines, its breaches, its
history) against the same questions put to the tables directly by sqlite3
with every index set aside (NOT INDEXED: the whole table read), so that a
change of how the store finds an envelope's clocks and events (schema 24
on) is checked against the rows themselves.  Prints the waybills compared;
exits 1 at the first difference."""
import datetime, json, sqlite3, subprocess, sys

db, now, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
con = sqlite3.connect(db)
KEEPING = ("storage", "issuance-storage")


def ms(iso):
    return int(datetime.datetime.fromisoformat(iso).timestamp() * 1000)


def clocks(w, breached):
    rows = con.execute("SELECT clock, started_ms, due_ms, closed_ms, missed_ms, id FROM clock NOT INDEXED"
                       " WHERE waybill = ?", (w,)).fetchall()
    if breached:
        rows = [r for r in rows if r[0] not in KEEPING and (r[4] != 0 or (r[3] == 0 and r[2] < now) or r[3] > r[2])]
    else:
        rows = [r for r in rows if r[3] == 0]
    rows.sort(key=lambda r: (r[2], r[5]))
    return [(r[0], r[1] // 1000, r[2] // 1000, r[3] // 1000) for r in rows]


n = 0
for (w,) in con.execute("SELECT waybill FROM envelope NOT INDEXED ORDER BY waybill").fetchall():
    out = subprocess.run(cmd + ["--json", "status", w], capture_output=True, text=True)
    if out.returncode != 0:
        continue    # an envelope of a register still being imported: not shown
    d = json.loads(out.stdout)
    got = {k: [(x["clock"], ms(x["started"]) // 1000, ms(x["due"]) // 1000,
                ms(x["closed"]) // 1000 if x["closed"] else 0) for x in d[k]] for k in ("deadlines", "breaches")}
    want = {"deadlines": clocks(w, False), "breaches": clocks(w, True)}
    hist = [(x["seq"], x["type"]) for x in d["history"]]
    want_hist = con.execute("SELECT seq, type FROM event NOT INDEXED WHERE waybill = ? ORDER BY seq", (w,)).fetchall()
    for k in want:
        if got[k] != want[k]:
            sys.exit("%s %s: amanat says %s, the table %s" % (w, k, got[k], want[k]))
    if hist != [tuple(r) for r in want_hist]:
        sys.exit("%s history: amanat says %s, the table %s" % (w, hist, want_hist))
    n += 1
print("%d envelopes answered as their rows say" % n)
