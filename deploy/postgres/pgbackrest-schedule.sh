#!/bin/sh
# The postgres-backup service: sets the stanza up (idempotent), then takes a
# full backup every KK_BACKUP_FULL_EVERY_DAYS days (default 7) and an
# incremental one every KK_BACKUP_INTERVAL_SECONDS (default 21600: 6 hours).
# WAL is archived continuously by PostgreSQL itself, so a restore can reach any
# moment since the oldest full backup kept. The age of the newest full backup is
# read from the repository, so a restart of this service does not take a new one.
set -eu
interval=${KK_BACKUP_INTERVAL_SECONDS:-21600}
full_every=$(( ${KK_BACKUP_FULL_EVERY_DAYS:-7} * 86400 ))
until pgbackrest --stanza=kk stanza-create; do
  echo "pgbackrest-schedule: PostgreSQL is not ready for the stanza yet; trying again in 10 s" >&2
  sleep 10
done
# Seconds since the newest full backup in the repository (its label is the time it
# started, YYYYMMDD-HHMMSSF, in this container's time zone); a large number when none.
full_backup_age() {
  label=$(pgbackrest --stanza=kk info | sed -n 's/^ *full backup: \([0-9]\{8\}\)-\([0-9]\{6\}\)F$/\1 \2/p' | tail -n 1)
  started=$(echo "$label" | sed -n 's/^\(....\)\(..\)\(..\) \(..\)\(..\)\(..\)$/\1-\2-\3 \4:\5:\6/p')
  if [ -n "$started" ] && started_at=$(date -d "$started" +%s 2>/dev/null); then
    echo $(( $(date +%s) - started_at ))
  else
    echo 999999999
  fi
}
while :; do
  if [ "$(full_backup_age)" -ge "$full_every" ]; then type=full; else type=incr; fi
  if pgbackrest --stanza=kk --type="$type" backup; then
    pgbackrest --stanza=kk info
  else
    echo "pgbackrest-schedule: the $type backup failed; trying again at the next interval" >&2
  fi
  sleep "$interval"
done
