#!/usr/bin/env bash
# Listings at scale (design 0023): seeds a fresh store with 100,000 secrets, 1,000,000 tokens and
# 1,000,000 audit records (bulk, through the store layer), starts the broker on it, and times
# GET /tokens, /secrets and /audit/trail at the first page, half depth and last page by cursor,
# beside GET /health/live as the floor. Prints a Markdown table (docs/benchmarks.md).
#
#   bench/listing.sh [sqlite|postgres] [runs] [secrets] [tokens] [audit-records]
#
# postgres: the machine's PostgreSQL binaries (/usr/lib/postgresql/N/bin, as the tests find them),
# a throwaway cluster under a temporary folder on loopback, started as the postgres user when run
# as root. BENCH_DIR puts the work folder elsewhere (default /tmp).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STORE="${1:-sqlite}"
RUNS="${2:-15}"
mvn -o -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-cli,secretsapi-bench -am >&2
WORK="$(mktemp -d -p "${BENCH_DIR:-/tmp}")"
JAVA="$(ls -d /usr/lib/jvm/temurin-25-jdk-amd64/bin/java 2>/dev/null || command -v java)"
BENCH=("$JAVA" -Xmx2g -cp "$ROOT/secretsapi-bench/target/secretsapi-bench.jar")
PORT=$(( 20000 + RANDOM % 20000 ))
SERVER=""
PGBIN=""
cleanup() {
  [ -n "$SERVER" ] && { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [ -n "$PGBIN" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
if [ "$STORE" = postgres ]; then
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  PGPORT=$(( PORT + 1 ))
  chown postgres "$WORK"
  runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg" -A trust -U postgres -E UTF8 --locale=C >/dev/null
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w \
    -o "-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start >/dev/null
  URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
else
  URL="sqlite:$WORK/broker.db"
fi
echo "# store $STORE; $(nproc) cores; $("$JAVA" -version 2>&1 | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
"${BENCH[@]}" io.secretsapi.bench.ListingSeed "$URL" "$WORK/kek.json" "$WORK/key" "${3:-100000}" "${4:-1000000}" "${5:-1000000}"
cat > "$WORK/secretsapi.yaml" <<YAML
listen: 127.0.0.1:$PORT
store:
  url: $URL
kek:
  file: $WORK/kek.json
YAML
( cd "$WORK" && exec "$ROOT/secretsapi" server --config "$WORK/secretsapi.yaml" > "$WORK/out.txt" 2> "$WORK/access.log" ) &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
"${BENCH[@]}" io.secretsapi.bench.ListingBench "http://127.0.0.1:$PORT" "$WORK/key" "$RUNS"
