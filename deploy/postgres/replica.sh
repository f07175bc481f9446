#!/bin/sh
# The reports' replica: on first start, a base backup of the primary streamed with its WAL
# (pg_basebackup -R writes standby.signal and the connection to follow), then PostgreSQL as a
# hot standby. Reports read here when CANTEEN_REPORTS_DATABASE_URL points at it.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  gosu postgres pg_basebackup --host=db --username=replicator --pgdata="$PGDATA" \
    --wal-method=stream --write-recovery-conf --create-slot --slot=reports_replica --progress
fi
exec gosu postgres postgres -D "$PGDATA" -c hot_standby=on -c archive_mode=off
