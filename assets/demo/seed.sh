#!/bin/sh
# seed.sh BINARY DBFILE - a fresh demo database, made only through the CLI:
# staff for every role, the sample registers and postomats, and envelopes at
# several steps of their life so that every screen has something to show.
set -eu
bin=$1 db=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
rm -f "$db" "$db-wal" "$db-shm"
am() { "$bin" --db "$db" --config "$top/assets/demo/amanat.conf" "$@" >/dev/null; }
export AMANAT_ACTOR=demo
am init
am staff add CLERK-1 --name "Айгүл С." --role clerk --pin 1111
am staff add COURIER-1 --name "Дәурен К." --role courier --pin 2222
am staff add SUPER-1 --name "Ерлан Б." --role supervisor --pin 3333
am staff add SORT-1 --name "Мадина Т." --role sorting --pin 4444
# the sample registers, formed an hour ago (Almaty, UTC+5), so that the
# deadlines on the screens run from today rather than from the samples' March
# (copies beside the database: its folder is its user's alone)
formed=$(date -u -d "@$(($(date +%s) + 4 * 3600))" +%Y-%m-%dT%H:%M:00+05:00)
umask 077
sed "s/2026-03-19T16:40:00+05:00/$formed/" "$top/assets/samples/register-inbound.json" > "$db.reg.json"
sed "s/2026-03-20T10:15:00+05:00/$formed/" "$top/assets/samples/register-inbound.csv" > "$db.reg.csv"
am register import "$db.reg.json"
am register import "$db.reg.csv"
rm -f "$db.reg.json" "$db.reg.csv"
am postomat import "$top/assets/samples/postomats.json"
# R-2026-000123: accepted, three with the courier (ready to place)
AMANAT_ACTOR=CLERK-1 am accept R-2026-000123 RR402118737KZ RR402118745KZ RR402118754KZ RR402118768KZ
AMANAT_ACTOR=CLERK-1 am handover COURIER-1 RR402118737KZ RR402118745KZ RR402118754KZ
echo "demo database: $db"
echo "log in with badge CLERK-1 / PIN 1111, COURIER-1 / 2222, SUPER-1 / 3333, SORT-1 / 4444"
