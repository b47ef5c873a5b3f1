#!/bin/sh
# Garbage in, a clear refusal out: 300 register files made by mutating the
# samples (bytes flipped, cut short, fields dropped, random binary) are each
# either imported whole or refused whole with exit 1 - never a crash (the
# binary runs under ASan/UBSan in make check), never half a register.
. "$(dirname "$0")/../support/testlib.sh"
expect_exit 0 am init --device-id FUZZ-1
python3 - "$SAMPLES" "$T" <<'PY'
import json, os, random, sys
samples, t = sys.argv[1], sys.argv[2]
rnd = random.Random(2026)
base = [open(os.path.join(samples, f), "rb").read() for f in
        ("register-inbound.json", "register-inbound.csv", "register-return.json")]
for i in range(300):
    b = bytearray(rnd.choice(base))
    kind = i % 5
    if kind == 0:                                   # flip bytes
        for _ in range(rnd.randint(1, 8)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
    elif kind == 1:                                 # cut short
        b = b[: rnd.randrange(len(b))]
    elif kind == 2:                                 # random binary
        b = bytearray(rnd.randrange(256) for _ in range(rnd.randint(0, 3000)))
    elif kind == 3:                                 # duplicate a chunk
        a = rnd.randrange(len(b)); c = rnd.randrange(a, len(b))
        b = b[:c] + b[a:c] + b[c:]
    else:                                           # delete a chunk
        a = rnd.randrange(len(b)); c = rnd.randrange(a, len(b))
        b = b[:a] + b[c:]
    open(os.path.join(t, "f%03d" % i), "wb").write(bytes(b))
PY
imported=0 refused=0
for f in "$T"/f[0-9]*; do
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" --json register import "$f" > "$T/out" 2> "$T/err"
	rc=$?
	case $rc in
	0) imported=$((imported + 1)) ;;
	1) refused=$((refused + 1)); grep -q '"error"' "$T/err" || fail "a refusal without a reason for $f" ;;
	*) fail "exit $rc for $f: $(cat "$T/err")" ;;
	esac
done
echo "imported $imported, refused $refused"
[ "$refused" -gt 200 ] || fail "too few refusals: the mutations did not bite"
ok
# nothing half-imported: every register in the store has all its lines as envelopes
"$AMANAT_BIN" --db "$DB" --calendar "$CAL" --json register list > "$T/regs.json"
for r in $(json_get '" ".join(x["register"] for x in d if x["kind"] == "inbound")' < "$T/regs.json"); do
	"$AMANAT_BIN" --db "$DB" --calendar "$CAL" --json register show "$r" > "$T/show.json"
	[ "$(json_get 'all(i.get("state") for i in d["items"])' < "$T/show.json")" = True ] || fail "$r is half imported"
done
ok
expect_exit 0 am verify
done_ok
