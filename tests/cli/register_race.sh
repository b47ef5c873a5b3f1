#!/bin/sh
# One truth per register (§18): a technician's `accept --finish` racing the
# clerk's scans on the same database, 50 times.  Whatever order the two
# commits take, the finished register's counts and its discrepancy act agree
# with the event log: no envelope accepted after the finish, none both
# "missing" in the act and accepted.
. "$(dirname "$0")/../support/testlib.sh"
N=${RACES:-50}
i=0
while [ $i -lt $N ]; do
	i=$((i + 1))
	DB="$T/race-$i.db"
	am init --device-id RACE-1 >/dev/null || fail "init"
	am register import "$SAMPLES/register-inbound.json" >/dev/null || fail "import"
	am accept R-2026-000123 RR402118737KZ >/dev/null || fail "first scan"
	am accept R-2026-000123 RR402118745KZ RR402118754KZ RR402118768KZ RR402118771KZ >"$T/scan.out" 2>&1 &
	pid=$!
	am --json accept R-2026-000123 --finish >"$T/finish.out" 2>&1 || fail "finish: $(cat "$T/finish.out")"
	wait $pid
	# the log's truth
	accepted=$(sqlite3 "$DB" "SELECT count(*) FROM envelope WHERE register_id = 'R-2026-000123' AND state = 'accepted'")
	after=$(sqlite3 "$DB" "SELECT count(*) FROM event WHERE type = 'accepted' AND seq > (SELECT seq FROM event WHERE type = 'register_finished')")
	matched=$(sqlite3 "$DB" "SELECT payload ->> 'matched' FROM event WHERE type = 'register_finished'")
	[ "$after" = 0 ] || fail "race $i: $after envelopes accepted after the register was finished"
	[ "$matched" = "$accepted" ] || fail "race $i: the finish counted $matched matched, the log has $accepted accepted"
	both=$(sqlite3 "$DB" "SELECT count(*) FROM act a, json_each(a.body, '\$.missing') m JOIN envelope v ON v.waybill = m.value WHERE v.state = 'accepted'")
	[ "$both" = 0 ] || fail "race $i: the act lists $both accepted envelope(s) as missing"
	ok
done
echo "$N races"
done_ok
