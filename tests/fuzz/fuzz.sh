#!/bin/sh
# The libFuzzer targets (tests/fuzz/fuzz_*.c, built by `make fuzz-bin`):
# each runs every input of its corpus tests/fuzz/NAME/ (the seeds and every
# crash found so far: regression inputs), then fuzzes for a bounded time.
#   make check:  $AMANAT_FUZZ_SECONDS (default 10) each, new inputs thrown away
#   make fuzz:   AMANAT_FUZZ_LONG=1, FUZZ_SECONDS each, new inputs kept in
#                build/fuzz/corpus/NAME, crashes in build/fuzz/crashes/NAME
# AMANAT_FUZZ_ONLY="reader sheet" runs only those.
set -u
top=${AMANAT_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${AMANAT_FUZZBIN:-$top/build/fuzz/fuzz}
secs=${AMANAT_FUZZ_SECONDS:-10}
long=${AMANAT_FUZZ_LONG:-}
only=${AMANAT_FUZZ_ONLY:-}
if [ ! -x "$bin/fuzz_reader" ]; then
	echo "the fuzz targets are not built (make fuzz-bin: clang-14, libclang-rt-14-dev)"
	exit 77
fi
# libFuzzer's own leak check and reports; UBSan stops at the first finding
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:abort_on_error=0:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/amanat-fuzz.XXXXXX")
# the sync target's database: in memory when it can be (a crash leaves it)
mem=$(mktemp -d /dev/shm/amanat-fuzz.XXXXXX 2>/dev/null || mktemp -d "$tmp/mem.XXXXXX")
export AMANAT_FUZZ_TMP="$mem"
trap 'rm -rf "$tmp" "$mem"' EXIT
trap 'exit 130' INT TERM
failed=""
for src in "$top"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c); name=${name#fuzz_}
	if [ -n "$only" ]; then
		case " $only " in *" $name "*) ;; *) continue ;; esac
	fi
	target="$bin/fuzz_$name"
	seeds="$top/tests/fuzz/$name"
	[ -x "$target" ] || { echo "FAIL $name: $target not built"; failed="$failed $name"; continue; }
	[ -d "$seeds" ] && [ -n "$(ls "$seeds")" ] || { echo "FAIL $name: no corpus in $seeds"; failed="$failed $name"; continue; }
	# 1. every input of the corpus, one by one: a past crash must stay fixed
	if ! "$target" -rss_limit_mb=2048 -timeout=20 "$seeds"/* >"$tmp/$name.replay" 2>&1; then
		echo "FAIL $name: an input of tests/fuzz/$name crashes again:"
		grep -E 'Running:|ERROR|runtime error|broken promise|SUMMARY' "$tmp/$name.replay" | tail -n 8
		failed="$failed $name"
		continue
	fi
	n=$(ls "$seeds" | wc -l)
	# 2. fuzz for a while, starting from the corpus
	if [ -n "$long" ]; then
		work="$top/build/fuzz/corpus/$name"; crashes="$top/build/fuzz/crashes/$name"
	else
		work="$tmp/corpus-$name"; crashes="$tmp/crashes-$name"
	fi
	mkdir -p "$work" "$crashes"
	start=$(date +%s)
	"$target" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$crashes/" "$work" "$seeds" >"$tmp/$name.log" 2>&1
	rc=$?
	took=$(( $(date +%s) - start ))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$name.log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$tmp/$name.log" | tail -n 1)
	if [ $rc -ne 0 ]; then
		echo "FAIL $name: a new crash after $took s (input kept in $crashes):"
		grep -E 'ERROR|runtime error|broken promise|SUMMARY|Test unit written' "$tmp/$name.log" | tail -n 8
		if [ -z "$long" ]; then
			for f in "$crashes"/*; do
				[ -f "$f" ] && echo "  input (base64): $(base64 -w0 "$f" | cut -c1-2000)"
			done
		fi
		failed="$failed $name"
		continue
	fi
	printf 'ok   %-14s %3d corpus inputs, %4s s, %s runs, %s\n' "$name" "$n" "$took" "${runs:-?}" "${cov:-cov: ?}"
done
if [ -n "$failed" ]; then
	echo "failed:$failed"
	exit 1
fi
exit 0
