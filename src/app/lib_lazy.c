/*
 * lib_lazy.c - libcrypto loaded when an event is first hashed, not at
 * start-up (the way src/sync/curl_lazy.c loads libcurl).
 *
 * The log-in screen hashes nothing (libcrypto: the SHA-256 of the event
 * chain, store/event.c and store/verify.c); mapping and relocating the
 * library was about a tenth of the CPU from exec to the first drawn screen
 * (0.9 ms of 9).  The amanat binary is linked with this module instead of
 * -lcrypto (Makefile): each function the program calls is defined here with
 * the library's own prototype and forwards to the real one, resolved with
 * dlsym from libcrypto.so.3 (OpenSSL 3's soname) opened on the first call.
 * The library, the tests and the hub link libcrypto directly and never see
 * this file.  (libzint stays linked: its soname changes with each release.)
 *
 * When the library cannot be loaded its functions fail the way they fail
 * for want of memory (NULL, 0), so the caller's own error path reports it;
 * the reason goes to stderr once.  The Debian package depends on it
 * explicitly (packaging/debian/control).
 */
#include <dlfcn.h>
#define OPENSSL_SUPPRESS_DEPRECATED	/* SHA256_Init & co. (store/event.c says why) */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

struct lazy {
	const char *soname;
	const char *const *names;
	int n;
	int tried;		/* 0 not yet, 1 loaded, -1 failed */
	void (*fn[9])(void);
};

/* Open lib and resolve its functions once; 1 when they are all there. */
static int load(struct lazy *lib)
{
	if (lib->tried)
		return lib->tried > 0;
	lib->tried = -1;
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *err = dlerror();
		fprintf(stderr, "amanat: %s cannot be loaded: %s\n", lib->soname, err ? err : "");
		return 0;
	}
	for (int i = 0; i < lib->n; i++) {
		void *sym = dlsym(h, lib->names[i]);
		if (!sym) {
			fprintf(stderr, "amanat: %s has no %s\n", lib->soname, lib->names[i]);
			return 0;
		}
		/* dlsym's object pointer copied into a function pointer: the POSIX way */
		memcpy(&lib->fn[i], &sym, sizeof sym);
	}
	lib->tried = 1;
	return 1;
}

/* ---- libcrypto: the SHA-256 of the event chain ---------------------------- */

enum { C_MD_FETCH, C_CTX_NEW, C_CTX_FREE, C_INIT, C_UPDATE, C_FINAL, C_SHA_INIT, C_SHA_UPDATE, C_SHA_FINAL,
       C__COUNT };
static const char *const crypto_names[C__COUNT] = {
	"EVP_MD_fetch", "EVP_MD_CTX_new", "EVP_MD_CTX_free", "EVP_DigestInit_ex", "EVP_DigestUpdate",
	"EVP_DigestFinal_ex", "SHA256_Init", "SHA256_Update", "SHA256_Final",
};
static struct lazy crypto = { "libcrypto.so.3", crypto_names, C__COUNT, 0, { 0 } };
#define CRYPTO(i, type) ((type)crypto.fn[i])

EVP_MD *EVP_MD_fetch(OSSL_LIB_CTX *ctx, const char *algorithm, const char *properties)
{
	return load(&crypto) ? CRYPTO(C_MD_FETCH, EVP_MD *(*)(OSSL_LIB_CTX *, const char *, const char *))(
				       ctx, algorithm, properties)
			     : NULL;
}

EVP_MD_CTX *EVP_MD_CTX_new(void)
{
	return load(&crypto) ? CRYPTO(C_CTX_NEW, EVP_MD_CTX *(*)(void))() : NULL;
}

void EVP_MD_CTX_free(EVP_MD_CTX *ctx)
{
	if (ctx && crypto.tried > 0)
		CRYPTO(C_CTX_FREE, void (*)(EVP_MD_CTX *))(ctx);
}

int EVP_DigestInit_ex(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl)
{
	return load(&crypto) ? CRYPTO(C_INIT, int (*)(EVP_MD_CTX *, const EVP_MD *, ENGINE *))(ctx, type, impl) : 0;
}

int EVP_DigestUpdate(EVP_MD_CTX *ctx, const void *d, size_t cnt)
{
	return load(&crypto) ? CRYPTO(C_UPDATE, int (*)(EVP_MD_CTX *, const void *, size_t))(ctx, d, cnt) : 0;
}

int EVP_DigestFinal_ex(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s)
{
	return load(&crypto) ? CRYPTO(C_FINAL, int (*)(EVP_MD_CTX *, unsigned char *, unsigned int *))(ctx, md, s)
			     : 0;
}

/* The chain's own hash (store/event.c): deprecated in OpenSSL 3, still there. */
int SHA256_Init(SHA256_CTX *c)
{
	return load(&crypto) ? CRYPTO(C_SHA_INIT, int (*)(SHA256_CTX *))(c) : 0;
}

int SHA256_Update(SHA256_CTX *c, const void *data, size_t len)
{
	return load(&crypto) ? CRYPTO(C_SHA_UPDATE, int (*)(SHA256_CTX *, const void *, size_t))(c, data, len) : 0;
}

int SHA256_Final(unsigned char *md, SHA256_CTX *c)
{
	return load(&crypto) ? CRYPTO(C_SHA_FINAL, int (*)(unsigned char *, SHA256_CTX *))(md, c) : 0;
}
