# pg.sh - a throwaway PostgreSQL cluster for the hub's tests (sourced after
# testlib.sh).  initdb + pg_ctl in a temp folder, run as an unprivileged
# existing user (uid nobody when the tests run as root: CI does), listening
# only on a Unix socket in that folder.  Stopped and removed at exit.
#   pg_start          sets PG_CONN (a libpq connection string)
#   pg_restart        stop (immediate, as a crash) and start again
#   pg_sql SQL        run SQL, print rows unaligned
# PG_SPEED: server options for speed (default fsync off: tests need no
# durability of the cluster itself; the benchmark sets it empty).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL is not installed (make deps)"; exit 77; }
PG_DIR=$(mktemp -d /tmp/amanat-pg.XXXXXX)
PG_AS=""
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "setpriv is missing"; exit 77; }
	chown nobody "$PG_DIR"
	PG_AS="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups --"
fi
cleanup_hooks="$cleanup_hooks pg_stop; rm -rf \"\$PG_DIR\";"
pg_ctl_() { (cd "$PG_DIR" && $PG_AS env -u PGDATA "$PG_BIN/pg_ctl" -D "$PG_DIR/data" "$@"); }
pg_stop() { [ -f "$PG_DIR/data/postmaster.pid" ] && pg_ctl_ stop -m immediate -w >/dev/null 2>&1; return 0; }
pg_start() {
	if [ ! -d "$PG_DIR/data" ]; then
		(cd "$PG_DIR" && $PG_AS "$PG_BIN/initdb" -D "$PG_DIR/data" -U amanat -A trust \
			--no-sync -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1) \
			|| fail "initdb: $(cat "$PG_DIR/initdb.log")"
	fi
	pg_ctl_ start -w -t 60 -l "$PG_DIR/pg.log" \
		-o "-k $PG_DIR -c listen_addresses='' ${PG_SPEED-"-c fsync=off -c full_page_writes=off"} -c max_connections=60" \
		>/dev/null 2>&1 || fail "PostgreSQL did not start: $(tail -5 "$PG_DIR/pg.log")"
	PG_CONN="host=$PG_DIR dbname=postgres user=amanat"
}
pg_restart() { pg_stop; pg_start; }
pg_sql() { "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$PG_CONN" -c "$1"; }
