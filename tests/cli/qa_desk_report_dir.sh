#!/bin/sh
# `amanat report shift` writes where the configured report_dir says, as the
# shift screen does (README: "the report (report_dir, text and CSV; amanat
# report shift writes the same)"); it wrote into whatever folder the
# supervisor happened to be in, leaving names and IINs there.  --dir wins.
. "$(dirname "$0")/../support/testlib.sh"
am init --device-id D1 --point KP-ALM-007 >/dev/null
am register import "$SAMPLES/register-inbound.json" >/dev/null
printf 'report_dir = %s/reports\n' "$T" > "$T/a.conf"
mkdir "$T/cwd"
(cd "$T/cwd" && am --config "$T/a.conf" report shift >/dev/null) || fail "report shift"
assert_eq "$(ls "$T"/reports/shift-*.txt 2>/dev/null | wc -l)" 1 "(text report in report_dir)"
assert_eq "$(ls "$T"/reports/shift-*.csv 2>/dev/null | wc -l)" 1 "(CSV report in report_dir)"
assert_eq "$(ls "$T/cwd" | wc -l)" 0 "(nothing in the current folder)"
(cd "$T/cwd" && am --config "$T/a.conf" report shift --dir "$T/given" >/dev/null) || fail "report shift --dir"
assert_eq "$(ls "$T"/given/shift-*.txt 2>/dev/null | wc -l)" 1 "(--dir wins over report_dir)"
# without report_dir: the current folder, as before
(cd "$T/cwd" && am report shift >/dev/null) || fail "report shift without config"
assert_eq "$(ls "$T"/cwd/shift-*.txt 2>/dev/null | wc -l)" 1 "(no report_dir: the current folder)"
done_ok
