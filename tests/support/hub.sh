# hub.sh - start the test hub on 127.0.0.1 (sourced after testlib.sh).
# hub_start ARGS...: sets HUB_URL (always https://: amanat refuses http) and
# HUB_CA, the hub's self-signed certificate made here, which a test's config
# names as sync.cainfo; stopped at exit.  With --tls-cert/--tls-key of its
# own a test brings its own certificate (HUB_CA is then that file).
command -v python3 >/dev/null || { echo "python3 is not installed (make deps)"; exit 77; }
HUB_PID=""
cleanup_hooks="$cleanup_hooks hub_stop;"
hub_stop() { [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null; HUB_PID=""; }
hub_cert() {  # hub_cert DIR: DIR/hub-cert.pem and DIR/hub-key.pem for 127.0.0.1
	[ -s "$1/hub-cert.pem" ] && return 0
	command -v openssl >/dev/null || { echo "openssl is not installed (make deps)"; exit 77; }
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$1/hub-key.pem" -out "$1/hub-cert.pem" 2>/dev/null \
		|| fail "openssl could not make the hub's certificate"
}
hub_start() {
	case " $* " in
	*" --tls-cert "*) HUB_CA=$(echo " $* " | sed 's/.* --tls-cert \([^ ]*\) .*/\1/') ;;
	*) hub_cert "$T"; HUB_CA="$T/hub-cert.pem"; set -- "$@" --tls-cert "$T/hub-cert.pem" --tls-key "$T/hub-key.pem" ;;
	esac
	rm -f "$T/hub.port"
	python3 "$AMANAT_TOP/tests/sync/hub.py" --port-file "$T/hub.port" --db "$T/hub.db" "$@" 2>"$T/hub.log" &
	HUB_PID=$!
	i=0
	while [ $i -lt 200 ] && [ ! -s "$T/hub.port" ]; do i=$((i + 1)); sleep 0.02; done
	[ -s "$T/hub.port" ] || fail "the hub did not start: $(cat "$T/hub.log")"
	HUB_URL="https://127.0.0.1:$(cat "$T/hub.port")"
}
hub_dump() { curl -s --cacert "$HUB_CA" "$HUB_URL/dump"; }
# hub_faults F...: queue these faults for the next uploads
hub_faults() {
	list=$(printf '"%s",' "$@"); curl -s --cacert "$HUB_CA" -X POST -d "{\"faults\": [${list%,}]}" "$HUB_URL/control" >/dev/null
}
# hub_control JSON: change the hub's mode, poison list or size limit
hub_control() { curl -sk -X POST -d "$1" "$HUB_URL/control" >/dev/null; }
# hub_stat NAME: one counter of the hub (0 when never counted)
hub_stat() { hub_dump | json_get "d['stats'].get('$1', 0)"; }
# hub_feed_add JSON...: items the hub's GET /v1/feed hands out next (as upstream)
hub_feed_add() {
	list=$(printf '%s,' "$@"); curl -sk -X POST -d "{\"feed\": [${list%,}]}" "$HUB_URL/control" >/dev/null
}
hub_tui_conf() {  # hub_tui_conf [LINE...]: a UI's config (TUI_CONF_EXTRA) that syncs with this hub
	TUI_CONF_EXTRA=$(printf '[sync]\nurl = %s\ncainfo = %s\ntoken = test-token' "$HUB_URL" "$HUB_CA"; for l in "$@"; do printf '\n%s' "$l"; done)
	export TUI_CONF_EXTRA
}
