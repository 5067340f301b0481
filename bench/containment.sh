#!/usr/bin/env bash
# Containment across two nodes (issue 21, acceptance 3; design 0026): two brokers on one throwaway
# PostgreSQL, a loopback upstream; each run makes a secret with GRANTS live grants, opens a
# proxied stream on each node, runs proxy load on both, then POST /incidents on node A, and times
# steps 1-3 on every node: A's timeline, B refusing a contained grant and a new grant, each
# node's stream cut. Counts calls granted after the incident's answer (must be 0). Prints a
# Markdown table (docs/benchmarks.md).
#
#   bench/containment.sh [grants=1000] [runs=5] [load-threads=4]
#
# BENCH_KEEP_LOGS=DIR copies the brokers' and PostgreSQL's logs there at the end.
# The machine's PostgreSQL binaries (/usr/lib/postgresql/N/bin), started as the postgres user when
# run as root. BENCH_DIR puts the work folder elsewhere (default /tmp).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GRANTS="${1:-1000}"
RUNS="${2:-5}"
THREADS="${3:-4}"
mvn -o -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-cli,secretsapi-bench -am >&2
WORK="$(mktemp -d -p "${BENCH_DIR:-/tmp}")"
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)"
BENCH=("$JAVA" -Xmx1g -cp "$ROOT/secretsapi-bench/target/secretsapi-bench.jar")
PORT=$(( 20000 + RANDOM % 20000 ))
PORT_B=$(( PORT + 2 ))
UP=$(( PORT + 3 ))
PGPORT=$(( PORT + 1 ))
SA=""; SB=""
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
cleanup() {
  for p in $SA $SB; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then # the brokers' logs, for a run that went wrong
    mkdir -p "$BENCH_KEEP_LOGS" && cp "$WORK"/a.log "$WORK"/b.log "$WORK"/pg.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true
  fi
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
chown postgres "$WORK"
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres -E UTF8 --locale=C >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
  -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
for n in a b; do
  p=$PORT; [ "$n" = b ] && p=$PORT_B
  cat > "$WORK/$n.yaml" <<YAML
listen: 127.0.0.1:$p
store:
  url: $URL
kek:
  file: $WORK/kek.json
proxy:
  insecure_upstreams: 127.0.0.1:$UP
YAML
done
echo "# two nodes on PostgreSQL; $(nproc) cores; $("$JAVA" -version 2>&1 | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
( cd "$WORK" && exec "$ROOT/secretsapi" server --config "$WORK/a.yaml" > "$WORK/a.out" 2> "$WORK/a.log" ) &
SA=$!
for _ in $(seq 1 120); do grep -q 'sk_' "$WORK/a.out" 2>/dev/null && break; sleep 0.5; done
grep -o 'export SECRETSAPI_TOKEN=.*' "$WORK/a.out" | head -1 | cut -d= -f2 > "$WORK/key"
( cd "$WORK" && exec "$ROOT/secretsapi" server --config "$WORK/b.yaml" > "$WORK/b.out" 2> "$WORK/b.log" ) &
SB=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT_B/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
"${BENCH[@]}" io.secretsapi.bench.ContainmentBench "http://127.0.0.1:$PORT" "http://127.0.0.1:$PORT_B" \
  "$WORK/key" "$UP" "$GRANTS" "$RUNS" "$THREADS"
