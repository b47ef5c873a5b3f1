# testlib.sh - shared by the shell tests: a temp dir, a database, checks.
# Source it; it sets $T (temp dir removed at exit), $DB, and `am` (the binary
# under test with --db $DB and the shipped calendar).
set -u
: "${AMANAT_BIN:?AMANAT_BIN must point at the amanat binary}"
: "${AMANAT_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
T=$(mktemp -d "${TMPDIR:-/tmp}/amanat-t.XXXXXX")
DB="$T/amanat.db"
CAL="$AMANAT_TOP/assets/calendar/kz-2026.txt"
SAMPLES="$AMANAT_TOP/assets/samples"
export AMANAT_ACTOR=tester
unset AMANAT_CONFIG AMANAT_DB AMANAT_NOW
cleanup_hooks=""
on_exit() { eval "$cleanup_hooks"; rm -rf "$T"; }
trap on_exit EXIT
trap 'exit 130' INT TERM
checks=0
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { checks=$((checks + 1)); }
# expect_exit CODE CMD...: run, compare the exit code; output in $OUT, $ERR
expect_exit() {
	want=$1; shift
	"$@" >"$T/out" 2>"$T/err"; got=$?
	OUT=$(cat "$T/out"); ERR=$(cat "$T/err")
	[ "$got" = "$want" ] || fail "exit $got, expected $want: $*
stdout: $OUT
stderr: $ERR"
	ok
}
# jq-free JSON field check with python3
json_get() {  # json_get 'expr over d' <<< json
	python3 -c "import json,sys; d=json.load(sys.stdin); r=($1); print(r)"
}
assert_eq() { [ "$1" = "$2" ] || fail "expected '$2', got '$1' ${3:-}"; ok; }
assert_contains() { case "$1" in *"$2"*) ok ;; *) fail "'$2' not in: $1" ;; esac; }
done_ok() { echo "$checks checks passed"; exit 0; }
