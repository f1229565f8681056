#!/bin/sh
# Compares the versions SwiftPM resolved (Package.resolved) with the checked-in
# lock (deploy/build/versions.lock): every package, direct or not, must be at
# the locked version, and none may be missing or extra. A difference fails,
# naming the package. Package.resolved itself stays out of git: on the
# development machines its commit ids are those of local mirrors, not GitHub's.
#
#   deploy/build/check-versions.sh            check (after `swift package resolve`)
#   deploy/build/check-versions.sh --write    rewrite the lock from Package.resolved
#                                             (after a deliberate upgrade; review the diff)
# POSIX sh and awk only: it runs in the Docker build stage as well.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
resolved="$root/Package.resolved"
lock="$root/deploy/build/versions.lock"
[ -f "$resolved" ] || { echo "check-versions: $resolved is missing; run \`swift package resolve\` first" >&2; exit 1; }

# "identity version" per pin, sorted.
actual=$(awk -F'"' '
    /"identity"/ { id = $4 }
    /"version" : "/ { print id, $4 }
    /"branch" : "/ { print id, "branch:" $4 }
' "$resolved" | sort)

if [ "${1:-}" = "--write" ]; then
    {
        echo "# Every Swift package the build resolves, at its exact version (deploy/build/check-versions.sh)."
        echo "$actual"
    } > "$lock"
    echo "check-versions: wrote $(echo "$actual" | wc -l) packages to $lock"
    exit 0
fi

expected=$(grep -v '^#' "$lock" | sed '/^$/d' | sort)
if [ "$actual" = "$expected" ]; then
    echo "check-versions: $(echo "$actual" | wc -l) packages at their locked versions"
    exit 0
fi
echo "check-versions: the resolved Swift packages differ from deploy/build/versions.lock:" >&2
echo "$expected" > "${TMPDIR:-/tmp}/kk-lock-expected.$$"
echo "$actual" > "${TMPDIR:-/tmp}/kk-lock-actual.$$"
awk '
    FNR == NR { want[$1] = $2; next }
    { got[$1] = $2 }
    END {
        for (p in want) if (!(p in got)) printf "  %s: locked at %s, not resolved at all\n", p, want[p]
        for (p in got) if (!(p in want)) printf "  %s: resolved at %s, not in the lock\n", p, got[p]
        for (p in want) if ((p in got) && got[p] != want[p]) printf "  %s: locked at %s, resolved at %s\n", p, want[p], got[p]
    }
' "${TMPDIR:-/tmp}/kk-lock-expected.$$" "${TMPDIR:-/tmp}/kk-lock-actual.$$" >&2
rm -f "${TMPDIR:-/tmp}/kk-lock-expected.$$" "${TMPDIR:-/tmp}/kk-lock-actual.$$"
echo "Pin the package in Package.swift (exact:) so it resolves to the locked version, or, for a deliberate upgrade," >&2
echo "run deploy/build/check-versions.sh --write and commit the new lock." >&2
exit 1
