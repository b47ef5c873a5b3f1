# hub.sh - start the test hub on 127.0.0.1 (sourced after testlib.sh).
# hub_start ARGS...: sets HUB_URL; stopped at exit.
command -v python3 >/dev/null || { echo "python3 is not installed (make deps)"; exit 77; }
HUB_PID=""
cleanup_hooks="$cleanup_hooks hub_stop;"
hub_stop() { [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null; HUB_PID=""; }
hub_start() {
	scheme=http
	case " $* " in *" --tls-cert "*) scheme=https ;; esac
	rm -f "$T/hub.port"
	python3 "$AMANAT_TOP/tests/sync/hub.py" --port-file "$T/hub.port" --db "$T/hub.db" "$@" 2>"$T/hub.log" &
	HUB_PID=$!
	i=0
	while [ $i -lt 200 ] && [ ! -s "$T/hub.port" ]; do i=$((i + 1)); sleep 0.02; done
	[ -s "$T/hub.port" ] || fail "the hub did not start: $(cat "$T/hub.log")"
	HUB_URL="$scheme://127.0.0.1:$(cat "$T/hub.port")"
}
hub_dump() { curl -sk "$HUB_URL/dump"; }
# hub_faults F...: queue these faults for the next uploads
hub_faults() {
	list=$(printf '"%s",' "$@"); curl -sk -X POST -d "{\"faults\": [${list%,}]}" "$HUB_URL/control" >/dev/null
}
# hub_control JSON: change the hub's mode, poison list or size limit
hub_control() { curl -sk -X POST -d "$1" "$HUB_URL/control" >/dev/null; }
# hub_stat NAME: one counter of the hub (0 when never counted)
hub_stat() { hub_dump | json_get "d['stats'].get('$1', 0)"; }
# hub_feed_add JSON...: items the hub's GET /v1/feed hands out next (as upstream)
hub_feed_add() {
	list=$(printf '%s,' "$@"); curl -sk -X POST -d "{\"feed\": [${list%,}]}" "$HUB_URL/control" >/dev/null
}
