#!/usr/bin/env python3
"""fitcheck.py - find words cut mid-word on captured screens, from outside.

The UI reports the cuts it makes itself (AMANAT_FIT_LOG); this looks at the
screen as a person does, so it also catches a cut that a library made
(ncurses' menu truncates an item at its window's edge without telling).

  fitcheck.py COLS SCREEN... (words from po/*.po, assets/samples and
  $FIT_WORDS make the dictionary; AMANAT_TOP is the source tree)

A word is cut when it ends at the right edge of a full line, or right before
"…", is not a word of the dictionary, and a word of the dictionary starts
with it.  Prints each as "SCREEN: line N: 'word' (of 'whole')"; exit 1 if any.
"""
import glob
import json
import os
import re
import sys
import unicodedata

WORD = re.compile(r"\w+")


def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w


def po_words(path, words):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r'^(?:msgid|msgstr|msgctxt)\s+"(.*)"$|^"(.*)"$', text, re.M):
        s = m.group(1) if m.group(1) is not None else m.group(2)
        words.update(w.lower() for w in WORD.findall(s.replace("\\n", " ")))


def json_words(obj, words):
    if isinstance(obj, dict):
        for v in obj.values():
            json_words(v, words)
    elif isinstance(obj, list):
        for v in obj:
            json_words(v, words)
    elif isinstance(obj, str):
        words.update(w.lower() for w in WORD.findall(obj))


def dictionary(top):
    words = set()
    for po in glob.glob(os.path.join(top, "po", "*.po")):
        po_words(po, words)
    for js in glob.glob(os.path.join(top, "assets", "samples", "*.json")):
        try:
            json_words(json.load(open(js, encoding="utf-8")), words)
        except ValueError:
            pass
    words.update(w.lower() for w in WORD.findall(os.environ.get("FIT_WORDS", "")))
    return words


def cuts(lines, cols, words, by_prefix):
    found = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n").rstrip(" ")
        candidates = []
        for m in WORD.finditer(line):
            after = line[m.end():m.end() + 1]
            at_edge = m.end() == len(line) and width(line) >= cols
            if after == "…" or at_edge:
                candidates.append(m.group(0))
        for tok in candidates:
            low = tok.lower()
            if len(tok) < 2 or low.isdigit() or low in words:
                continue
            whole = by_prefix(low)
            if whole:
                found.append((n, tok, whole))
    return found


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cols = int(sys.argv[1])
    top = os.environ.get("AMANAT_TOP", ".")
    words = dictionary(top)
    ordered = sorted(words)

    def by_prefix(tok):
        import bisect
        i = bisect.bisect_left(ordered, tok)
        if i < len(ordered) and ordered[i].startswith(tok) and ordered[i] != tok:
            return ordered[i]
        return None

    bad = 0
    for path in sys.argv[2:]:
        lines = open(path, encoding="utf-8", errors="replace").readlines()
        for n, tok, whole in cuts(lines, cols, words, by_prefix):
            print("%s: line %d: '%s' (of '%s'): %s" % (path, n, tok, whole, lines[n - 1].rstrip()))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
