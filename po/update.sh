#!/bin/sh
# po/update.sh - refresh po/amanat.pot from the sources and the form files,
# and merge new strings into kk.po, ru.po and en.po (then translate them:
# tests/i18n/complete.sh fails while any text lacks a translation).
set -eu
cd "$(dirname "$0")/.."
sed -n 's/^title[[:space:]]*"\([^"]*\)".*/_("\1")/p; s/^help[[:space:]]*"\([^"]*\)".*/_("\1")/p; s/.*prompt="\([^"]*\)".*/_("\1")/p' forms/*.form \
	| sort -u > po/forms.c.txt
xgettext --from-code=UTF-8 -k_ -kN_ -L C --no-location -o po/amanat.pot \
	src/*/*.c include/amanat/*.h po/forms.c.txt
for l in kk ru en; do
	msgmerge -q --no-fuzzy-matching -U --backup=none po/$l.po po/amanat.pot
done
