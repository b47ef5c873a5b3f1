#!/usr/bin/env python3
"""genreg.py ID N [SERIAL_START] - print an inbound register of N envelopes
with valid S10 waybills (JSON, the import format) for tests and benchmarks."""
import json, sys

W = [8, 6, 4, 2, 3, 5, 9, 7]

def s10(serial):
    s = sum(int(d) * k for d, k in zip(serial, W))
    c = 11 - s % 11
    c = 0 if c == 10 else 5 if c == 11 else c
    return "RR%s%dKZ" % (serial, c)

def main():
    reg, n = sys.argv[1], int(sys.argv[2])
    start = int(sys.argv[3]) if len(sys.argv) > 3 else 10000000
    items = [{"waybill": s10("%08d" % (start + i)), "application": "APP-%d" % (start + i),
              "postomat": "PM-ALM-%04d" % (i % 20), "city": "Алматы"} for i in range(n)]
    json.dump({"register": reg, "kind": "inbound", "from": "SC-ALM-01", "to": "KP-ALM-007",
               "formed_at": "2026-03-19T16:40:00+05:00", "items": items}, sys.stdout, ensure_ascii=False)

if __name__ == "__main__":
    main()
