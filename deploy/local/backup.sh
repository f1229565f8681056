#!/usr/bin/env bash
# Backups of the local stack's PostgreSQL with pgBackRest (Debian's package):
# full and incremental backups plus every WAL segment archived, so the cluster
# can be restored to any point in time since the oldest kept full backup.
#
#   backup.sh init                 set backups up (the stanza) on the running cluster
#   backup.sh full|incr            take a backup (`make backup` runs incr, full when none exists)
#   backup.sh info [--output=json] the backups kept and the WAL range they cover
#   backup.sh check                close the current WAL segment and wait until it is archived
#   backup.sh restore --time T [--to DIR --port N]
#                                  restore to time T (e.g. '2026-12-02 14:00:00+07'): without --to,
#                                  the stack's cluster is stopped, its data moved aside and replaced;
#                                  with --to, a copy starts beside it in DIR on port N
#   backup.sh stop-copy --to DIR   stop a copy started by restore --to
#   backup.sh configure            (stack.sh runs it at each start) the archiving settings
#
# The repository is KK_BACKUP_REPO (default: backup/ beside the cluster); keep it on
# another disk, or point pgBackRest at the archive's S3 target (see deploy/README.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

KK_BACKUP_REPO="${KK_BACKUP_REPO:-$KK_PG_HOME/backup}"
KK_BACKUP_KEEP_FULL="${KK_BACKUP_KEEP_FULL:-2}"
CONF="$KK_PG_HOME/pgbackrest.conf"

# pgBackRest as the cluster's user, signing in to PostgreSQL with kk's password file.
pgbr() { as_pg env PGPASSFILE="$KK_PG_HOME/pgpass" pgbackrest --config="$CONF" --stanza=kk "$@"; }

configure() {
  command -v pgbackrest >/dev/null || kk_die "pgbackrest is not installed: run \`make setup\`"
  [ -f "$KK_PG_DATA/PG_VERSION" ] || kk_die "no cluster in $KK_PG_DATA: run \`make up\` first"
  local owner; owner=$(pg_user)
  mkdir -p "$KK_BACKUP_REPO" "$KK_PG_HOME/pgbackrest"
  chown "$owner:" "$KK_BACKUP_REPO" "$KK_PG_HOME/pgbackrest"
  chmod 700 "$KK_BACKUP_REPO"
  cat > "$CONF" <<CONF
[global]
repo1-path=$KK_BACKUP_REPO
repo1-retention-full=$KK_BACKUP_KEEP_FULL
start-fast=y
compress-type=lz4
log-path=$KK_PG_HOME/pgbackrest
lock-path=$KK_PG_HOME/pgbackrest
spool-path=$KK_PG_HOME/pgbackrest
log-level-console=warn
log-level-file=info

[kk]
pg1-path=$KK_PG_DATA
pg1-port=$KK_PG_PORT
pg1-socket-path=$KK_PG_HOME
pg1-user=kk
pg1-database=postgres
CONF
  (umask 077; printf '*:*:*:kk:%s\n' "$(cat "$KK_PG_PASSWORD_FILE")" > "$KK_PG_HOME/pgpass")
  install -m 755 "$KK_ROOT/deploy/local/pgbackrest-archive-push.sh" "$KK_PG_HOME/pgbackrest-archive-push.sh"
  cat > "$KK_PG_DATA/kk-archiving.conf" <<CONF
# Written by deploy/local/backup.sh configure at each start: WAL goes to pgBackRest.
archive_mode = on
archive_command = '$KK_PG_HOME/pgbackrest-archive-push.sh %p'
archive_timeout = 300
CONF
  grep -q "kk-archiving.conf" "$KK_PG_DATA/postgresql.conf" \
    || echo "include_if_exists = 'kk-archiving.conf'" >> "$KK_PG_DATA/postgresql.conf"
  chown "$owner:" "$CONF" "$KK_PG_HOME/pgpass" "$KK_PG_HOME/pgbackrest-archive-push.sh" "$KK_PG_DATA/kk-archiving.conf"
}

