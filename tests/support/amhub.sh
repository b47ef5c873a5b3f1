# amhub.sh - amanat-hub for the tests (sourced after testlib.sh and pg.sh):
# a throwaway cluster, a self-signed certificate for 127.0.0.1, and hub
# processes on 127.0.0.1 with TLS, stopped at exit.
#   amhub_setup                 cluster started, schema migrated, $CERT/$KEY made
#   amhub_start NAME [ARGS]     serve; sets AMHUB_URL (and AMHUB_URL_NAME)
#   amhub_kill NAME [SIG]       stop one hub process (default TERM)
#   amhub_device ID POINT [COURIER]   prints the new device's token
#   term NAME ARGS...           the amanat terminal NAME (its own database
#                               $T/NAME.db and config $T/NAME.conf)
#   term_conf NAME TOKEN [EXTRA]      write NAME's config for the hub
: "${AMANAT_HUB_BIN:=$(dirname "$AMANAT_BIN")/amanat-hub}"
[ -x "$AMANAT_HUB_BIN" ] || { echo "amanat-hub is not built ($AMANAT_HUB_BIN)"; exit 77; }
command -v openssl >/dev/null || { echo "openssl is not installed (make deps)"; exit 77; }
AMHUB_PIDS=""
cleanup_hooks="$cleanup_hooks amhub_stop_all;"
amhub() { "$AMANAT_HUB_BIN" --db "$PG_CONN" "$@"; }
amhub_setup() {
	pg_start
	amhub migrate 2>>"$T/hub-cli.log" || fail "amanat-hub migrate: $(cat "$T/hub-cli.log")"
	CERT="$T/hub-cert.pem"; KEY="$T/hub-key.pem"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$KEY" -out "$CERT" 2>/dev/null || fail "openssl"
}
amhub_start() {
	name=$1; shift
	rm -f "$T/$name.port"
	"$AMANAT_HUB_BIN" --db "$PG_CONN" serve --listen 127.0.0.1:0 --port-file "$T/$name.port" \
		--tls-cert "$CERT" --tls-key "$KEY" --calendar "$CAL" "$@" 2>>"$T/$name.log" &
	eval "AMHUB_PID_$name=$!"
	AMHUB_PIDS="$AMHUB_PIDS $!"
	i=0
	while [ $i -lt 500 ] && [ ! -s "$T/$name.port" ]; do i=$((i + 1)); sleep 0.02; done
	[ -s "$T/$name.port" ] || fail "amanat-hub did not start: $(cat "$T/$name.log")"
	AMHUB_URL="https://127.0.0.1:$(cat "$T/$name.port")"
	eval "AMHUB_URL_$name=$AMHUB_URL"
}
amhub_kill() {
	eval "pid=\${AMHUB_PID_$1:-}"
	[ -n "$pid" ] && kill -"${2:-TERM}" "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	eval "AMHUB_PID_$1="
	return 0
}
amhub_stop_all() { for p in $AMHUB_PIDS; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done; AMHUB_PIDS=""; }
amhub_device() { amhub device add "$1" --point "$2" ${3:+--courier "$3"} 2>>"$T/hub-cli.log"; }
# hub_get URL_PATH TOKEN / hub_post URL_PATH TOKEN BODY: curl against $AMHUB_URL,
# the body in $T/resp, the HTTP status printed
hub_get() { curl -s --cacert "$CERT" -o "$T/resp" -w '%{http_code}' -H "Authorization: Bearer $2" "$AMHUB_URL$1"; }
hub_post() {
	curl -s --cacert "$CERT" -o "$T/resp" -w '%{http_code}' -H "Authorization: Bearer $2" \
		-H 'Content-Type: application/json' --data-binary "$3" "$AMHUB_URL$1"
}
term_conf() {
	printf '[sync]\nurl = %s\ntoken = %s\ncainfo = %s\nattempts = 1\nbackoff_base_ms = 10\nbackoff_max_ms = 20\n%s\n' \
		"$AMHUB_URL" "$2" "$CERT" "${3:-}" > "$T/$1.conf"
}
term() { name=$1; shift; "$AMANAT_BIN" --db "$T/$name.db" --calendar "$CAL" --config "$T/$name.conf" "$@"; }
# amhub_done: stop the hubs, then fail on any sanitizer report in their logs
amhub_done() {
	amhub_stop_all
	if grep -l -E 'Sanitizer|runtime error' "$T"/*.log >/dev/null 2>&1; then
		grep -h -A 30 -E 'Sanitizer|runtime error' "$T"/*.log | head -60
		fail "amanat-hub: a sanitizer report"
	fi
	done_ok
}
