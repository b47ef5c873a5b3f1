/*
 * fuzz_sync.c - the hub's answers (src/sync/client.c): to a batch of events,
 * the registers download and the postomats download, read by the same code
 * as a real round into a real store (a SQLite file in a temporary folder).
 *
 * Input: byte 0 picks the answer (events 200/400/422, registers,
 * postomats); the rest is the body.  In an events answer "$0" .. "$9" stand
 * for the uuids of the batch that was sent, so that acknowledgements can
 * name real events.
 */
#include <unistd.h>
#include "amanat/app.h"
#include "amanat/store.h"
#include "amanat/sync.h"
#include "fuzz/fuzz.h"

static struct app app;
static struct sync *sync_;
static char dir[256];
static char uuids[10][37];
static size_t n_uuids;
static int notes;

static void write_file(const char *name, const char *text, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static void cleanup(void)
{
	char path[300];
	sync_free(sync_);
	app_close(&app);
	static const char *const names[] = { "a.db", "a.db-wal", "a.db-shm", "a.conf", "cal.txt" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* tests/fuzz/fuzz.sh gives a folder in memory: fsync there is cheap */
	const char *tmp = getenv("AMANAT_FUZZ_TMP");
	if (!tmp || !*tmp)
		tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(dir, sizeof dir, "%s/amanat-fuzz-sync.XXXXXX", tmp);
	if (!mkdtemp(dir))
		abort();
	char cal[300], conf[300], db[300], text[1200];
	struct am_error e;
	write_file("cal.txt", "2026-03-23 off\n2026-03-24 off\n", cal, sizeof cal);
	snprintf(text, sizeof text,
		 "point_id = P-1\nactor = fuzz\ncalendar = %s\n[sync]\nurl = https://127.0.0.1:9\ntoken = fuzz\n"
		 "point = P-1\ncity = Almaty\nbatch = 8\n", cal);
	write_file("a.conf", text, conf, sizeof conf);
	snprintf(db, sizeof db, "%s/a.db", dir);
	if (app_load(&app, conf, db, NULL, &e))
		goto fail;
	app.may_create = true;	/* a new database: only init may make one */
	if (app_open_store(&app, &e) || !(sync_ = sync_new(&app, &e))) {
fail:
		fprintf(stderr, "fuzz_sync: %s\n", e.msg);
		abort();
	}
	atexit(cleanup);
	return 0;
}

static int note_uuid(const struct event_row *r, void *arg)
{
	(void)arg;
	if (n_uuids < 10)
		memcpy(uuids[n_uuids++], r->uuid, 37);
	return 0;
}

/* The batch the answer is to: a few pending events, made when none are. */
static void pending_batch(void)
{
	struct am_error e;
	n_uuids = 0;
	if (store_outbox_batch(app.store, 8, note_uuid, NULL, &e))
		abort();
	for (int i = 0; n_uuids == 0 && i < 3; i++) {
		struct event_ctx ctx = app_ctx(&app);
		char payload[64];
		snprintf(payload, sizeof payload, "{\"note\":\"fuzz %d\"}", ++notes);
		if (store_append_event(app.store, EV_NOTE, NULL, NULL, payload, &ctx, &e))
			abort();
		if (i == 2 && store_outbox_batch(app.store, 8, note_uuid, NULL, &e))
			abort();
	}
}

/* "$0" .. "$9" in the body become the uuids of the batch. */
static char *with_uuids(const uint8_t *p, size_t n, size_t *out_len)
{
	char *out = malloc(n * 19 + 1);	/* "$k" (2 bytes) becomes 36 */
	size_t o = 0;
	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '$' && i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9' && n_uuids) {
			memcpy(out + o, uuids[(size_t)(p[i + 1] - '0') % n_uuids], 36);
			o += 36;
			i++;
		} else {
			out[o++] = (char)p[i];
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_bytes b = { data, size };
	unsigned pick = fuzz_byte(&b) % 5;
	static const long status[] = { 200, 400, 422 };
	struct sync_status before, after;
	sync_status(sync_, &before);
	if (pick < 3) {
		pending_batch();
		size_t len;
		char *body = with_uuids(b.p, b.n, &len);
		sync_take_answer(sync_, SYNC_ANSWER_EVENTS, status[pick], body, len);
		free(body);
	} else {
		sync_take_answer(sync_, pick == 3 ? SYNC_ANSWER_REGISTERS : SYNC_ANSWER_POSTOMATS, 200,
				 (const char *)b.p, b.n);
	}
	sync_status(sync_, &after);
	/* an answer never makes events vanish: each is pending, acked or dead */
	fuzz_check(memchr(after.last_error, '\0', sizeof after.last_error) != NULL);
	fuzz_check(after.dead >= before.dead);
	static unsigned runs;
	if (++runs % 4096 == 0) {	/* the hash chain still holds (a full check: not every run) */
		struct am_error e;
		size_t n;
		fuzz_check(store_verify(app.store, &n, &e) == 0);
	}
	return 0;
}
