#!/bin/sh
# The postgres-backup service: sets the stanza up (idempotent), then takes a
# full backup every KK_BACKUP_FULL_EVERY_DAYS days (default 7) and an
# incremental one every KK_BACKUP_INTERVAL_SECONDS (default 21600: 6 hours).
# WAL is archived continuously by PostgreSQL itself, so a restore can reach any
# moment since the oldest full backup kept.
set -eu
interval=${KK_BACKUP_INTERVAL_SECONDS:-21600}
full_every=$(( ${KK_BACKUP_FULL_EVERY_DAYS:-7} * 86400 ))
until pgbackrest --stanza=kk stanza-create; do
  echo "pgbackrest-schedule: PostgreSQL is not ready for the stanza yet; trying again in 10 s" >&2
  sleep 10
done
last_full=0
while :; do
  now=$(date +%s)
  if [ $((now - last_full)) -ge "$full_every" ]; then type=full; else type=incr; fi
  if pgbackrest --stanza=kk --type="$type" backup; then
    [ "$type" = full ] && last_full=$now
    pgbackrest --stanza=kk info
  else
    echo "pgbackrest-schedule: the $type backup failed; trying again at the next interval" >&2
  fi
  sleep "$interval"
done
