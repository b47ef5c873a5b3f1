#!/bin/sh
# Runs every test: the cmocka programs under $AMANAT_TESTBIN, then every shell
# test tests/<module>/*.sh with $AMANAT_BIN pointing at the binary under test.
# A shell test exits 0 (pass), 77 (skipped: says why) or anything else (fail).
# Ends with one line "N passed, N failed[, N skipped]".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${AMANAT_BIN:=$top/build/asan/amanat}"
: "${AMANAT_TESTBIN:=$top/build/asan/tests}"
export AMANAT_BIN AMANAT_TESTBIN
export AMANAT_TOP="$top"
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LC_ALL=C.UTF-8
only="${AMANAT_ONLY:-}"
pass=0; fail=0; skip=0; failed=""
log=$(mktemp -d "${TMPDIR:-/tmp}/amanat-tests.XXXXXX")

run_one() {  # name, command...
	name=$1; shift
	out="$log/$(echo "$name" | tr '/' '_').log"
	start=$(date +%s)
	"$@" >"$out" 2>&1 </dev/null
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); printf 'ok    %-40s %3ss\n' "$name" "$secs" ;;
	77) skip=$((skip + 1)); printf 'skip  %-40s %s\n' "$name" "$(tail -n 1 "$out")" ;;
	*) fail=$((fail + 1)); failed="$failed $name"; printf 'FAIL  %-40s (exit %s)\n' "$name" "$rc"
	   sed -e 's/^/      | /' "$out" | tail -n 60 ;;
	esac
	# cmocka's own summary lines, so a reader sees what each program ran
	grep -E '^\[  (PASSED|FAILED)  \]' "$out" | sed -e 's/^/      /'
}

for t in $(find "$AMANAT_TESTBIN" -type f -name 'test_*' 2>/dev/null | sort); do
	run_one "unit/${t#$AMANAT_TESTBIN/}" "$t"
done
if [ "$only" != unit ]; then
	for t in $(ls "$top"/tests/*/*.sh 2>/dev/null | grep -v '/support/' | sort); do
		rel=${t#$top/tests/}
		run_one "$rel" sh "$t"
	done
fi
rm -rf "$log"
[ -n "$failed" ] && echo "failed:$failed"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
