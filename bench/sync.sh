#!/bin/sh
# Time to drain 10,000 queued events to the loopback hub with `amanat sync`,
# beside the floor: the same events posted by curl in one request.
set -eu
T=$(mktemp -d); trap 'kill $HUB 2>/dev/null; rm -rf "$T"' EXIT
N=${BENCH_ENVELOPES:-5000}
python3 "$AMANAT_TOP/tests/support/genreg.py" R-SYNC "$N" > "$T/reg.json"
# amanat speaks https only: the hub gets a self-signed certificate made here
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null
TLS="--tls-cert $T/cert.pem --tls-key $T/key.pem"
python3 "$AMANAT_TOP/tests/sync/hub.py" --port-file "$T/port" --db "$T/hub.db" $TLS 2>/dev/null &
HUB=$!
while [ ! -s "$T/port" ]; do sleep 0.02; done
URL="https://127.0.0.1:$(cat "$T/port")"
printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token\n' "$URL" "$T/cert.pem" > "$T/c.conf"
A="$AMANAT_BIN --db $T/a.db --calendar $AMANAT_TOP/assets/calendar/kz-2026.txt --config $T/c.conf"
$A init --device-id BENCH >/dev/null
$A register import "$T/reg.json" >/dev/null
python3 -c "import json; [print(i['waybill']) for i in json.load(open('$T/reg.json'))['items']]" | $A accept R-SYNC - >/dev/null
# the floor's body: the same events in one batch, to a second, empty hub
$A --json events --unsent > "$T/events.json"
python3 - "$T/events.json" > "$T/body.json" <<'PY'
import json, sys
ev = json.load(open(sys.argv[1]))
out = [{"uuid": e["uuid"], "device": e["device"], "seq": e["seq"], "type": e["type"], "waybill": e["waybill"],
        "register": e["register"], "actor": e["actor"], "at_ms": 0, "at": e["at"], "place": e["place"],
        "payload": e["payload"]} for e in ev]
json.dump({"device": "BENCH", "events": out}, sys.stdout)
PY
COUNT=$($A --json events --unsent | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
s=$(date +%s.%N); $A sync >/dev/null; e=$(date +%s.%N)
kill $HUB; wait $HUB 2>/dev/null || true
rm -f "$T/port"
python3 "$AMANAT_TOP/tests/sync/hub.py" --port-file "$T/port" --db "$T/hub2.db" $TLS 2>/dev/null &
HUB=$!
while [ ! -s "$T/port" ]; do sleep 0.02; done
s2=$(date +%s.%N)
curl -s --cacert "$T/cert.pem" -o /dev/null -H 'Authorization: Bearer test-token' -H 'Content-Type: application/json' \
	--data-binary @"$T/body.json" "https://127.0.0.1:$(cat "$T/port")/v1/events"
e2=$(date +%s.%N)
python3 -c "
n=$COUNT; a=$e-$s; b=$e2-$s2
print('amanat sync: %d events drained in %.2f s (%.0f events/s, batches of 500, acks fsync\'d per batch)' % (n, a, n/a))
print('floor (curl, the same events in one request): %.2f s (%.0f events/s)' % (b, n/b))"
