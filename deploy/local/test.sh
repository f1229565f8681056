#!/usr/bin/env bash
# Runs the test bundle that `swift build --build-tests` made, as `swift test --skip-build`
# would, with a bound on how many tests run at once (`swift test` has no switch for
# swift-testing's width): most tests wait on daemons, the broker and PostgreSQL, so several
# at once keep both cores busy, while all at once would only starve each other's timeouts.
# Usage: test.sh [swift-testing's arguments, e.g. --filter X or --skip Y]
# KK_TEST_WIDTH: tests at once (default 6; 1 runs them one after another).
# KK_TEST_CONFIG: the build's configuration (default debug; `make fuzz` builds release with testing enabled).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/env.sh"
bin=$(bash "$here/swift.sh" build -c "${KK_TEST_CONFIG:-debug}" --show-bin-path)
bundles=("$bin"/*PackageTests.xctest)
[ -x "${bundles[0]}" ] || kk_die "no test bundle in $bin; build it first with \`deploy/local/swift.sh build --build-tests\`"
cd "$KK_ROOT"
exec "${bundles[0]}" --testing-library swift-testing --experimental-maximum-parallelization-width "${KK_TEST_WIDTH:-6}" "$@"
