#!/usr/bin/env bash
# Runs the load generator against a fresh broker on loopback: SQLite store in a temporary folder,
# durable writes (WAL, synchronous=FULL), access log written to a file. Prints one table per scenario.
#
#   bench/run.sh [clients] [duration] [warmup] [prewarm]   e.g. bench/run.sh 1,8,16,32 20s 5s 30s
#
# prewarm (default 30s) runs each scenario at 8 clients before the measured rows: on two cores the
# broker's JIT compiler takes most of a core for the first half-minute, and without it the first
# rows measure the compiler.
# BENCH_DIR puts the store elsewhere (such as /dev/shm, to see what the disk costs).
# Uses the newest JDK the launcher finds (Temurin 25 here); the server and the load generator share
# the machine's cores, as they would on a single host.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLIENTS="${1:-1,8,16,32}"
DURATION="${2:-20s}"
WARMUP="${3:-5s}"
PREWARM="${4:-30s}"
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
( cd "$WORK" && exec "$ROOT/secretsapi" server --config "$WORK/secretsapi.yaml" > "$WORK/out.txt" 2> "$WORK/access.log" ) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do grep -q '^  sk_' "$WORK/out.txt" 2>/dev/null && break; sleep 0.5; done
KEY="$(grep -o 'sk_[A-Za-z0-9_-]*' "$WORK/out.txt" | head -1)"
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)"
echo "# $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
for scenario in issue introspect; do
  "$JAVA" -jar "$ROOT/secretsapi-bench/target/secretsapi-bench.jar" --addr "http://127.0.0.1:$PORT" \
    --root-key "$KEY" --scenario "$scenario" --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" --prewarm "$PREWARM"
done
