/*
 * curl_lazy.c - libcurl loaded when a sync first needs it, not at start-up.
 *
 * libcurl and what it pulls in (TLS, SSH, LDAP, Kerberos, HTTP/2, IDN:
 * most of the binary's 45 shared libraries) took most of the time from
 * exec to the first drawn screen, for a terminal that may not sync for
 * hours.  The amanat binary is linked with this module instead of -lcurl
 * (Makefile): each of the few curl functions the program calls is defined
 * here with curl's own prototype and forwards to the real one, resolved
 * with dlsym from libcurl.so.4 opened on the first call.  The library and
 * the tests link libcurl directly and never see this file.
 *
 * When libcurl cannot be loaded, every call fails the way curl itself
 * fails (NULL handles, CURLE_FAILED_INIT) and curl_easy_strerror says why,
 * so a sync reports it and the rest of the terminal works on.  The Debian
 * package depends on libcurl4 explicitly (packaging/debian/control).
 */
#define CURL_DISABLE_TYPECHECK	/* we define curl_easy_setopt, not its checking macro */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CURL_SONAME "libcurl.so.4"

/* The functions used (grep -o 'curl_[a-z_]*' src), in one table. */
#define CURL_FUNCS(X) \
	X(global_init) X(global_cleanup) X(easy_init) X(easy_setopt) X(easy_perform) \
	X(easy_getinfo) X(easy_cleanup) X(easy_strerror) X(easy_escape) X(free) \
	X(slist_append) X(slist_free_all) X(multi_init) X(multi_setopt) X(multi_add_handle) \
	X(multi_remove_handle) X(multi_socket_action) X(multi_info_read) X(multi_cleanup)

enum {
#define X(name) F_##name,
	CURL_FUNCS(X)
#undef X
	F__COUNT
};

static const char *const names[F__COUNT] = {
#define X(name) "curl_" #name,
	CURL_FUNCS(X)
#undef X
};

static struct {
	int tried;		/* 0 not yet, 1 loaded, -1 failed */
	char why[256];
	void (*fn[F__COUNT])(void);
} lib;

/* A function as the type it has (any function pointer converts to any
 * other and back). */
#define FN(name, type) ((type)lib.fn[F_##name])

static int load(void)
{
	if (lib.tried)
		return lib.tried > 0;
	lib.tried = -1;
	void *h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *err = dlerror();
		snprintf(lib.why, sizeof lib.why, "libcurl cannot be loaded: %s", err ? err : CURL_SONAME);
		return 0;
	}
	for (int i = 0; i < F__COUNT; i++) {
		void *sym = dlsym(h, names[i]);
		if (!sym) {
			snprintf(lib.why, sizeof lib.why, "libcurl has no %s", names[i]);
			return 0;
		}
		/* dlsym's object pointer copied into a function pointer: the POSIX way */
		memcpy(&lib.fn[i], &sym, sizeof sym);
	}
	lib.tried = 1;
	return 1;
}

CURLcode curl_global_init(long flags)
{
	return load() ? FN(global_init, CURLcode (*)(long))(flags) : CURLE_FAILED_INIT;
}

void curl_global_cleanup(void)
{
	if (lib.tried > 0)
		FN(global_cleanup, void (*)(void))();
}

CURL *curl_easy_init(void)
{
	return load() ? FN(easy_init, CURL *(*)(void))() : NULL;
}

/* curl reads the one value after the option by the option's type range
 * (curl.h: CURLOPTTYPE_*); the same ranges serve curl_multi_setopt. */
#define FORWARD_OPTION(call, handle, option, ap) \
	if ((option) < CURLOPTTYPE_OBJECTPOINT) \
		return call(handle, option, va_arg(ap, long)); \
	if ((option) < CURLOPTTYPE_FUNCTIONPOINT) \
		return call(handle, option, va_arg(ap, void *)); \
	if ((option) < CURLOPTTYPE_OFF_T) \
		return call(handle, option, va_arg(ap, void (*)(void))); \
	if ((option) < CURLOPTTYPE_BLOB) \
		return call(handle, option, va_arg(ap, curl_off_t)); \
	return call(handle, option, va_arg(ap, void *))

