#!/usr/bin/env bash
# Disk-full drill (issue 18): the disk under the SQLite store fills while the broker runs, N times
# (default 50), on small tmpfs and loop-mounted ext4 file systems. Counts process deaths (SIGBUS
# and any other unrequested exit), acknowledged writes lost, and the time from space returning to
# the first 2xx. Needs root (mount) and python3; see bench/disk_full.py for the scenarios.
#
#   sudo bench/disk-full.sh [runs=50] [--fs ext4|tmpfs|both] [--size 8m] [--scenario load ...] [--seed N]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ "${DISK_FULL_NO_BUILD:-}" != 1 ]]; then
  mvn -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-cli -am >&2
fi
exec python3 "$ROOT/bench/disk_full.py" "$@"
