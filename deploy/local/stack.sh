#!/usr/bin/env bash
# The local stack: PostgreSQL (a cluster of the project's own) and the Tansu
# broker, later every service, run in the background with data, logs and pid
# files under .run/ (as root, PostgreSQL's cluster under /var/lib/kk-sop: see
# env.sh). Usage: stack.sh up|down|status|env|purge|stop-services|postgres-up|postgres-down
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

LOGS="$KK_RUN/logs"
PIDS="$KK_RUN/pids"
mkdir -p "$LOGS" "$PIDS"

pg_init() {
  if [ -f "$KK_PG_DATA/PG_VERSION" ]; then pg_password_recover; return; fi
  kk_log "creating the PostgreSQL cluster in $KK_PG_DATA (port $KK_PG_PORT)"
  mkdir -p "$KK_PG_HOME"
  [ -f "$KK_PG_PASSWORD_FILE" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$KK_PG_PASSWORD_FILE")
  mkdir -p "$KK_PG_DATA"
  chmod 700 "$KK_PG_HOME"
  chown -R "$(pg_user)" "$KK_PG_HOME"
  as_pg test -w "$KK_PG_DATA" || kk_die "user $(pg_user) cannot write $KK_PG_DATA; set KK_PG_HOME to a folder it can reach"
  as_pg "$KK_PG_BIN/initdb" -D "$KK_PG_DATA" -U kk --pwfile="$KK_PG_PASSWORD_FILE" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 \
    || kk_die "initdb failed; see $LOGS/initdb.log"
  cat >> "$KK_PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $KK_PG_PORT
unix_socket_directories = '$KK_PG_HOME'
fsync = on
CONF
}

# A cluster whose password file is gone (made before the file moved beside it,
# or its folder's .run/ removed): the file is taken from its old place, or the
# superuser gets a new password in single-user mode, with the server stopped.
# Without this, every client would ask for a password nobody has.
pg_password_recover() {
  [ -s "$KK_PG_PASSWORD_FILE" ] && return
  if [ -s "$KK_RUN/postgres/password" ]; then
    install -m 600 "$KK_RUN/postgres/password" "$KK_PG_PASSWORD_FILE"
    return
  fi
  kk_log "the cluster in $KK_PG_DATA has no password file: setting a new password for its superuser kk"
  if as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" status >/dev/null 2>&1; then
    as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" -m fast -w stop >/dev/null
  fi
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  echo "ALTER ROLE kk PASSWORD '$password';" \
    | as_pg "$KK_PG_BIN/postgres" --single -D "$KK_PG_DATA" postgres >"$LOGS/password-reset.log" 2>&1 \
    || kk_die "PostgreSQL refused the new password in single-user mode; see $LOGS/password-reset.log, or remove the cluster with \`bash deploy/local/stack.sh purge\`"
  (umask 077; printf '%s' "$password" > "$KK_PG_PASSWORD_FILE")
}

# Every client call: the password from the file, never a prompt (no terminal
# answers one here, and createdb would ask again forever).
pg_client() { local tool=$1; shift; PGPASSWORD="$(cat "$KK_PG_PASSWORD_FILE")" "$tool" -w -h 127.0.0.1 -p "$KK_PG_PORT" -U kk "$@" </dev/null; }

pg_up() {
  pg_init
  if as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" status >/dev/null 2>&1; then return; fi
  port_open "$KK_PG_PORT" && kk_die "port $KK_PG_PORT is already in use by another process (another checkout's stack? run \`make down\` there), or choose another with KK_PG_PORT"
  kk_log "starting PostgreSQL on 127.0.0.1:$KK_PG_PORT"
  touch "$KK_PG_LOG" && chown "$(pg_user)" "$KK_PG_LOG"
  [ "$KK_PG_LOG" = "$LOGS/postgres.log" ] || ln -sfn "$KK_PG_LOG" "$LOGS/postgres.log"
  # WAL archiving for backups (backup.sh): on from the first start; segments are kept once `make backup` set backups up.
  bash "$KK_ROOT/deploy/local/backup.sh" configure
  # The port is given at each start, so KK_PG_PORT holds for a cluster made with another one;
  # so is the connection limit: `make test` runs several stacks of daemons at once, each with its pools.
  without_inherited_fds as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" -l "$KK_PG_LOG" -o "-p $KK_PG_PORT -c max_connections=1000" -w -t 60 start >/dev/null \
    || kk_die "PostgreSQL did not start; see $KK_PG_LOG"
  # The application database, created once.
  local exists
  exists=$(pg_client psql -d postgres -tAq -c "SELECT 1 FROM pg_database WHERE datname = 'kk'") \
    || kk_die "PostgreSQL refused kk's password from $KK_PG_PASSWORD_FILE; see $KK_PG_LOG (\`bash deploy/local/stack.sh purge\` removes the cluster and its data)"
  [ "$exists" = 1 ] || pg_client createdb kk
  # Each service connects as a role of its own (its grants come from the
  # migrations); on this machine the roles share kk's password.
  local password role
  password=$(cat "$KK_PG_PASSWORD_FILE")
  for role in kk_gateway kk_intake kk_entry kk_verify kk_sign kk_deliver kk_archive kk_admin; do
    pg_client psql -d postgres -tAq -v ON_ERROR_STOP=1 \
      -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN CREATE ROLE $role; END IF; END \$\$" \
      -c "ALTER ROLE $role LOGIN PASSWORD '$password'" >/dev/null
  done
}

# The local secrets services read from files: the applicants' pseudonym key
# and the archive copies' key, random, made once, 0600, beside the cluster
# (keys an earlier version kept in .run/secrets move there). A cluster that
# already holds applicants but lost its key gets a new one: the demo then runs
# `kk-admin rekey-applicants`, the operator's step for a new key.
secrets_init() {
  mkdir -p "$KK_LOCAL_SECRETS" && chmod 700 "$KK_LOCAL_SECRETS"
  for key in "$KK_LOCAL_PSEUDONYM_KEY" "$KK_LOCAL_ARCHIVE_KEY"; do
    [ -f "$key" ] && continue
    if [ -s "$KK_RUN/secrets/$(basename "$key")" ]; then
      install -m 600 "$KK_RUN/secrets/$(basename "$key")" "$key"
    else
      (umask 077; head -c 48 /dev/urandom | base64 | tr -d '/+=\n' > "$key")
    fi
  done
}

pg_down() {
  [ -f "$KK_PG_DATA/PG_VERSION" ] || return 0
  if as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" status >/dev/null 2>&1; then
    kk_log "stopping PostgreSQL"
    as_pg "$KK_PG_BIN/pg_ctl" -D "$KK_PG_DATA" -m fast -w stop >/dev/null
  fi
}

pg_status() {
  if PGPASSWORD="$(cat "$KK_PG_PASSWORD_FILE" 2>/dev/null)" "$KK_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$KK_PG_PORT" 2>/dev/null; then
    echo "postgres   up     127.0.0.1:$KK_PG_PORT  data $KK_PG_DATA"
  else
    echo "postgres   down"
    return 1
  fi
}

alive() { [ -f "$PIDS/$1.pid" ] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

broker_up() {
  alive tansu && return
  [ -x "$KK_TANSU_BIN" ] || kk_die "the broker is not installed; run deploy/local/setup.sh (make setup)"
  port_open "$KK_KAFKA_PORT" && kk_die "port $KK_KAFKA_PORT is already in use by another process (another checkout's stack? run \`make down\` there), or choose another with KK_KAFKA_PORT"
  kk_log "starting the Tansu broker on 127.0.0.1:$KK_KAFKA_PORT (topics in memory)"
  nohup "$KK_TANSU_BIN" broker \
    --listener-url "tcp://127.0.0.1:$KK_KAFKA_PORT" \
    --advertised-listener-url "tcp://127.0.0.1:$KK_KAFKA_PORT" \
    --storage-engine "memory://tansu/" >>"$LOGS/tansu.log" 2>&1 &
  echo $! > "$PIDS/tansu.pid"
  for _ in $(seq 1 100); do
    port_open "$KK_KAFKA_PORT" && return
    alive tansu || kk_die "the broker exited at start; see $LOGS/tansu.log"
    sleep 0.1
  done
  kk_die "the broker did not open port $KK_KAFKA_PORT within 10 s; see $LOGS/tansu.log"
}

# The services `make demo` started (every pid file but the broker's).
stop_services() {
  local file name
  for file in "$PIDS"/*.pid; do
    [ -e "$file" ] || continue
    name=$(basename "$file" .pid)
    [ "$name" = tansu ] || stop_pid "$name"
  done
}

stop_pid() {
  local name=$1
  alive "$name" || { rm -f "$PIDS/$name.pid"; return 0; }
  local pid; pid=$(cat "$PIDS/$name.pid")
  kk_log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PIDS/$name.pid"
}

broker_status() {
  if alive tansu && port_open "$KK_KAFKA_PORT"; then
    echo "broker     up     127.0.0.1:$KK_KAFKA_PORT  (tansu, pid $(cat "$PIDS/tansu.pid"))"
  else
    echo "broker     down"
    return 1
  fi
}

case "${1:-status}" in
  up)     pg_up; secrets_init; broker_up; bash "$0" status ;;
  down)   stop_services; stop_pid tansu; pg_down ;;
  # The PostgreSQL cluster alone (KK_PG_HOME and KK_PG_PORT choose which: a test's own cluster).
  postgres-up) pg_up ;;
  postgres-down) pg_down ;;
  # The daemons the demo started (the database and the broker stay up).
  stop-services) stop_services ;;
  # Everything the stack holds outside the checkout (the cluster under /var/lib/kk-sop, when root made it).
  purge)  stop_services; stop_pid tansu; pg_down
          case "$KK_PG_HOME" in "$KK_RUN"/*) ;; *) kk_log "removing $KK_PG_HOME"; rm -rf "$KK_PG_HOME" ;; esac ;;
  status) rc=0; pg_status || rc=1; broker_status || rc=1
          for file in "$PIDS"/*.pid; do
            [ -e "$file" ] || continue; name=$(basename "$file" .pid); [ "$name" = tansu ] && continue
            if alive "$name"; then echo "service    up     $name (pid $(cat "$file"))"; else echo "service    down   $name"; fi
          done
          echo "logs in $LOGS"; exit $rc ;;
  env)    echo "export KK_DATABASE_URL='$KK_DATABASE_URL'"; echo "export KK_KAFKA_BROKERS='$KK_KAFKA_BROKERS'"
          echo "export KK_KAFKA_FETCH_WAIT_MS='$KK_KAFKA_FETCH_WAIT_MS'"
          echo "export KK_PSEUDONYM_KEY_FILE='$KK_LOCAL_PSEUDONYM_KEY'"; echo "export KK_ARCHIVE_KEY_FILE='$KK_LOCAL_ARCHIVE_KEY'" ;;
  *)      echo "usage: $0 up|down|status|env|purge|stop-services|postgres-up|postgres-down" >&2; exit 2 ;;
esac