static CURLcode easy_setopt(CURL *curl, CURLoption option, va_list ap)
{
	CURLcode (*call)(CURL *, CURLoption, ...) = FN(easy_setopt, CURLcode (*)(CURL *, CURLoption, ...));
	FORWARD_OPTION(call, curl, option, ap);
}

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
	if (!load())
		return CURLE_FAILED_INIT;
	va_list ap;
	va_start(ap, option);
	CURLcode rc = easy_setopt(curl, option, ap);
	va_end(ap);
	return rc;
}

CURLcode curl_easy_perform(CURL *curl)
{
	return load() ? FN(easy_perform, CURLcode (*)(CURL *))(curl) : CURLE_FAILED_INIT;
}

/* Every CURLINFO_* takes one pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
	if (!load())
		return CURLE_FAILED_INIT;
	va_list ap;
	va_start(ap, info);
	void *out = va_arg(ap, void *);
	va_end(ap);
	return FN(easy_getinfo, CURLcode (*)(CURL *, CURLINFO, ...))(curl, info, out);
}

void curl_easy_cleanup(CURL *curl)
{
	if (lib.tried > 0)
		FN(easy_cleanup, void (*)(CURL *))(curl);
}

const char *curl_easy_strerror(CURLcode code)
{
	if (!load())
		return lib.why;
	return FN(easy_strerror, const char *(*)(CURLcode))(code);
}

char *curl_easy_escape(CURL *curl, const char *string, int length)
{
	return load() ? FN(easy_escape, char *(*)(CURL *, const char *, int))(curl, string, length) : NULL;
}

void curl_free(void *p)
{
	if (lib.tried > 0)
		FN(free, void (*)(void *))(p);
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data)
{
	return load() ? FN(slist_append, struct curl_slist *(*)(struct curl_slist *, const char *))(list, data)
		      : NULL;
}

void curl_slist_free_all(struct curl_slist *list)
{
	if (lib.tried > 0)
		FN(slist_free_all, void (*)(struct curl_slist *))(list);
}

CURLM *curl_multi_init(void)
{
	return load() ? FN(multi_init, CURLM *(*)(void))() : NULL;
}

static CURLMcode multi_setopt(CURLM *multi, CURLMoption option, va_list ap)
{
	CURLMcode (*call)(CURLM *, CURLMoption, ...) = FN(multi_setopt, CURLMcode (*)(CURLM *, CURLMoption, ...));
	FORWARD_OPTION(call, multi, option, ap);
}

CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...)
{
	if (!load())
		return CURLM_INTERNAL_ERROR;
	va_list ap;
	va_start(ap, option);
	CURLMcode rc = multi_setopt(multi, option, ap);
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_add_handle(CURLM *multi, CURL *curl)
{
	return load() ? FN(multi_add_handle, CURLMcode (*)(CURLM *, CURL *))(multi, curl) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_remove_handle(CURLM *multi, CURL *curl)
{
	return load() ? FN(multi_remove_handle, CURLMcode (*)(CURLM *, CURL *))(multi, curl) : CURLM_INTERNAL_ERROR;
}

CURLMcode curl_multi_socket_action(CURLM *multi, curl_socket_t s, int ev_bitmask, int *running)
{
	return load() ? FN(multi_socket_action, CURLMcode (*)(CURLM *, curl_socket_t, int, int *))(multi, s, ev_bitmask,
												    running)
		      : CURLM_INTERNAL_ERROR;
}

CURLMsg *curl_multi_info_read(CURLM *multi, int *msgs_in_queue)
{
	return load() ? FN(multi_info_read, CURLMsg *(*)(CURLM *, int *))(multi, msgs_in_queue) : NULL;
}

CURLMcode curl_multi_cleanup(CURLM *multi)
{
	return lib.tried > 0 ? FN(multi_cleanup, CURLMcode (*)(CURLM *))(multi) : CURLM_OK;
}
