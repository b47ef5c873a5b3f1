#!/bin/sh
# Every text of the sources and forms has a translation in kk, ru and en.
. "$(dirname "$0")/../support/testlib.sh"
cd "$AMANAT_TOP"
sed -n 's/^title[[:space:]]*"\([^"]*\)".*/_("\1")/p; s/^help[[:space:]]*"\([^"]*\)".*/_("\1")/p; s/.*prompt="\([^"]*\)".*/_("\1")/p' forms/*.form \
	| sort -u > "$T/forms.c"
xgettext --from-code=UTF-8 -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -L C --no-location -o "$T/amanat.pot" \
	src/*/*.c include/amanat/*.h "$T/forms.c" || fail "xgettext"
for l in kk ru en; do
	msgcmp po/$l.po "$T/amanat.pot" 2>"$T/cmp" || fail "po/$l.po lacks translations (run po/update.sh and translate):
$(head -20 "$T/cmp")"
	stats=$(msgfmt --check --statistics -o /dev/null po/$l.po 2>&1)
	case "$stats" in *untranslated*|*fuzzy*) fail "po/$l.po: $stats" ;; esac
	ok
done
# the template stays well-formed (a union merge of po files can drop a msgstr line)
msgfmt --check -o /dev/null po/amanat.pot 2>"$T/pot" || fail "po/amanat.pot is broken: $(grep -v warning "$T/pot" | head -5)"
ok
done_ok
