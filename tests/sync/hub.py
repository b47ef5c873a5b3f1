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
A rejection is permanent: --reject WAYBILL:TYPE rejects that event, always.
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
        self.rng = random.Random(args.seed)
        self.queue = []
        self.feed = []
        self.reject = set(args.reject or [])

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
                    results.append({"uuid": ev["uuid"], "status": "rejected",
                                    "reason": "event %s is refused by the test hub" % key})
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
            return self.send_json(200, {"events": [json.loads(r[0]) for r in rows], "stats": stats})
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
