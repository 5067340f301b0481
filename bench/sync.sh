#!/usr/bin/env bash
# What one durable write costs on this machine's disk: a 4 KiB write into an allocated file and
# fdatasync, back to back and after pauses (the least a durable grant pays before a key leaves).
#
#   bench/sync.sh [pause_ms] [dir] [kib]   e.g. bench/sync.sh 0,1,20 /tmp 4
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mvn -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-bench -am >&2
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)"
echo "# $(nproc) cores, $(df -P "${2:-/tmp}" | awk 'NR==2 {print $1}'), $(date -u +%Y-%m-%dT%H:%MZ)"
exec "$JAVA" -cp "$ROOT/secretsapi-bench/target/secretsapi-bench.jar" io.secretsapi.bench.SyncProbe \
  --pause-ms "${1:-0,1,20}" --dir "${2:-/tmp}" --kib "${3:-4}"
