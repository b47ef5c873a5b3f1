/*
 * layout.c - keyboard layouts from their source (see layout.h).  The
 * tables are generated from xkb-data into layouts.inc.
 */
#include <string.h>
#include "amanat/layout.h"

struct layout_key {
	const char *ch;		/* what the layout gives (UTF-8) */
	char us;		/* what the US layout gives on the same key and level */
	unsigned char level;	/* 0 unshifted, 1 shifted */
	unsigned char alpha;	/* Caps Lock swaps the levels of this key */
	const char *key;	/* the xkb key name */
};

#include "layouts.inc"

static const struct {
	const struct layout_key *keys;
	size_t n;
} tables[KB__COUNT] = {
	[KB_US] = { NULL, 0 },
	[KB_KZ] = { layout_kz, sizeof layout_kz / sizeof layout_kz[0] },
	[KB_RU] = { layout_ru, sizeof layout_ru / sizeof layout_ru[0] },
};

const char *layout_name(enum kb_layout l)
{
	static const char *const names[] = { "us", "kz", "ru" };
	return (unsigned)l < KB__COUNT ? names[l] : "?";
}

/* The entry of layout l whose character starts s, or NULL. */
static const struct layout_key *find(enum kb_layout l, const char *s)
{
	for (size_t i = 0; i < tables[l].n; i++) {
		const char *ch = tables[l].keys[i].ch;	/* never NULL in layouts.inc */
		if (ch && !strncmp(s, ch, strlen(ch)))
			return &tables[l].keys[i];
	}
	return NULL;
}

static const struct layout_key *other_level(enum kb_layout l, const struct layout_key *k)
{
	for (size_t i = 0; i < tables[l].n; i++)
		if (!strcmp(tables[l].keys[i].key, k->key) && tables[l].keys[i].level != k->level)
			return &tables[l].keys[i];
	return NULL;
}

/* Length of the UTF-8 sequence starting with byte c (1 for a bad byte). */
static size_t seq_len(unsigned char c)
{
	return c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

size_t layout_unmap(enum kb_layout l, bool caps, const char *in, char *out, size_t outlen)
{
	size_t o = 0, changed = 0;
	if (!outlen)
		return 0;
	while (*in) {
		const struct layout_key *k = (unsigned)l < KB__COUNT ? find(l, in) : NULL;
		if (k) {
			const struct layout_key *meant = caps && k->alpha ? other_level(l, k) : k;
			if (!meant)
				meant = k;
			if (o + 1 >= outlen)
				break;
			out[o++] = meant->us;
			in += strlen(k->ch);
			changed++;
			continue;
		}
		size_t n = seq_len((unsigned char)*in);
		if (strnlen(in, n) < n)
			n = strnlen(in, n);
		if (o + n >= outlen)
			break;		/* never a part of a character */
		memcpy(out + o, in, n);
		o += n;
		in += n;
	}
	out[o] = '\0';
	return changed;
}

int layout_map(enum kb_layout l, const char *us, char *out, size_t outlen)
{
	size_t o = 0;
	int rc = 0;
	if (!outlen)
		return -1;
	for (; *us; us++) {
		const char *give = NULL;
		char same[2] = { *us, '\0' };
		for (size_t i = 0; (unsigned)l < KB__COUNT && i < tables[l].n && !give; i++)
			if (tables[l].keys[i].us == *us)
				give = tables[l].keys[i].ch;
		if (!give) {
			/* no entry: the key gives the same character, unless the
			 * layout gives that character on another key */
			if (l != KB_US && find(l, same))
				rc = -1;
			give = same;
		}
		size_t n = strlen(give);
		if (o + n >= outlen)
			return -1;
		memcpy(out + o, give, n);
		o += n;
	}
	out[o] = '\0';
	return rc;
}
