# amanat - a plain Makefile.  `make demo` and `make check` do all the set-up.
#
# Layout: src/<module>/*.c build into one static library; src/main.c is the
# binary; tests/<module>/test_*.c are cmocka programs linked with the library;
# tests/<module>/*.sh are shell tests that run the real binary.

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share/amanat
LOCALEDIR ?= $(PREFIX)/share/locale
DESTDIR   ?=
VERSION   := 0.1.0

CC        ?= cc
FUZZ_CC   ?= clang-14
PKGS      := ncursesw formw menuw panelw sqlite3 libcurl libserialport jansson libcrypto
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lzint -lcrypt -lm
WARN      := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wno-format-truncation
DEFS      := -D_GNU_SOURCE -DAMANAT_VERSION='"$(VERSION)"' \
             -DAMANAT_DATADIR='"$(DATADIR)"' -DAMANAT_LOCALEDIR='"$(LOCALEDIR)"'
BASEFLAGS := -std=c11 $(WARN) $(DEFS) -Iinclude

# Three variants: build/release (what is installed), build/asan (what the
# tests run: AddressSanitizer + UndefinedBehaviorSanitizer) and build/fuzz
# (clang's libFuzzer targets of tests/fuzz, with both sanitizers).
VARIANT   ?= release
ifeq ($(VARIANT),asan)
OPTFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else ifeq ($(VARIANT),fuzz)
override CC := $(FUZZ_CC)
BASEFLAGS := $(filter-out -Wno-format-truncation,$(BASEFLAGS))
OPTFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
             -fno-sanitize-recover=undefined
else
OPTFLAGS  := -O2 -g
endif
CFLAGS    ?=
CPPFLAGS  ?=
CFLAGS_ALL = $(BASEFLAGS) $(OPTFLAGS) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(OPTFLAGS) $(LDFLAGS)

B         := build/$(VARIANT)
# src/sync/curl_lazy.c, src/app/lib_lazy.c: only in the amanat binary, which
# loads libcurl when a sync first needs it and libcrypto when an event is
# first hashed (the library, tests and hub link them directly).
LAZY_SRC  := src/sync/curl_lazy.c src/app/lib_lazy.c
LIB_SRC   := $(filter-out src/main.c src/hub/% $(LAZY_SRC),$(wildcard src/*/*.c))
LIB_OBJ   := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRC))
TEST_SRC  := $(wildcard tests/*/test_*.c)
TEST_BIN  := $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRC))
TEST_HELP := $(wildcard tests/support/*.c)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,build/fuzz/fuzz/%,$(FUZZ_SRC))
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))
# amanat-hub (src/hub): its own main, linked with the library's core only,
# libpq and libmicrohttpd.
HUB_OBJ   := $(patsubst src/%.c,$(B)/obj/%.o,$(wildcard src/hub/*.c))
HUB_CFLAGS = $(shell pkg-config --cflags libpq libmicrohttpd 2>/dev/null) -DAMANAT_HUB_DATADIR='"$(PREFIX)/share/amanat-hub"'
HUB_LIBS   = -Wl,--as-needed $(shell pkg-config --libs libpq libmicrohttpd jansson libcrypto libcurl 2>/dev/null) -lpthread
PO        := $(wildcard po/*.po)
MO        := $(patsubst po/%.po,build/locale/%/LC_MESSAGES/amanat.mo,$(PO))

.PHONY: all deps deps-quiet check unit bench bench-bin demo install install-files uninstall clean pot layouts asan asan-tests release locale deb \
        fuzz fuzz-bin lint
.DEFAULT_GOAL := all

all: deps-quiet
	@$(MAKE) --no-print-directory VARIANT=release build/amanat build/release/amanat-hub locale

# ---- the binary -----------------------------------------------------------
build/amanat: $(B)/amanat
	@ln -sf $(VARIANT)/amanat build/amanat

AMANAT_LIBS = -Wl,-O1 -Wl,--as-needed -Wl,--hash-style=gnu $(filter-out -lcurl -lcrypto,$(PKG_LIBS)) -ldl
$(B)/amanat: $(B)/obj/main.o $(patsubst src/%.c,$(B)/obj/%.o,$(LAZY_SRC)) $(B)/libamanat.a
	$(CC) -o $@ $^ $(LDFLAGS_ALL) $(AMANAT_LIBS)

$(B)/amanat-hub: $(HUB_OBJ) $(B)/libamanat.a
	$(CC) -o $@ $(HUB_OBJ) $(B)/libamanat.a $(LDFLAGS_ALL) $(HUB_LIBS)

$(B)/obj/hub/%.o: src/hub/%.c src/hub/hub.h $(wildcard include/amanat/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(HUB_CFLAGS) -c -o $@ $<

$(B)/libamanat.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/obj/%.o: src/%.c $(wildcard include/amanat/*.h) $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

locale: $(MO)
build/locale/%/LC_MESSAGES/amanat.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# the keyboard layouts a wedge scanner types under, from xkb-data
layouts:
	python3 tools/gen-layouts.py > src/core/layouts.inc

pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 -o po/amanat.pot $(wildcard src/*/*.c) src/main.c

