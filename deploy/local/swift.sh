#!/usr/bin/env bash
# Runs `swift <args>` with librdkafka (deploy/local/env.sh) from the cache: pkg-config finds its
# headers, and the binaries carry an rpath to it so they run without any
# LD_LIBRARY_PATH. Usage: swift.sh build|test|run ... (any swift subcommand)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[ -f "$KK_RDKAFKA_PREFIX/.complete" ] || kk_die "librdkafka $KK_RDKAFKA_VERSION is not built yet; run \`make setup\`"
export PATH="/opt/swift/usr/bin:$PATH"
cmd=$1; shift
cd "$KK_ROOT"
# Every build and test run compiles the locked package versions, nothing else.
if [ "$cmd" = build ] || [ "$cmd" = test ]; then
    swift package resolve >/dev/null
    sh deploy/build/check-versions.sh >/dev/null
fi
exec swift "$cmd" -Xlinker -rpath -Xlinker "$KK_RDKAFKA_PREFIX/lib" "$@"
