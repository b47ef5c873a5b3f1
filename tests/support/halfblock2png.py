#!/usr/bin/env python3
"""halfblock2png.py IN.txt OUT.png - draw a terminal capture of a half-block
2D code as a picture, the way a light-on-dark terminal shows it: a block
character's half is light, a space dark.  Plain zlib PNG, no libraries."""
import struct, sys, zlib

def main():
    lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
    lines = [l for l in lines if l.strip(" ") or l]
    cells = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}
    width = max(len(l) for l in lines)
    rows = []
    for l in lines:
        top, bottom = [], []
        for ch in l.ljust(width):
            t, b = cells.get(ch, (1, 1))
            top.append(t)
            bottom.append(b)
        rows += [top, bottom]
    scale = 6
    raw = b""
    for r in rows:
        line = bytes(255 if v else 0 for v in r for _ in range(scale))
        raw += (b"\x00" + line) * scale
    w, h = width * scale, len(rows) * scale
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(sys.argv[2], "wb").write(png)

if __name__ == "__main__":
    main()
