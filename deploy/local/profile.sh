#!/usr/bin/env bash
# Runs a command while sampling every process on the machine (perf, from Debian's
# linux-perf), then prints where the CPU went: by process, by library, and the hottest
# functions (Swift names demangled). For `make bench`: it shows what a request costs,
# where the services, PostgreSQL, the broker and the kernel each spend it.
#
# Usage: profile.sh <command> [args...]
# The samples stay in .run/profile/perf.data (`perf report -i` reads them again).
# Without perf the command runs unprofiled, with a note saying how to install it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ $# -gt 0 ] || kk_die "usage: profile.sh <command> [args...]"
if ! command -v perf >/dev/null 2>&1; then
  echo "perf is not installed (apt-get install linux-perf): running without a profile" >&2
  exec "$@"
fi
out="$KK_RUN/profile"
mkdir -p "$out"
data="$out/perf.data"
# 499 Hz on every CPU: about a thousand samples a second on two cores, a few MB a minute.
perf record --quiet --all-cpus --freq 499 --output "$data" -- "$@"

report() {
  perf report --input "$data" --stdio --quiet "$@" 2>/dev/null
}
demangle() {
  if [ -x /opt/swift/usr/bin/swift-demangle ]; then /opt/swift/usr/bin/swift-demangle --simplified; else cat; fi
}
# Thread names, not processes: every Swift service's tasks run on threads named after
# Dispatch's root queue ("...oot.default-qos"); kk-bench prints the CPU of each process.
echo "== CPU samples by thread name (postgres: PostgreSQL's backends; tokio-rt-worker: the broker, Tansu; swapper: idle)"
report --sort comm --percent-limit 1
echo "== by library"
report --sort dso --percent-limit 1
echo "== the hottest functions (over 0.5 % of all samples)"
report --sort dso,sym --percent-limit 0.5 | demangle | cut -c1-160
