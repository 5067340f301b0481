#!/usr/bin/env bash
# Issue and proxy throughput with exposure scoring on and off, side by side in one run (issue 21,
# acceptance 4). Each round starts a fresh broker with exposure.enabled true, then one with false
# (the order alternates from round to round, so that a drift of the shared machine falls on both),
# and runs the issue load generator (bench/run.sh's) and the proxy bench (bench/proxy.sh's) against
# it. Prints every row, then the median per scenario and mode and the ratio on/off.
#
#   bench/exposure.sh [rounds] [clients] [duration] [warmup] [prewarm]
#   e.g. bench/exposure.sh 5 16 8s 3s 15s
#
# The same build serves both modes: only the configuration key differs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-3}"
CLIENTS="${2:-16}"
DURATION="${3:-8s}"
WARMUP="${4:-3s}"
PREWARM="${5:-15s}"
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  mvn -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-cli,secretsapi-bench -am >&2
fi
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)"
JAR="$ROOT/secretsapi-bench/target/secretsapi-bench.jar"
RESULTS="$(mktemp)"
SERVER=""
WORK=""
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
}
trap 'cleanup; rm -f "$RESULTS"' EXIT

one() { # one broker with exposure.enabled=$1, round $2: issue, then proxy
  local enabled="$1" round="$2"
  WORK="$(mktemp -d -p "${BENCH_DIR:-/tmp}")"
  local port=$(( 20000 + RANDOM % 20000 ))
  local up=$(( port + 1 ))
  cat > "$WORK/secretsapi.yaml" <<YAML
listen: 127.0.0.1:$port
store:
  url: sqlite:$WORK/broker.db
kek:
  file: $WORK/kek.json
proxy:
  insecure_upstreams: 127.0.0.1:$up
exposure:
  enabled: $enabled
YAML
  ( cd "$WORK" && exec "$ROOT/secretsapi" server --config "$WORK/secretsapi.yaml" > "$WORK/out.txt" 2> "$WORK/access.log" ) &
  SERVER=$!
  for _ in $(seq 1 60); do grep -q '^  sk_' "$WORK/out.txt" 2>/dev/null && break; sleep 0.5; done
  local key
  key="$(grep -o 'sk_[A-Za-z0-9_-]*' "$WORK/out.txt" | head -1)"
  "$JAVA" -jar "$JAR" --addr "http://127.0.0.1:$port" --root-key "$key" --scenario issue \
    --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" --prewarm "$PREWARM" \
    | awk -v r="$round" -v m="$enabled" '$1 == "issue" { print r, m, "issue", $4, $5, $9; fflush() }' \
    | tee -a "$RESULTS"
  "$JAVA" -cp "$JAR" io.secretsapi.bench.ProxyBench --addr "http://127.0.0.1:$port" --root-key "$key" \
    --upstream-port "$up" --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" \
    --prewarm "$PREWARM" --upstream-ms 0 \
    | awk -v r="$round" -v m="$enabled" '$1 == "proxy" { print r, m, "proxy", $5, $6, $9; fflush() }' \
    | tee -a "$RESULTS"
  cleanup
  SERVER=""
  WORK=""
}

echo "# $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo "# round exposure scenario per_sec p50_ms errors"
for round in $(seq 1 "$ROUNDS"); do
  if [ $(( round % 2 )) -eq 1 ]; then order="true false"; else order="false true"; fi
  for enabled in $order; do
    one "$enabled" "$round"
  done
done
echo "# medians over $ROUNDS rounds, $CLIENTS clients"
for scenario in issue proxy; do
  on=$(awk -v s="$scenario" '$2 == "true" && $3 == s { print $4 }' "$RESULTS" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  off=$(awk -v s="$scenario" '$2 == "false" && $3 == s { print $4 }' "$RESULTS" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  awk -v s="$scenario" -v on="$on" -v off="$off" 'BEGIN { printf "%-6s on %8.0f/s  off %8.0f/s  on/off %.3f\n", s, on, off, on / off }'
done
