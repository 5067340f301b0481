#!/usr/bin/env bash
# Times the CLI as a user runs it: `./secretsapi secret list` against a running broker on loopback
# (SQLite in a temporary folder, 20 secrets stored), repeated runs, wall time of each whole
# command (launcher, JVM start, HTTP call, table). Beside it, the floor: `java -version` on the
# same JDK, and the same command without the start-up cache (SECRETSAPI_NO_CACHE=1).
#
#   bench/cli-speed.sh [runs]      (default 20; prints the median and the 90th percentile, in ms)
#
# SECRETSAPI_JAVA picks the JDK (default: the launcher's choice, the newest it finds).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${1:-20}"
mvn -q -B -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl secretsapi-cli -am >&2
WORK="$(mktemp -d)"
PORT=$(( 20000 + RANDOM % 20000 ))
cat > "$WORK/secretsapi.yaml" <<YAML
listen: 127.0.0.1:$PORT
store:
  url: sqlite:$WORK/broker.db
kek:
  file: $WORK/kek.json
YAML
( cd "$WORK" && exec "$ROOT/secretsapi" server --config "$WORK/secretsapi.yaml" > "$WORK/out.txt" 2> "$WORK/log.txt" ) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do grep -q '^  sk_' "$WORK/out.txt" 2>/dev/null && break; sleep 0.5; done
export SECRETSAPI_ADDR="http://127.0.0.1:$PORT"
SECRETSAPI_TOKEN="$(grep -o 'sk_[A-Za-z0-9_-]*' "$WORK/out.txt" | head -1)"
export SECRETSAPI_TOKEN
for i in $(seq -w 1 20); do
  "$ROOT/secretsapi" secret put "bench-key-$i" --provider openai --resource-class model-access --value "sk-bench-$i-$RANDOM$RANDOM" >/dev/null
done
"$ROOT/secretsapi" secret list >/dev/null # the launcher's first run makes its start-up cache
JAVA="$(sed -n 2p "$ROOT/secretsapi-cli/target/launcher/java")"

# times "$@" RUNS times; prints "median p90" in milliseconds
timed() {
  local samples=() s e
  for _ in $(seq 1 "$RUNS"); do
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
    samples+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%d %d", a[int((NR+1)/2)], a[int(NR*0.9+0.5)]}'
}

echo "# $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA" -version 2>&1 | head -1), $RUNS runs, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-52s %8s %8s\n' "command" "median" "p90"
read -r m p <<<"$(timed "$JAVA" -version)"
printf '%-52s %6d ms %5d ms\n' "java -version (the floor)" "$m" "$p"
read -r m p <<<"$(timed "$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -version)"
printf '%-52s %6d ms %5d ms\n' "java -version, the CLI's JVM flags" "$m" "$p"
read -r m p <<<"$(timed "$ROOT/secretsapi" secret list)"
printf '%-52s %6d ms %5d ms\n' "./secretsapi secret list" "$m" "$p"
read -r m p <<<"$(SECRETSAPI_NO_CACHE=1 timed "$ROOT/secretsapi" secret list)"
printf '%-52s %6d ms %5d ms\n' "./secretsapi secret list, no start-up cache or flags" "$m" "$p"
