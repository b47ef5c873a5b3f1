/*
 * app.c - loading one terminal's configuration, calendar and store.
 *
 * Paths come from the command line first, then the config file, then the
 * environment, then defaults, so a technician can move any of them.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "amanat/app.h"
#include "amanat/i18n.h"
#include "amanat/timeutil.h"

#ifndef AMANAT_SYSCONFDIR
#define AMANAT_SYSCONFDIR "/etc/amanat"
#endif
#ifndef AMANAT_DATADIR
#define AMANAT_DATADIR "/usr/share/amanat"
#endif

int app_check_regular(const char *path, struct am_error *e)
{
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return am_fail(e, AM_REFUSED, _("%s is not a regular file (a pipe, device or directory): give a file"), path);
	return 0;
}

/* Opened without blocking and checked to be a regular file first: a FIFO
 * in place of a file would otherwise wait forever for a writer. */
char *app_read_file(const char *path, size_t *len, struct am_error *e)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {	/* the two a person meets, with what to do */
		if (errno == EACCES)
			am_fail(e, AM_ENV, _("cannot read %s: permission denied - copy it to a folder of yours, or ask a technician to let you read it"), path);
		else if (errno == ENOENT || errno == ENOTDIR)
			am_fail(e, AM_ENV, _("cannot read %s: there is no such file - check its name and folder"), path);
		else
			am_fail(e, AM_ENV, _("cannot read %s: %s"), path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		am_fail(e, AM_ENV, _("%s is not a regular file (a pipe, device or directory): give a file"), path);
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		am_fail(e, AM_ENV, _("cannot read %s: %s"), path, strerror(errno));
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			char *b = cap > (256u << 20) ? NULL : realloc(buf, cap *= 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
		}
	}
	int err = ferror(f);
	fclose(f);
	if (!buf) {
		am_fail(e, AM_ENV, _("%s is too large or memory ran out"), path);
		return NULL;
	}
	if (err) {
		free(buf);
		am_fail(e, AM_ENV, _("cannot read %s"), path);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static bool readable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

const char *app_find_data(const char *rel, char *buf, size_t len)
{
	char exe[PATH_MAX];
	const char *env = getenv("AMANAT_DATADIR");
	if (env && *env) {
		snprintf(buf, len, "%s/%s", env, rel);
		if (readable(buf))
			return buf;
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			static const char *const up[] = { "/../../assets/", "/../../", "/../assets/", "/../share/amanat/" };
			*slash = '\0';
			for (size_t i = 0; i < sizeof up / sizeof up[0]; i++) {
				snprintf(buf, len, "%s%s%s", exe, up[i], rel);
				if (readable(buf))
					return buf;
			}
		}
	}
	snprintf(buf, len, "%s/%s", AMANAT_DATADIR, rel);
	if (readable(buf))
		return buf;
	snprintf(buf, len, "assets/%s", rel);
	if (readable(buf))
		return buf;
	return NULL;
}

static void pick(char *dst, size_t len, const char *a, const char *b, const char *c, const char *d)
{
	const char *v = a && *a ? a : b && *b ? b : c && *c ? c : d;
	snprintf(dst, len, "%s", v ? v : "");
}

static int load_calendar(struct app *a, struct am_error *e)
{
	char found[PATH_MAX], err[256];
	if (!a->calendar_path[0]) {
		if (!app_find_data("calendar/kz-2026.txt", found, sizeof found))
			return am_fail(e, AM_ENV_CALENDAR, _("the working-day calendar was not found: set 'calendar' in the config or use --calendar FILE"));
		snprintf(a->calendar_path, sizeof a->calendar_path, "%s", found);
	}
	char *text = app_read_file(a->calendar_path, NULL, e);
	if (!text)
		return AM_ENV_CALENDAR;
	a->cal = calendar_parse(text, err, sizeof err);
	free(text);
	if (!a->cal)
		return am_fail(e, AM_ENV_CALENDAR, _("calendar %s: %s"), a->calendar_path, err);
	return 0;
}

/*
 * The offset of an IANA zone ("Asia/Almaty") at utc_ms, from the system's
 * tzdata.  The name is checked first (no "..", no leading '/', letters,
 * digits, '/', '_', '-', '+'): glibc silently falls back to UTC for a zone it
 * cannot read, so the file must exist and be a TZif file.
 */
int app_zone_offset(const char *name, int64_t utc_ms, int *offset_min, struct am_error *e)
{
	char path[PATH_MAX], magic[4];
	const char *dir = getenv("TZDIR");
	bool ok = name && *name && *name != '/' && !strstr(name, "..") && strlen(name) < 128;
	for (const char *p = name; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || strchr("/_-+", *p);
	if (!ok)
		return am_fail(e, AM_ENV, _("config: timezone '%s' is not a time zone name like Asia/Almaty"), name ? name : "");
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	FILE *f = fopen(path, "rb");
	size_t got = f ? fread(magic, 1, 4, f) : 0;
	if (f)
		fclose(f);
	if (got != 4 || memcmp(magic, "TZif", 4) != 0)
		return am_fail(e, AM_ENV, _("config: timezone '%s' is not known on this machine (%s): install tzdata or name a zone like Asia/Almaty"),
			       name, path);
	const char *was = getenv("TZ");	/* read once: the analyzer (and a signal) see one value */
	char *old = was ? strdup(was) : NULL;
	char tz[160];
	snprintf(tz, sizeof tz, ":%s", name);
	setenv("TZ", tz, 1);
	tzset();
	time_t t = (time_t)(utc_ms / 1000);
	struct tm tm;
	bool have = localtime_r(&t, &tm) != NULL;
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
	if (!have)
		return am_fail(e, AM_ENV, _("config: timezone '%s' cannot be read"), name);
	*offset_min = (int)(tm.tm_gmtoff / 60);
	return 0;
}

/*
 * utc_offset: "+05:00", "+5", "5" (hours), or minutes as the first release
 * read it ("300"): a number from -14 to 14 is hours, so that "5" never means
 * five minutes.  0 or -1.
 */
int app_parse_offset(const char *v, int *offset_min)
{
	char *end;
	int sign = 1;
	const char *p = v;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return -1;
	long h = strtol(p, &end, 10), m = 0;
	if (*end == ':') {
		if (!isdigit((unsigned char)end[1]) || !isdigit((unsigned char)end[2]) || end[3])
			return -1;
		m = strtol(end + 1, &end, 10);
		if (m >= 60 || h > 14)
			return -1;
		*offset_min = sign * (int)(h * 60 + m);
		return 0;
	}
	if (*end)
		return -1;
	if (h <= 14) {
		*offset_min = sign * (int)h * 60;
		return 0;
	}
	if (h > 840 || h % 15)
		return -1;
	*offset_min = sign * (int)h;
	return 0;
}

/* Local time and the pilot's end, from the config: a value that does not
 * parse stops the program with the reason. */
static int load_time_rules(struct app *a, struct am_error *e)
{
	const char *zone = config_get(a->cfg, "timezone", NULL);
	const char *off = config_get(a->cfg, "utc_offset", NULL);
	int rc;
	if (zone) {
		if ((rc = app_zone_offset(zone, now_ms(), &a->rules.offset_min, e)))
			return rc;
	} else if (off) {
		if (app_parse_offset(off, &a->rules.offset_min))
			return am_fail(e, AM_ENV, _("config: utc_offset '%s' is not an offset like +05:00 (or 5 hours); better: timezone = Asia/Almaty"), off);
	} else if (app_zone_offset("Asia/Almaty", now_ms(), &a->rules.offset_min, e)) {
		a->rules.offset_min = 300;	/* no tzdata: Kazakhstan's one zone */
	}
	if (zone && off) {
		int o;
		if (app_parse_offset(off, &o) || o != a->rules.offset_min)
			return am_fail(e, AM_ENV, _("config: utc_offset '%s' disagrees with timezone %s: keep only the timezone"), off, zone);
	}
	const char *end = config_get(a->cfg, "pilot_end", "2026-12-31");
	int64_t day;
	if (date_parse(end, &day))
		return am_fail(e, AM_ENV, _("config: pilot_end '%s' is not a date like 2026-12-31 (order §6: the pilot runs until 31 December 2026)"), end);
	/* "until 31 December": through the whole of that day, local time */
	a->rules.pilot_end_ms = (day + 1) * MS_PER_DAY - (int64_t)a->rules.offset_min * MS_PER_MINUTE;
	return 0;
}

/*
 * The configuration: FILE (--config, else $AMANAT_CONFIG, else
 * /etc/amanat/amanat.conf when it exists), then the *.conf files of the
 * conf.d folder beside it in name order.  Never the current directory: a
 * file planted there must not steer a command run by root.
 */
static int load_config(struct app *a, const char *config_path, struct am_error *e)
{
	int rc;
	const char *env = getenv("AMANAT_CONFIG");
	const char *file = config_path && *config_path ? config_path : env && *env ? env : NULL;
	bool required = file != NULL;
	if (!file)
		file = AMANAT_SYSCONFDIR "/amanat.conf";
	if (!required && access(file, F_OK) != 0)
		return 0;
	snprintf(a->config_path, sizeof a->config_path, "%s", file);
	if ((rc = config_load(a->cfg, file, true, e)))
		return rc;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", file);
	char *slash = strrchr(dir, '/');
	if (slash)
		snprintf(slash + 1, sizeof dir - (size_t)(slash + 1 - dir), "conf.d");
	else
		snprintf(dir, sizeof dir, "conf.d");
	if ((rc = config_load_dir(a->cfg, dir, e)))
		return rc;
	return config_check(a->cfg, config_keys, e);
}

int app_load(struct app *a, const char *config_path, const char *db_path,
	     const char *calendar_path, struct am_error *e)
{
	int rc;
	memset(a, 0, sizeof *a);
	a->load_stage = "config";
	a->cfg = config_new();
	if (!a->cfg)
		return am_fail(e, AM_ENV, _("out of memory"));

	if ((rc = load_config(a, config_path, e)))
		return rc;
	pick(a->db_path, sizeof a->db_path, db_path, getenv("AMANAT_DB"),
	     config_get(a->cfg, "db", NULL), "amanat.db");
	pick(a->calendar_path, sizeof a->calendar_path, calendar_path,
	     config_get(a->cfg, "calendar", NULL), getenv("AMANAT_CALENDAR"), NULL);
	pick(a->actor, sizeof a->actor, getenv("AMANAT_ACTOR"), config_get(a->cfg, "actor", NULL),
	     getenv("USER"), "operator");
	pick(a->lang, sizeof a->lang, getenv("AMANAT_LANG"), config_get(a->cfg, "language", NULL),
	     NULL, "kk");

	if ((rc = load_time_rules(a, e)))
		return rc;
	if (waybill_rule_parse(&a->rules.waybill, config_get(a->cfg, "waybill_format", "s10")))
		return am_fail(e, AM_ENV, _("config: waybill_format must be s10, luhn, luhn:MIN-MAX or pattern:PATTERN"));
	a->load_stage = "calendar";	/* the time zone is known from here on */
	if ((rc = load_calendar(a, e)))
		return rc;
	a->rules.calendar = a->cal;
	a->load_stage = "";
	return 0;
}

void app_use_hub_calendar(struct app *a)
{
	char name[128], err[256];
	char *text = a->store ? store_hub_calendar(a->store, name, sizeof name) : NULL;
	struct calendar *cal = text ? calendar_parse(text, err, sizeof err) : NULL;
	free(text);
	if (!cal || (a->cal && calendar_last_day(cal) < calendar_last_day(a->cal))) {
		calendar_free(cal);	/* the file reaches as far: it stays */
		return;
	}
	calendar_free(a->cal);
	a->cal = cal;
	a->rules.calendar = cal;
	store_set_rules(a->store, &a->rules);
	snprintf(a->calendar_path, sizeof a->calendar_path, _("%s (from the point hub)"), name);
}

int app_open_store(struct app *a, struct am_error *e)
{
	int rc;
	if (a->store)
		return 0;
	/* Only `init` (and restore) make a database: a mistyped --db must not
	 * silently start an empty terminal. */
	struct stat st;
	if (!a->may_create && stat(a->db_path, &st) != 0 && errno == ENOENT)
		return am_fail(e, AM_ENV, _("the database %s does not exist: check --db or 'db' in the config (a new terminal's database is made by 'amanat init')"),
			       a->db_path);
	if ((rc = store_open(a->db_path, &a->store, e)))
		return rc;
	store_set_rules(a->store, &a->rules);
	app_use_hub_calendar(a);
	if (store_meta_get(a->store, "point_id", a->place, sizeof a->place) != 0)
		snprintf(a->place, sizeof a->place, "%s", config_get(a->cfg, "point_id", ""));
	return 0;
}

void app_close(struct app *a)
{
	store_close(a->store);
	calendar_free(a->cal);
	config_free(a->cfg);
	memset(a, 0, sizeof *a);
}

struct event_ctx app_ctx(const struct app *a)
{
	struct event_ctx c = { a->actor, a->place, 0, NULL };
	return c;
}
