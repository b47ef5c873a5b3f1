#!/bin/sh
# One acceptance scan committed durably, beside a bare SQLite insert+fsync.
exec "$AMANAT_BENCHBIN/bench_commit"
