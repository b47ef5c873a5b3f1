/* fuzz_form.c - a screen definition, forms/NAME.form (form_parse). */
#include "amanat/ui.h"
#include "ui/form.h"
#include "fuzz/fuzz.h"

static void check_string(const char *s, size_t cap)
{
	fuzz_check(memchr(s, '\0', cap) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct form_def f;
	struct am_error e;
	e.msg[0] = '\0';
	int rc = form_parse(text, "fuzz", &f, &e);
	free(text);
	if (rc) {
		fuzz_check(rc < 0 && e.msg[0]);
		fuzz_check(f.n_fields == 0 && f.n_keys == 0 && !f.title);	/* nothing held */
		return 0;
	}
	fuzz_check(f.n_fields >= 0 && f.n_fields <= FORM_MAX_FIELDS);
	fuzz_check(f.n_keys >= 0 && f.n_keys <= FORM_MAX_KEYS);
	fuzz_check(f.handheld || f.desk);
	fuzz_check(f.title != NULL);	/* human text: any length, malloc'd */
	for (int i = 0; i < f.n_fields; i++) {
		const struct form_field *fd = &f.fields[i];
		check_string(fd->name, sizeof fd->name);
		check_string(fd->validate, sizeof fd->validate);
		fuzz_check(fd->max >= 1 && fd->max <= FORM_FIELD_MAX);
		fuzz_check(fd->kind == FIELD_SCAN || fd->kind == FIELD_TEXT || fd->kind == FIELD_SECRET
			   || fd->kind == FIELD_DATE);
		fuzz_check(form_field_index(&f, fd->name) <= i);
	}
	for (int i = 0; i < f.n_keys; i++) {
		const struct form_key *k = &f.keys[i];
		check_string(k->key_name, sizeof k->key_name);
		fuzz_check(k->key >= 0);
		fuzz_check((int)k->request >= 0 && (int)k->request < REQ_UI__COUNT);
		fuzz_check(strcmp(ui_request_name(k->request), "?") != 0);
	}
	form_free(&f);
	return 0;
}