running() { as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" status >/dev/null 2>&1; }

archiving_on() {
  local mode
  mode=$(PGPASSWORD="$(cat "$KK_PG_PASSWORD_FILE")" psql -w -h 127.0.0.1 -p "$KK_PG_PORT" -U kk -d postgres -tAq -c "SHOW archive_mode" </dev/null)
  [ "$mode" = on ] || kk_die "the cluster runs with archive_mode=$mode: it was started before backups were configured; restart it (\`make down && make up\`)"
}

init() {
  running || kk_die "the cluster is not running: \`make up\` first"
  configure
  archiving_on
  pgbr stanza-create >/dev/null
  touch "$KK_PG_HOME/backups-enabled" && chown "$(pg_user)" "$KK_PG_HOME/backups-enabled"
  pgbr check >/dev/null
  kk_log "backups set up: repository $KK_BACKUP_REPO, WAL archived from now on"
}

backup() {
  [ -f "$KK_PG_HOME/backups-enabled" ] || init
  local type=$1
  kk_log "taking a $type backup of the cluster in $KK_PG_DATA"
  pgbr backup --type="$type"
  pgbr info
}

restore() {
  local time="" to="" port=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --time) time=$2; shift 2 ;;
      --to) to=$2; shift 2 ;;
      --port) port=$2; shift 2 ;;
      *) kk_die "restore: unknown argument '$1' (see the top of $0)" ;;
    esac
  done
  [ -n "$time" ] || kk_die "restore needs --time, e.g. --time '2026-12-02 14:00:00+07' (\`backup.sh info\` shows what the backups cover)"
  [ -f "$KK_PG_HOME/backups-enabled" ] || kk_die "no backups were set up for this cluster (\`make backup\` first)"
  local target=$KK_PG_DATA
  if [ -n "$to" ]; then
    [ -n "$port" ] || kk_die "restore --to needs --port for the copy"
    [ ! -e "$to" ] || [ -z "$(ls -A "$to")" ] || kk_die "$to is not empty"
    mkdir -p "$to" && chown "$(pg_user)" "$to" && chmod 700 "$to"
    target=$to
  else
    if running; then kk_log "stopping the cluster"; as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" -m fast -w stop >/dev/null; fi
    local aside; aside="$KK_PG_DATA.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$KK_PG_DATA" "$aside"
    kk_log "the data as it was is kept in $aside"
    mkdir -p "$KK_PG_DATA" && chown "$(pg_user)" "$KK_PG_DATA" && chmod 700 "$KK_PG_DATA"
    port=$KK_PG_PORT
  fi
  kk_log "restoring to $time into $target"
  pgbr restore --pg1-path="$target" --type=time --target="$time" --target-action=promote
  # A copy does not archive: its WAL would mix with the cluster's own.
  local options="-p $port -c max_connections=1000"
  [ -n "$to" ] && options="$options -c archive_mode=off -c unix_socket_directories=$target"
  touch "$target.log" 2>/dev/null && chown "$(pg_user)" "$target.log" || true
  without_inherited_fds as_pg "$KK_PG_BIN/pg_ctl" -D "$target" -l "$target.log" -o "$options" -w -t 300 start >/dev/null \
    || kk_die "the restored cluster did not start; see $target.log"
  # Recovery replays WAL up to the target, then promotes: wait for that.
  local i state
  for i in $(seq 1 600); do
    state=$(PGPASSWORD="$(cat "$KK_PG_PASSWORD_FILE")" psql -w -h 127.0.0.1 -p "$port" -U kk -d postgres -tAq \
      -c "SELECT pg_is_in_recovery()" </dev/null 2>/dev/null || true)
    [ "$state" = f ] && break
    sleep 0.5
  done
  [ "$state" = f ] || kk_die "the restored cluster is still recovering after 5 minutes; see $target.log"
  kk_log "restored to $time: PostgreSQL on 127.0.0.1:$port, data in $target"
}

case "${1:-}" in
  configure) configure ;;
  init) init ;;
  full|incr) backup "$1" ;;
  auto) if [ -f "$KK_PG_HOME/backups-enabled" ] && pgbr info --output=json | grep -q '"type":"full"'; then backup incr; else backup full; fi ;;
  info) shift; pgbr info "$@" ;;
  check) pgbr check ;;
  restore) shift; restore "$@" ;;
  stop-copy) [ "${2:-}" = --to ] && [ -n "${3:-}" ] || kk_die "usage: $0 stop-copy --to DIR"
             as_pg "$KK_PG_BIN/pg_ctl" -D "$3" -m fast -w stop >/dev/null ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
