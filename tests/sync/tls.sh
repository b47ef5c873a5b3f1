#!/bin/sh
# TLS: a self-signed certificate made here; with it as the CA and the right
# public-key pin the upload goes through; a wrong pin, or no CA, is refused.
. "$(dirname "$0")/../support/testlib.sh"
. "$(dirname "$0")/../support/hub.sh"
command -v openssl >/dev/null || { echo "openssl is not installed (make deps)"; exit 77; }
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null || fail "openssl"
PIN="sha256//$(openssl x509 -in "$T/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
hub_start --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
conf() { printf '[sync]\nurl = %s\ntoken = test-token\nattempts = 1\n%s\n' "$HUB_URL" "$1" > "$T/sync.conf"; }
am() { "$AMANAT_BIN" --db "$DB" --calendar "$CAL" --config "$T/sync.conf" "$@"; }
conf ""
expect_exit 0 am init --device-id TLS-1
expect_exit 0 am register import "$SAMPLES/register-inbound.json"
expect_exit 5 am sync                                   # no CA: the certificate is not trusted (set-up: exit 5)
assert_contains "$ERR" "certificate"
conf "cainfo = $T/cert.pem
pin = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
expect_exit 5 am sync                                   # the wrong pin
assert_contains "$ERR" "public key"
conf "cainfo = $T/cert.pem
pin = $PIN"
expect_exit 0 am sync
assert_eq "$(am --json events --unsent | json_get 'len(d)')" 0
# 5 registered, and the two breaches (§10, §17) of the March register, seen today
assert_eq "$(hub_dump | json_get 'len(d["events"])')" 7
done_ok
