/*
 * i18n.h - translated texts through gettext (domain "amanat").
 *
 * Source strings are English; catalogues for kk (default in the UI), ru and en
 * live in po/ and are compiled into locale/ by the Makefile.
 */
#ifndef AMANAT_I18N_H
#define AMANAT_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * Short forms for narrow screens (gettext contexts, msgctxt): C_("handheld",
 * "Accept hand-over") is the catalogue's short form, or the ordinary
 * translation when the catalogue has none.  NC_ only marks a msgid that has
 * a short form (for xgettext -kC_:1c,2 -kNC_:1c,2); i18n_short looks one up
 * at run time, for texts that come from data (form titles).
 */
#define C_(ctx, s) i18n_pgettext(ctx "\004" s, s)
#define NC_(ctx, s) (s)
const char *i18n_pgettext(const char *ctx_msgid, const char *msgid);
const char *i18n_short(const char *ctx, const char *msgid);

/*
 * Select the language ("kk", "ru", "en") for every later _() call.  localedir
 * is where <lang>/LC_MESSAGES/amanat.mo lives; NULL finds it next to the
 * binary, in the build tree, or under the install prefix.  Returns 0, or -1
 * when no catalogue was found (texts then stay English).
 */
int i18n_init(const char *lang, const char *localedir);
const char *i18n_language(void);

#endif
