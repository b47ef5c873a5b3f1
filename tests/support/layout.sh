# layout.sh - layout_ok DB: the scan path's derived layout holds in DB, read
# by sqlite3 over whole tables: each linked event (schema 25) points at the
# previous linked event of its waybill (0 for the first), each envelope's
# last_seq is its newest linked event, each envelope's clocks (schema 24)
# have ids in its range and a register's below 0, the clocks marked fresh
# (schema 28) are the ones listed in log_head, fewer than 32.  For the kill -9 trials:
# a commit cut anywhere leaves all of it or none.
layout_ok() {
	assert_eq "$(sqlite3 "$1" "SELECT count(*) FROM (SELECT prev_seq, lag(seq, 1, 0) OVER (PARTITION BY waybill
	  ORDER BY seq) AS p FROM event WHERE prev_seq IS NOT NULL) WHERE prev_seq <> p")" 0 "a link of the event lists"
	assert_eq "$(sqlite3 "$1" "SELECT count(*) FROM envelope v LEFT JOIN (SELECT waybill, max(seq) AS m FROM event
	  WHERE prev_seq IS NOT NULL GROUP BY waybill) x USING (waybill) WHERE v.last_seq <> coalesce(x.m, 0)")" 0 \
	  "an envelope's last event"
	assert_eq "$(sqlite3 "$1" "SELECT count(*) FROM clock c LEFT JOIN envelope v ON v.waybill = c.waybill
	  AND c.waybill <> '' WHERE CASE WHEN v.rowid IS NULL THEN c.id >= 0
	  ELSE c.id NOT BETWEEN v.rowid * 1024 AND v.rowid * 1024 + 1023 END")" 0 "a clock's id"
	assert_eq "$(sqlite3 "$1" "SELECT f = j AND l = f AND l < 32 FROM (SELECT
	  (SELECT count(*) FROM clock WHERE fresh = 1) AS f, (SELECT count(*) FROM log_head WHERE kind = -2) AS l,
	  (SELECT count(*) FROM log_head h JOIN clock c ON c.id = h.shift WHERE h.kind = -2 AND c.fresh = 1) AS j)")" 1 \
	  "the fresh clocks' list"
}
