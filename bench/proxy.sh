#!/usr/bin/env bash
# Proxy overhead, side by side in one run: a stand-in upstream on loopback called directly, through
# a relay that only copies bytes (the floor under any intermediary on this machine), and through
# the broker's proxy with a scoped token, N closed-loop clients each.
#
#   bench/proxy.sh [clients] [duration] [warmup] [prewarm] [upstream_ms]
#   e.g. bench/proxy.sh 1,8,16,32 10s 3s 30s 0,20
#
# BENCH_RELAY=haproxy: the relay row goes through HAProxy in TCP mode (if installed) instead of the
# load generator's own relay.
#
# prewarm (default 30s): proxied calls at 8 clients before the measured rows, so that the broker's
# JIT compiler is not measured (see bench/run.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLIENTS="${1:-1,8,16,32}"
DURATION="${2:-10s}"
WARMUP="${3:-3s}"
PREWARM="${4:-30s}"
UPSTREAM_MS="${5:-0}"   # how long the stand-in upstream takes to answer; one row group per value
mvn -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-cli,secretsapi-bench -am >&2
WORK="$(mktemp -d -p "${BENCH_DIR:-/tmp}")"
PORT=$(( 20000 + RANDOM % 20000 ))
UP=$(( PORT + 1 ))
cat > "$WORK/secretsapi.yaml" <<YAML
listen: 127.0.0.1:$PORT
store:
  url: sqlite:$WORK/broker.db
kek:
  file: $WORK/kek.json
proxy:
  insecure_upstreams: 127.0.0.1:$UP
YAML
( cd "$WORK" && exec "$ROOT/secretsapi" server --config "$WORK/secretsapi.yaml" > "$WORK/out.txt" 2> "$WORK/access.log" ) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 60); do grep -q '^  sk_' "$WORK/out.txt" 2>/dev/null && break; sleep 0.5; done
KEY="$(grep -o 'sk_[A-Za-z0-9_-]*' "$WORK/out.txt" | head -1)"
RELAY=()
if [ "${BENCH_RELAY:-}" = haproxy ]; then # the relay row through HAProxy in TCP mode instead
  RPORT=$(( UP + 1 ))
  printf 'global\n  maxconn 2000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\nlisten relay\n  bind 127.0.0.1:%s\n  server up 127.0.0.1:%s\n' \
    "$RPORT" "$UP" > "$WORK/haproxy.cfg"
  haproxy -f "$WORK/haproxy.cfg" -db > "$WORK/haproxy.log" 2>&1 &
  HAPROXY=$!
  trap 'kill $SERVER $HAPROXY 2>/dev/null || true; wait $SERVER $HAPROXY 2>/dev/null || true; rm -rf "$WORK"' EXIT
  RELAY=(--relay "127.0.0.1:$RPORT")
fi
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)"
echo "# $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), $(date -u +%Y-%m-%dT%H:%MZ)"
"$JAVA" -cp "$ROOT/secretsapi-bench/target/secretsapi-bench.jar" io.secretsapi.bench.ProxyBench \
  --addr "http://127.0.0.1:$PORT" --root-key "$KEY" --upstream-port "$UP" \
  --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP" --prewarm "$PREWARM" --upstream-ms "$UPSTREAM_MS" "${RELAY[@]}"
