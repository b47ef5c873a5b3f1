#!/usr/bin/env python3
"""hub.py - a test hub that speaks amanat's wire protocol (docs/protocol.md)
on 127.0.0.1, stores events in SQLite keyed by UUID (permanent de-duplication)
and injects faults on demand.  Started and stopped by the tests.

Faults, chosen per POST /v1/events at random with --fault-rate (seeded), or
queued with POST /control {"faults": [...]}:
  500      answer 500 before storing
  503      answer 503 with Retry-After before storing
  stall    store, then answer only after --stall-s (past the client's timeout)
  cut      store, then close the connection in the middle of the answer
  lose     store, then close the connection without an answer (ack lost)
  dup      store, answer with every acknowledgement twice
  lie      store nothing, answer "accepted" for UUIDs that were not sent and
           an unknown status for the ones that were
A rejection is permanent: --reject WAYBILL:TYPE rejects that event, always
(with --reject-reason TEXT as its reason, if given).
Whole-request faults, set with --mode or POST /control {"mode": ...}:
  refuse-all   answer 400 with the same body to every POST /v1/events (a
               proxy that refuses everything)
  ok           (the default) answer normally
--poison WAYBILL:TYPE (or {"poison": [...]}) answers 400 to any batch holding
that event (a batch the hub cannot parse because of one event); --max-events
N (or {"max_events": N}) answers 413 to a batch of more than N events.
Every upload carries the terminal's chain head; the hub keeps the highest
per device and counts, in the stats, "rewinds" (a head that went back, or a
sequence number reused by another event) and "gaps" (sequence numbers below
an upload that the hub never saw and never refused).
Playing the upstream of amanat-hub, it also serves GET /v1/feed?since=N with
items queued by POST /control {"feed": [{"uuid", "type", "waybill", "at_ms"}]}
(a parent collected an envelope, say).
"""
import argparse, json, random, sqlite3, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

FAULTS = ["500", "503", "stall", "cut", "lose", "dup", "lie"]
REQUIRED = ["uuid", "device", "seq", "type", "at_ms"]