# ---- tests ----------------------------------------------------------------
$(B)/tests/%: tests/%.c $(B)/libamanat.a $(TEST_HELP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -Isrc -o $@ $< $(TEST_HELP) $(B)/libamanat.a $(LDFLAGS_ALL) $(PKG_LIBS) -lcmocka

$(B)/bench/%: bench/%.c $(B)/libamanat.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(B)/libamanat.a $(LDFLAGS_ALL) $(PKG_LIBS)

asan:
	@$(MAKE) --no-print-directory VARIANT=asan build/asan/amanat build/asan/amanat-hub asan-tests locale
asan-tests: $(TEST_BIN)
release:
	@$(MAKE) --no-print-directory VARIANT=release build/release/amanat build/release/amanat-hub locale
bench-bin: $(BENCH_BIN)

# `make check`: set-up, then every test under ASan+UBSan (tests/fuzz/fuzz.sh
# runs each fuzz target over its corpus and then for FUZZ_CHECK_SECONDS).
check: deps
	@$(MAKE) --no-print-directory asan release fuzz-bin
	@AMANAT_BIN=$(CURDIR)/build/asan/amanat AMANAT_TESTBIN=$(CURDIR)/build/asan/tests \
	  AMANAT_FUZZBIN=$(CURDIR)/build/fuzz/fuzz sh tests/run-all.sh

# ---- fuzzing --------------------------------------------------------------
# `make fuzz` runs every target for FUZZ_SECONDS (FUZZ=name for one); new
# inputs go to build/fuzz/corpus, crashes to build/fuzz/crashes.
FUZZ_SECONDS ?= 60
fuzz: deps-quiet
	@$(MAKE) --no-print-directory fuzz-bin
	@AMANAT_FUZZBIN=$(CURDIR)/build/fuzz/fuzz AMANAT_FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  AMANAT_FUZZ_LONG=1 AMANAT_FUZZ_ONLY="$(FUZZ)" sh tests/fuzz/fuzz.sh
fuzz-bin:
	@$(MAKE) --no-print-directory VARIANT=fuzz $(FUZZ_BIN)
build/fuzz/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) build/fuzz/libamanat.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -Itests -Isrc -o $@ $< build/fuzz/libamanat.a $(LDFLAGS_ALL) $(PKG_LIBS)
# the hub's reading of an upload (src/hub/batch.c does no I/O) is built in
build/fuzz/fuzz/fuzz_hub_upload: tests/fuzz/fuzz_hub_upload.c src/hub/batch.c src/hub/json_in.c src/hub/upload.c src/hub/hub.h \
		$(wildcard tests/fuzz/*.h) build/fuzz/libamanat.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(HUB_CFLAGS) -fsanitize=fuzzer -Itests -Isrc -o $@ $< src/hub/batch.c src/hub/json_in.c src/hub/upload.c \
	  build/fuzz/libamanat.a $(LDFLAGS_ALL) $(PKG_LIBS)
# the hub's JSON reader, checked against jansson's on every input
build/fuzz/fuzz/fuzz_hub_json: tests/fuzz/fuzz_hub_json.c src/hub/json_in.c src/hub/hub.h \
		$(wildcard tests/fuzz/*.h) build/fuzz/libamanat.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(HUB_CFLAGS) -fsanitize=fuzzer -Itests -Isrc -o $@ $< src/hub/json_in.c \
	  build/fuzz/libamanat.a $(LDFLAGS_ALL) $(PKG_LIBS)

# Only the unit tests (quick while editing).
unit: deps-quiet
	@$(MAKE) --no-print-directory asan
	@AMANAT_BIN=$(CURDIR)/build/asan/amanat AMANAT_TESTBIN=$(CURDIR)/build/asan/tests \
	  AMANAT_ONLY=unit sh tests/run-all.sh

bench: deps
	@$(MAKE) --no-print-directory release
	@$(MAKE) --no-print-directory VARIANT=release bench-bin
	@AMANAT_BIN=$(CURDIR)/build/release/amanat AMANAT_BENCHBIN=$(CURDIR)/build/release/bench \
	  sh bench/run-all.sh

# ---- lint -----------------------------------------------------------------
# cppcheck and clang-tidy over src/, both clean; the checks chosen and the
# ones left out are in .clang-tidy.  .ci/run calls it after make check.
LINT_DEFS := -D_GNU_SOURCE -DAMANAT_VERSION='"$(VERSION)"' -DAMANAT_DATADIR='"$(DATADIR)"' \
             -DAMANAT_LOCALEDIR='"$(LOCALEDIR)"'
lint: deps-quiet
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
	  --inline-suppr --suppress=missingIncludeSystem --library=tests/lint/jansson.cfg \
	  $(LINT_DEFS) -Iinclude -Isrc --template='{file}:{line}: {severity}: {message} [{id}]' src
	@# one file a run: clang-tidy 14 carries analyzer state from one file to
	@# the next (false va_list findings in the second file of a run)
	@bad=""; for f in $(LIB_SRC) src/main.c $(LAZY_SRC) $(wildcard src/hub/*.c); do \
	  echo "clang-tidy $$f"; \
	  clang-tidy-14 --quiet $$f -- -std=c11 $(LINT_DEFS) -Iinclude $(PKG_CFLAGS) $(HUB_CFLAGS) || bad="$$bad $$f"; \
	done; \
	if [ -n "$$bad" ]; then echo "lint: clang-tidy findings in$$bad"; exit 1; fi
	@echo "lint: clean"

# ---- demo -----------------------------------------------------------------
DEMO_DB ?= build/demo/demo.db
demo: deps
	@$(MAKE) --no-print-directory release
	@# the demo's folder is its user's alone (the database holds IINs): amanat
	@# doctor takes it as one person's database
	@mkdir -p -m 0700 $(dir $(DEMO_DB))
	@sh assets/demo/seed.sh build/release/amanat $(DEMO_DB)
	@if [ -t 0 ] && [ -t 1 ]; then \
	  exec build/release/amanat --db $(DEMO_DB) --config assets/demo/amanat.conf ui; \
	else echo "demo database ready: build/release/amanat --db $(DEMO_DB) --config assets/demo/amanat.conf ui"; fi

# ---- set-up ---------------------------------------------------------------
DEBS = $(shell sed -e 's/\#.*//' packaging/deps.txt)
deps:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "amanat: installing missing Debian packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; \
	else echo "amanat: cannot install them: run 'sudo make deps' or 'sudo apt-get install$$missing' and try again" >&2; exit 1; fi; \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing
deps-quiet:
	@for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || { $(MAKE) --no-print-directory deps; exit $$?; }; \
	done

# ---- install --------------------------------------------------------------
install: all install-files
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/calendar $(DESTDIR)$(DATADIR)/forms $(DESTDIR)$(DATADIR)/samples
	install -m 755 build/release/amanat $(DESTDIR)$(BINDIR)/amanat
	install -m 644 assets/calendar/*.txt $(DESTDIR)$(DATADIR)/calendar/
	install -m 644 assets/samples/* $(DESTDIR)$(DATADIR)/samples/
	if ls forms/*.form >/dev/null 2>&1; then install -m 644 forms/*.form $(DESTDIR)$(DATADIR)/forms/; fi
	for mo in $(MO); do lang=$$(echo $$mo | cut -d/ -f3); \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
	  install -m 644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/amanat.mo; done

# ---- the Debian package (packaging/debian) ---------------------------------
# The tree is copied to build/deb/src with packaging/debian as debian/, the
# units and the udev rule placed where debhelper looks, and built there; the
# .deb lands in build/deb/.
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	tar --exclude=./build --exclude=./.git -cf - . | tar -C build/deb/src -xf -
	cp -r packaging/debian build/deb/src/debian
	cp packaging/systemd/amanat-sync.service build/deb/src/debian/amanat.amanat-sync.service
	cp packaging/systemd/amanat-sync.timer build/deb/src/debian/amanat.amanat-sync.timer
	cp packaging/systemd/amanat-hub.service build/deb/src/debian/amanat-hub.service
	cp packaging/udev/60-amanat-scanner.rules build/deb/src/debian/amanat.udev
	cd build/deb/src && dpkg-buildpackage -us -uc -b
	@ls build/deb/*.deb

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/amanat
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build
