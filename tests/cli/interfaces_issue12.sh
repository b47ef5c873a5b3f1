#!/bin/sh
# Issue 12: "the act in the terminal's language and in Russian".  An act the
# CLI draws keeps amanat's own reason in English in the store; its sheet reads
# it in each copy's language (Kazakh, the default, then Russian).  A person's
# own reason (a loss) stays as typed.
. "$(dirname "$0")/../support/testlib.sh"
export AMANAT_NOW="2026-03-20 09:00"
expect_exit 0 am init --device-id D12 --point KP-ALM-007
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 RR402118737KZ RR402118745KZ
expect_exit 0 am --json accept R-2026-000123 --finish
ACT=$(echo "$OUT" | json_get 'd["act"]')
expect_exit 0 am sheet "$ACT" -o "$T/act.txt"
assert_eq "$(grep -c '^Себеп: қабылдау тізілімге сәйкес емес$' "$T/act.txt")" 2 "(the Kazakh copies)"
assert_eq "$(grep -c '^Причина: приёмка не совпадает с реестром$' "$T/act.txt")" 2 "(the Russian copies)"
grep -q 'acceptance does not match' "$T/act.txt" && fail "English reason in the act sheet: $(cat "$T/act.txt")"
ok
# the text of `register show` names the act apart from "finished"
expect_exit 0 am register show R-2026-000123
assert_contains "$OUT" ", $ACT"
# a loss: the reason as typed, in every copy
expect_exit 0 am handover COURIER-7 RR402118737KZ
expect_exit 0 am --json lost RR402118737KZ --reason "acceptance does not match the register (typed)"
LACT=$(echo "$OUT" | json_get 'd["act"]')
expect_exit 0 am sheet "$LACT" -o "$T/loss.txt"
assert_eq "$(grep -c 'acceptance does not match the register (typed)' "$T/loss.txt")" 4
done_ok