class Hub:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.db = sqlite3.connect(args.db, check_same_thread=False)
        self.db.execute("CREATE TABLE IF NOT EXISTS event (uuid TEXT PRIMARY KEY, device TEXT,"
                        " seq INTEGER, type TEXT, waybill TEXT, arrival INTEGER, body TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS stat (k TEXT PRIMARY KEY, v INTEGER)")
        self.db.commit()
        self.db.execute("CREATE INDEX IF NOT EXISTS event_device_seq ON event(device, seq)")
        self.db.execute("CREATE TABLE IF NOT EXISTS head (device TEXT PRIMARY KEY, seq INTEGER, hash TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS refused (device TEXT, seq INTEGER, PRIMARY KEY (device, seq))")
        self.db.commit()
        self.rng = random.Random(args.seed)
        self.queue = []
        self.feed = []
        self.reject = set(args.reject or [])
        self.poison = set(args.poison or [])
        self.mode = args.mode
        self.max_events = args.max_events

    def check_head(self, device, head, events):
        """The chain head of an upload against what the hub saw before."""
        with self.lock:
            if head is not None:
                row = self.db.execute("SELECT seq, hash FROM head WHERE device = ?", (device,)).fetchone()
                if row and (head["seq"] < row[0] or (head["seq"] == row[0] and head["hash"] != row[1])):
                    self.bump("rewinds")
                if not row or head["seq"] >= row[0]:
                    self.db.execute("INSERT INTO head VALUES (?, ?, ?) ON CONFLICT(device) DO UPDATE"
                                    " SET seq = excluded.seq, hash = excluded.hash", (device, head["seq"], head["hash"]))
            for ev in events:
                row = self.db.execute("SELECT uuid FROM event WHERE device = ? AND seq = ?",
                                      (ev["device"], ev["seq"])).fetchone()
                if row and row[0] != ev["uuid"]:
                    self.bump("rewinds")
            if events:
                low = min(ev["seq"] for ev in events)
                seen = self.db.execute("SELECT count(DISTINCT seq) FROM (SELECT seq FROM event WHERE device = ?"
                                       " AND seq < ? UNION SELECT seq FROM refused WHERE device = ? AND seq < ?)",
                                       (device, low, device, low)).fetchone()[0]
                missing = (low - 1) - seen
                old = self.db.execute("SELECT v FROM stat WHERE k = 'gaps'").fetchone()
                if missing > (old[0] if old else 0):
                    self.bump("gaps", missing - (old[0] if old else 0))
            self.db.commit()

    def bump(self, key, n=1):
        self.db.execute("INSERT INTO stat VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = v + ?", (key, n, n))

    def next_fault(self):
        with self.lock:
            if self.queue:
                return self.queue.pop(0)
            if self.args.fault_rate and self.rng.random() < self.args.fault_rate:
                return self.rng.choice(self.args.faults.split(","))
        return None

    def store(self, events):
        results = []
        with self.lock:
            arrival = self.db.execute("SELECT coalesce(max(arrival), 0) FROM event").fetchone()[0]
            for ev in events:
                key = "%s:%s" % (ev.get("waybill", ""), ev.get("type"))
                if key in self.reject:
                    self.db.execute("INSERT OR IGNORE INTO refused VALUES (?, ?)", (ev["device"], ev["seq"]))
                    results.append({"uuid": ev["uuid"], "status": "rejected",
                                    "reason": self.args.reject_reason or "event %s is refused by the test hub" % key})
                    continue
                if self.db.execute("SELECT 1 FROM event WHERE uuid = ?", (ev["uuid"],)).fetchone():
                    self.bump("duplicates_received")
                    results.append({"uuid": ev["uuid"], "status": "duplicate"})
                    continue
                arrival += 1
                self.db.execute("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (ev["uuid"], ev["device"], ev["seq"], ev["type"], ev.get("waybill", ""),
                                 arrival, json.dumps(ev, ensure_ascii=False)))
                results.append({"uuid": ev["uuid"], "status": "accepted"})
            self.db.commit()
        return results


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hub = None

    def log_message(self, fmt, *a):  # quiet; tokens are never logged anyway
        pass

    def send_json(self, code, doc, extra=None):
        body = json.dumps(doc, ensure_ascii=False).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        if self.headers.get("Authorization") != "Bearer " + self.hub.args.token:
            self.send_json(401, {"error": "bad token"})
            return False
        return True

    def read_body(self):
        n = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        if url.path == "/dump":
            rows = self.hub.db.execute("SELECT body FROM event ORDER BY arrival").fetchall()
            stats = dict(self.hub.db.execute("SELECT k, v FROM stat").fetchall())
            heads = {r[0]: {"seq": r[1], "hash": r[2]} for r in self.hub.db.execute("SELECT * FROM head")}
            return self.send_json(200, {"events": [json.loads(r[0]) for r in rows], "stats": stats,
                                        "heads": heads})
        if not self.authorized():
            return
        if url.path == "/v1/registers":
            regs = json.load(open(self.hub.args.registers)) if self.hub.args.registers else []
            since = int(q.get("since", ["0"])[0] or 0)
            return self.send_json(200, {"registers": regs[since:], "cursor": str(len(regs))})
        if url.path == "/v1/feed":
            since = int(q.get("since", ["0"])[0] or 0)
            with self.hub.lock:
                items = [dict(it, cursor=str(i + 1)) for i, it in enumerate(self.hub.feed)][since:]
                cursor = str(len(self.hub.feed))
            return self.send_json(200, {"items": items, "cursor": cursor, "more": False})
        if url.path == "/v1/postomats":
            doc = json.load(open(self.hub.args.postomats)) if self.hub.args.postomats else {"postomats": []}
            return self.send_json(200, doc)
        self.send_json(404, {"error": "no such path"})

    def do_POST(self):
        url = urlparse(self.path)
        body = self.read_body()
        if url.path == "/control":
            doc = json.loads(body or b"{}")
            with self.hub.lock:
                self.hub.queue.extend(doc.get("faults", []))
                if "mode" in doc:
                    self.hub.mode = doc["mode"]
                if "poison" in doc:
                    self.hub.poison = set(doc["poison"])
                if "max_events" in doc:
                    self.hub.max_events = doc["max_events"]
                self.hub.feed.extend(doc.get("feed", []))
            return self.send_json(200, {"queued": len(self.hub.queue)})
        if url.path != "/v1/events":
            return self.send_json(404, {"error": "no such path"})
        if not self.authorized():
            return
        try:
            doc = json.loads(body)
            events = doc["events"]
            for ev in events:
                for f in REQUIRED:
                    if f not in ev:
                        raise ValueError("event without %s" % f)
        except (ValueError, KeyError, TypeError) as e:
            return self.send_json(400, {"error": str(e)})
        with self.hub.lock:
            self.hub.bump("requests")
            self.hub.bump("requests_events", len(events))
            if len(events) > 1:
                self.hub.bump("multi_batches")
            self.hub.db.commit()
        if self.hub.mode == "refuse-all":
            with self.hub.lock:
                self.hub.bump("refused_all")
                self.hub.db.commit()
            return self.send_json(400, {"error": "request refused by policy"})
        if self.hub.max_events and len(events) > self.hub.max_events:
            with self.hub.lock:
                self.hub.bump("too_large")
                self.hub.db.commit()
            return self.send_json(413, {"error": "too many events in one request"})
        bad = [ev for ev in events if "%s:%s" % (ev.get("waybill", ""), ev.get("type")) in self.hub.poison]
        if bad:
            with self.hub.lock:
                self.hub.bump("poisoned_batches")
                if len(events) == 1:
                    self.hub.db.execute("INSERT OR IGNORE INTO refused VALUES (?, ?)", (bad[0]["device"], bad[0]["seq"]))
                self.hub.db.commit()
            return self.send_json(400, {"error": "cannot read event %s" % bad[0]["uuid"]})
        self.hub.check_head(doc.get("device", ""), doc.get("head"), events)
        fault = self.hub.next_fault()
        with self.hub.lock:
            self.hub.bump("batches")
            if fault:
                self.hub.bump("fault_" + fault)
            self.hub.db.commit()
        if fault == "500":
            return self.send_json(500, {"error": "injected"})
        if fault == "503":
            return self.send_json(503, {"error": "busy"}, {"Retry-After": str(self.hub.args.retry_after)})
        if fault == "lie":
            import uuid as uuidlib
            fake = [{"uuid": str(uuidlib.uuid4()), "status": "accepted"} for _ in events]
            odd = [{"uuid": ev["uuid"], "status": "maybe"} for ev in events]
            return self.send_json(200, {"results": fake + odd})
        results = self.hub.store(events)
        if fault == "stall":
            time.sleep(self.hub.args.stall_s)
        if fault == "lose":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault == "dup":
            results = results + results
        answer = json.dumps({"results": results}).encode()
        if fault == "cut":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer[: len(answer) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_json(200, {"results": results})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--db", default=":memory:")
    p.add_argument("--token", default="test-token")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fault-rate", type=float, default=0.0)
    p.add_argument("--faults", default=",".join(FAULTS))
    p.add_argument("--reject", action="append", help="WAYBILL:TYPE to reject permanently")
    p.add_argument("--poison", action="append", help="WAYBILL:TYPE: a batch holding it is answered 400")
    p.add_argument("--mode", default="ok", choices=["ok", "refuse-all"])
    p.add_argument("--reject-reason", help="the reason a --reject answers (default: names the event)")
    p.add_argument("--max-events", type=int, default=0, help="answer 413 to bigger batches")
    p.add_argument("--registers")
    p.add_argument("--postomats")
    p.add_argument("--stall-s", type=float, default=3.0)
    p.add_argument("--retry-after", type=int, default=1)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    args = p.parse_args()
    Handler.hub = Hub(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
