#!/bin/sh
# `sync --status` and `sync --dead` as a person reads them on a terminal that
# never synced: "never" and "none", not "- -", and an empty list of dead
# letters says so instead of printing nothing.
. "$(dirname "$0")/../support/testlib.sh"
expect_exit 0 am init --device-id S1
expect_exit 0 am sync --status
assert_contains "$OUT" "last success: never"
assert_contains "$OUT" "last error: none"
case "$OUT" in *"- -"*) fail "placeholders instead of words: $OUT" ;; esac
ok
expect_exit 0 am sync --dead
assert_eq "$OUT" "no dead letters: the upstream has refused nothing"
expect_exit 0 am --json sync --dead
assert_eq "$OUT" "[]"
done_ok
