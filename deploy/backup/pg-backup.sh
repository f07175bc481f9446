#!/bin/sh
# A nightly logical backup of the canteen database: pg_dump's custom format (compressed,
# restorable table by table), written under a temporary name and renamed when whole, so a
# half-written dump is never taken for a backup. Dumps older than KEEP_DAYS are removed.
# Connection from the usual PG* variables (PGHOST, PGUSER, PGDATABASE, PGPASSWORD).
set -eu
dir=${BACKUP_DIR:?set BACKUP_DIR}
keep=${KEEP_DAYS:-35}
db=${PGDATABASE:-canteen}
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="$dir/$db-$stamp.dump"
pg_dump --format=custom --compress=6 --no-owner --file="$out.partial" "$db"
mv "$out.partial" "$out"
find "$dir" -name "$db-*.dump" -mtime +"$keep" -delete
echo "backup $out $(wc -c < "$out") bytes"
