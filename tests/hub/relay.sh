#!/bin/sh
# The relay to upstream under faults, against the Python test hub standing in
# for the upstream system (it stores by uuid and counts what it receives):
#  - the hub is killed (-9) while upstream holds its batch unanswered (stored,
#    the answer stalled): restarted, it sends the batch again, upstream answers
#    duplicate, and every status is stored upstream exactly once;
#  - an event upstream refuses for good becomes a dead letter: counted in
#    /metrics, listed by `amanat-hub upstream dead`, put back by `upstream
#    resend` (and refused again: the refusal is permanent).
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/pg.sh"
. "$(dirname "$0")/../support/amhub.sh"
. "$(dirname "$0")/../support/hub.sh"
amhub_setup
hub_start --tls-cert "$CERT" --tls-key "$KEY" --token upstream-secret --stall-s 3 --reject RR402118745KZ:accepted
printf 'upstream-secret\n' > "$T/upstream.token"
UP="--upstream $HUB_URL --upstream-token-file $T/upstream.token --upstream-cainfo $CERT --upstream-interval-ms 100"
expect_exit 0 amhub register import "$SAMPLES/register-inbound.json"
DESK=$(amhub_device DESK-1 KP-ALM-007) || fail "device add"
amhub_start A			# no relay yet: the events wait in the outbox
term_conf desk "$DESK" "point = KP-ALM-007"
expect_exit 0 term desk init --device-id DESK-1 --point KP-ALM-007
expect_exit 0 term desk sync
expect_exit 0 term desk accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ
expect_exit 0 term desk sync
N=$(pg_sql "SELECT count(*) FROM event WHERE upstream = 0")
[ "$N" -gt 3 ] || fail "only $N events to relay"
ok
# wait_for DESCRIPTION CMD...: poll up to 20 s
wait_for() {
	what=$1; shift; i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 200 ] || fail "waited in vain for $what"; sleep 0.1
	done; ok
}
# 1. killed while upstream holds the batch: stored there, not acknowledged here
amhub_kill A
hub_faults stall
amhub_start A $UP
stored_upstream() { [ "$(hub_dump | json_get 'len(d["events"])')" -gt 0 ]; }
wait_for "upstream to store the batch" stored_upstream
amhub_kill A KILL
assert_eq "$(pg_sql "SELECT count(*) FROM event WHERE upstream = 0")" "$N"     # nothing acknowledged
STORED=$(hub_dump | json_get 'len(d["events"])')
assert_eq "$STORED" "$((N - 1))"							# all but the refused one
# restarted: the batch again; upstream answers duplicate, the refused one is dead
amhub_start A $UP
drained() { [ "$(pg_sql "SELECT count(*) FROM event WHERE upstream = 0")" = 0 ]; }
wait_for "the outbox to drain" drained
assert_eq "$(hub_dump | json_get 'len(d["events"]), len(set(e["uuid"] for e in d["events"]))')" "($((N - 1)), $((N - 1)))"
assert_eq "$(hub_stat duplicates_received)" "$((N - 1))"
assert_eq "$(pg_sql "SELECT upstream, count(*) FROM event WHERE upstream IN (1, 2) GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" "1|$((N - 1)) 2|1 "
# every status relayed once: the types upstream holds are the desk's, once each
assert_eq "$(hub_dump | json_get 'sorted(e["uuid"] for e in d["events"])')" \
	"$(pg_sql "SELECT uuid FROM event WHERE upstream = 1 ORDER BY uuid" | python3 -c 'import sys; print(sorted(l.strip() for l in sys.stdin if l.strip()))')"
# 2. the dead letter: in the metrics and the listing
curl -s --cacert "$CERT" "$AMHUB_URL/metrics" > "$T/metrics"
assert_contains "$(cat "$T/metrics")" "amanat_hub_upstream_dead 1"
assert_contains "$(cat "$T/metrics")" "amanat_hub_upstream_backlog 0"
expect_exit 0 amhub upstream dead
assert_eq "$(echo "$OUT" | tail -n +2 | cut -f3-6)" "KP-ALM-007	DESK-1	accepted	RR402118745KZ"
assert_contains "$OUT" "refused by the test hub"
DEAD=$(echo "$OUT" | tail -n +2 | cut -f2)
expect_exit 2 amhub upstream resend not-a-uuid
expect_exit 1 amhub upstream resend 00000000-0000-4000-8000-000000000000
expect_exit 0 amhub upstream resend "$DEAD"
dead_again() { [ "$(pg_sql "SELECT upstream FROM event WHERE uuid = '$DEAD'")" = 2 ]; }
wait_for "the resent event to be refused again" dead_again
assert_eq "$(hub_dump | json_get 'len(d["events"])')" "$((N - 1))"
amhub_done
