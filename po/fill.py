#!/usr/bin/env python3
"""po/fill.py LANG FILE - fill empty translations of po/LANG.po from FILE,
whose lines are `msgid<TAB>translation` (C escapes as in the po file).
A developer's tool: new texts get translated without a PO editor."""
import re, sys

def main():
    lang, src = sys.argv[1], sys.argv[2]
    table = {}
    for line in open(src, encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            k, v = line.split("\t")
            table[k] = v
    path = "po/%s.po" % lang
    text = open(path, encoding="utf-8").read()
    entry = re.compile(r'(msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr )((?:"(?:[^"\\]|\\.)*"\n)+)')
    def fill(m):
        mid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))
        cur = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(3)))
        if mid and not cur and mid in table:
            return m.group(1) + '"%s"\n' % table[mid]
        return m.group(0)
    text = entry.sub(fill, text)
    open(path, "w", encoding="utf-8").write(text)

if __name__ == "__main__":
    main()
