#!/usr/bin/env bash
# The write convoy of issue 18: a fresh broker on SQLite (virtual threads on, the default), N
# clients writing secrets and values, /health/live probed every 10 ms, and another process holding
# SQLite's write lock for lock-ms in the middle of each run (the file shared, see below). Exits non-zero when any run has a
# liveness p99 of 50 ms or more, or any 503.
#
#   bench/convoy.sh [clients=4,8,16] [runs=20] [lock-ms=4000]
#
# SERVER_ROOT runs the broker of another checkout (built there), to compare builds with one bench.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
mvn -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-cli,secretsapi-bench -am >&2
WORK="$(mktemp -d -p "${BENCH_DIR:-/tmp}")"
PORT=$(( 20000 + RANDOM % 20000 ))
cat > "$WORK/secretsapi.yaml" <<YAML
listen: 127.0.0.1:$PORT
store:
  url: sqlite:$WORK/broker.db
kek:
  file: $WORK/kek.json
YAML
# The outside lock needs the file shared (store.sqlite_exclusive: false); by default the broker holds
# it alone and no other process can take its lock at all. An environment variable, which a build
# that predates the setting ignores.
( cd "$WORK" && SECRETSAPI_ACCESS_LOG_LEVEL=OFF SECRETSAPI_STORE_SQLITE_EXCLUSIVE=false exec "${SERVER_ROOT:-$ROOT}/secretsapi" server --config "$WORK/secretsapi.yaml" > "$WORK/out.txt" 2> "$WORK/err.log" ) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do grep -q '^  sk_' "$WORK/out.txt" 2>/dev/null && break; sleep 0.5; done
KEY="$(grep -o 'sk_[A-Za-z0-9_-]*' "$WORK/out.txt" | head -1)"
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)"
echo "# $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
"$JAVA" -cp "$ROOT/secretsapi-bench/target/secretsapi-bench.jar" io.secretsapi.bench.ConvoyBench \
  --addr "http://127.0.0.1:$PORT" --root-key "$KEY" --db "$WORK/broker.db" \
  --clients "${1:-4,8,16}" --runs "${2:-20}" --lock-ms "${3:-4000}"
