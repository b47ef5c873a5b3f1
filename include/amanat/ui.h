/*
 * ui.h - the terminal UI: one poll() loop, screens declared in forms/NAME.form
 * and behaviour in src/ui/screen_*.c.
 *
 * Every user request is listed once here (tig's request.h idea): the enum,
 * the name used in form files and the default key-legend label all come
 * from this list.
 */
#ifndef AMANAT_UI_H
#define AMANAT_UI_H

#include "amanat/app.h"
#include "amanat/error.h"
#include "amanat/i18n.h"

#define UI_REQUESTS(X) \
	X(BACK, "back", N_("Back")) \
	X(QUIT, "quit", N_("Quit")) \
	X(HELP, "help", N_("Help")) \
	X(FINISH, "finish", N_("Finish")) \
	X(DAMAGED, "damaged", N_("Damaged")) \
	X(REMAINING, "remaining", N_("Left")) \
	X(CELL_FULL, "cell-full", N_("Full")) \
	X(CELL_BROKEN, "cell-broken", N_("Broken")) \
	X(DOES_NOT_FIT, "does-not-fit", N_("No fit")) \
	X(LANGUAGE, "language", N_("Language")) \
	X(DEADLINES, "deadlines", N_("Deadlines")) \
	X(ACTS, "acts", N_("Acts")) \
	X(CLOSE_SHIFT, "close-shift", N_("Close shift")) \
	X(LOGOUT, "logout", N_("Log out")) \
	X(DONE, "done", N_("Done")) \
	X(SYNC, "sync", N_("Sync")) \
	X(PRINT, "print", N_("Print")) \
	X(OPEN, "open", N_("Open")) \
	X(RESEND, "resend", N_("Re-send")) \
	X(RESEND_ALL, "resend-all", N_("Re-send all")) \
	X(ADD, "add", N_("Add")) \
	X(DEACTIVATE, "deactivate", N_("Off/on")) \
	X(RESET_PIN, "reset-pin", N_("New PIN")) \
	X(UNLOCK, "unlock", N_("Unlock")) \
	X(NEW, "new", N_("New")) \
	X(LABELS, "labels", N_("Labels")) \
	X(END, "end", N_("End")) \
	X(NOTIFIED, "notified", N_("Notice given")) \
	X(REMOVE, "remove", N_("Remove"))

enum ui_request {
#define X(id, name, label) REQ_UI_##id,
	UI_REQUESTS(X)
#undef X
	REQ_UI__COUNT
};

const char *ui_request_name(enum ui_request r);
int ui_request_from_name(const char *name);
const char *ui_request_label(enum ui_request r);
/* The label untranslated (the msgid), for its short form on a handheld. */
const char *ui_request_msgid(enum ui_request r);

/* Run the UI on an app whose store is open.  Returns when the user quits. */
int ui_run(struct app *a, struct am_error *e);

#endif
