#!/bin/sh
# Start-up loads what the first screen needs: libcurl (src/sync/curl_lazy.c)
# and libcrypto (src/app/lib_lazy.c) are not linked into the binary but
# opened when a sync first runs or an event is first hashed.  The events
# the binary writes through the loaded libcrypto hash as the chain's
# definition says (checked here with Python's own SHA-256), and verify,
# through the same, agrees.
. "$(dirname "$0")/../support/testlib.sh"
command -v readelf >/dev/null || { echo "no readelf"; exit 77; }
needed=$(readelf -d "$AMANAT_BIN" | grep NEEDED)
case "$needed" in *libcrypto*|*libcurl*) fail "linked at start-up: $needed" ;; esac
ok
expect_exit 0 am init --device-id LAZY-1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 0 am accept R-2026-000123 RR402118737KZ
expect_exit 0 am verify
assert_contains "$OUT" "intact"
# each record (seq, uuid, device, type, waybill, register_id, actor, at_ms,
# place, payload, prev_hash, each followed by 0x1f) hashes to the next
# event's prev_hash
python3 - "$DB" <<'PY' || fail "the chain does not hash as SHA-256 of its records"
import hashlib, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT seq, uuid, device, type, waybill, register_id, actor, at_ms, place, payload, prev_hash"
    " FROM event ORDER BY seq").fetchall()
assert len(rows) > 2, rows
for a, b in zip(rows, rows[1:]):
    rec = "".join(str(f) + "\x1f" for f in a).encode()
    assert hashlib.sha256(rec).hexdigest() == b[10], a[0]
PY
ok
done_ok
