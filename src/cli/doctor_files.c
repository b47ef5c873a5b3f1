/*
 * doctor_files.c - `amanat doctor`'s look at the files on disk: the
 * database and the -wal and -shm SQLite makes beside it must be writable by
 * the amanat group (mode 0660) whoever made them, or the next person gets
 * "attempt to write a readonly database"; the folder must let the group
 * make them (setgid, 2770); the person running amanat must be in the group
 * in this session; the token must be readable only by the sync service.
 */
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "amanat/i18n.h"
#include "doctor.h"

void doctor_report(struct checks *k, const char *name, bool ok, const char *fmt, ...)
{
	char detail[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (!ok)
		k->failed++;
	if (k->arr)
		json_array_append_new(k->arr, json_pack("{s:s, s:b, s:s}", "check", name, "ok", ok, "detail", detail));
	else
		printf("%s %-10s %s\n", ok ? "✓" : "✗", name, detail);
}

static void owner_name(const struct stat *st, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(st->st_uid);
	struct group *gr = getgrgid(st->st_gid);
	char u[32], g[32];
	snprintf(u, sizeof u, "%u", (unsigned)st->st_uid);
	snprintf(g, sizeof g, "%u", (unsigned)st->st_gid);
	snprintf(buf, len, "%s:%s", pw ? pw->pw_name : u, gr ? gr->gr_name : g);
}

/* Is this process in group gid now (not only in /etc/group)? */
static bool in_group_now(gid_t gid)
{
	gid_t list[256];
	if (getegid() == gid)
		return true;
	int n = getgroups(256, list);
	for (int i = 0; i < n; i++)
		if (list[i] == gid)
			return true;
	return false;
}

static bool listed_in_group(const struct group *gr, const char *user)
{
	for (char **m = gr ? gr->gr_mem : NULL; m && *m; m++)
		if (!strcmp(*m, user))
			return true;
	return false;
}

/* One of the database's files: 0 good, 1 bad (reported).  gname NULL: one
 * person's database, which only its user must be able to write; else the
 * group gid (named gname) must. */
static int check_one(struct checks *k, const char *path, gid_t gid, const char *gname, bool must_exist)
{
	struct stat st;
	char own[100];
	if (lstat(path, &st)) {
		if (errno == ENOENT && !must_exist)
			return 0;
		doctor_report(k, "files", false, _("%s: %s"), path, strerror(errno));
		return 1;
	}
	owner_name(&st, own, sizeof own);
	unsigned mode = st.st_mode & 07777;
	if (!S_ISREG(st.st_mode)) {
		doctor_report(k, "files", false, _("%s is not a plain file: move it away and run amanat init"), path);
		return 1;
	}
	if (!gname) {
		if (!access(path, R_OK | W_OK))
			return 0;
		struct passwd *pw = getpwuid(geteuid());
		doctor_report(k, "files", false, _("%s is %s, mode %04o: you cannot write it; fix: sudo chown %s %s"), path,
			      own, mode, pw ? pw->pw_name : "YOU", path);
		return 1;
	}
	if (st.st_gid != gid || (mode & 0660) != 0660) {
		doctor_report(k, "files", false, _("%s is %s, mode %04o: the %s group cannot write it, so the next person gets 'attempt to write a readonly database'; fix: sudo chgrp %s %s && sudo chmod 0660 %s (sudo dpkg-reconfigure amanat repairs all three)"),
			      path, own, mode, gname, gname, path, path);
		return 1;
	}
	if (mode & 0007) {
		doctor_report(k, "files", false, _("%s is %s, mode %04o: everyone may read it, and it holds personal data; fix: sudo chmod 0660 %s"),
			      path, own, mode, path);
		return 1;
	}
	return 0;
}

void doctor_check_files(struct checks *k)
{
	const char *db = k->c->app.db_path;
	char dir[PATH_MAX], wal[PATH_MAX + 8], shm[PATH_MAX + 8], gbuf[32];
	struct stat dst;
	if (access(db, F_OK) && errno == ENOENT)
		return;		/* the database check says so, with what to do */
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s", db);
	snprintf(dir, sizeof dir, "%s", dirname(tmp));
	if (stat(dir, &dst)) {
		doctor_report(k, "files", false, _("the folder %s of the database: %s"), dir, strerror(errno));
		return;
	}
	/* One person's own database (a handheld's user, a technician's copy, a
	 * test): a folder only its owner can open keeps every file in it from
	 * everyone else, and no group needs to write there.  The package's
	 * shared folder is never taken for one. */
	snprintf(wal, sizeof wal, "%s-wal", db);
	snprintf(shm, sizeof shm, "%s-shm", db);
	if (dst.st_uid == geteuid() && !(dst.st_mode & 0077) && strcmp(dir, "/var/lib/amanat") != 0) {
		if (check_one(k, db, 0, NULL, true) || check_one(k, wal, 0, NULL, false)
		    || check_one(k, shm, 0, NULL, false))
			return;
		struct passwd *pw = getpwuid(geteuid());
		doctor_report(k, "files", true, _("%s is in a folder only you (%s) can open, mode %04o: one person's database (where several people log in, the folder is shared with the amanat group: see the operator's guide)"),
			      db, pw ? pw->pw_name : "?", (unsigned)(dst.st_mode & 07777));
		return;
	}
	/* The group that must write: amanat when it exists, else the folder's. */
	struct group *gr = getgrnam(DOCTOR_GROUP);
	gid_t gid = gr ? gr->gr_gid : dst.st_gid;
	struct group *fg = gr ? gr : getgrgid(gid);
	snprintf(gbuf, sizeof gbuf, "%u", (unsigned)gid);
	char gname[64];
	snprintf(gname, sizeof gname, "%s", fg ? fg->gr_name : gbuf);
	if (geteuid() != 0 && !in_group_now(gid)) {
		struct passwd *pw = getpwuid(geteuid());
		const char *me = pw ? pw->pw_name : "?";
		if (fg && listed_in_group(fg, me))
			doctor_report(k, "files", false, _("you (%s) were added to the group %s, but this session started before: log in again (or run 'newgrp %s') and try again"),
				      me, gname, gname);
		else
			doctor_report(k, "files", false, _("you (%s) are not in the group %s, which writes the database: sudo adduser %s %s, then log in again"),
				      me, gname, me, gname);
		return;
	}
	if (dst.st_gid != gid || (dst.st_mode & 0070) != 0070 || !(dst.st_mode & S_ISGID)) {
		char own[100];
		owner_name(&dst, own, sizeof own);
		doctor_report(k, "files", false, _("the folder %s is %s, mode %04o: the %s group must be able to make the database's -wal and -shm there; fix: sudo chgrp %s %s && sudo chmod 2770 %s"),
			      dir, own, (unsigned)(dst.st_mode & 07777), gname, gname, dir, dir);
		return;
	}
	if (check_one(k, db, gid, gname, true) || check_one(k, wal, gid, gname, false)
	    || check_one(k, shm, gid, gname, false))
		return;
	doctor_report(k, "files", true, _("%s and its -wal, -shm: group %s, mode 0660 (the folder 2770)"), db, gname);
}

void doctor_check_secret(struct checks *k, const char *what, const char *path)
{
	struct stat st;
	char own[100];
	if (stat(path, &st))
		return;		/* reading it is the hub check's business */
	owner_name(&st, own, sizeof own);
	/* getgrnam's answer is overwritten by the next call: keep the gids */
	struct group *g = getgrnam(DOCTOR_SYNC_GROUP);
	bool has_sync = g != NULL;
	gid_t sync_gid = g ? g->gr_gid : 0;
	g = getgrnam(DOCTOR_GROUP);
	bool has_ui = g != NULL;
	gid_t ui_gid = g ? g->gr_gid : 0;
	unsigned mode = st.st_mode & 07777;
	bool group_reads = (mode & 0040) && st.st_gid != 0
			   && (has_sync ? st.st_gid != sync_gid : has_ui && st.st_gid == ui_gid);
	if (mode & 0007)
		doctor_report(k, "token", false, _("%s %s is %s, mode %04o: everyone can read the device token; fix: sudo chown root:%s %s && sudo chmod 0640 %s"),
			      what, path, own, mode, DOCTOR_SYNC_GROUP, path, path);
	else if (group_reads)
		doctor_report(k, "token", false, _("%s %s is %s, mode %04o: the people of that group (UI users) can read the device token; fix: sudo chown root:%s %s && sudo chmod 0640 %s"),
			      what, path, own, mode, DOCTOR_SYNC_GROUP, path, path);
	else
		doctor_report(k, "token", true, _("%s %s is %s, mode %04o: only the sync service reads it"), what, path, own, mode);
}
