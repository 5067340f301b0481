#!/usr/bin/env bash
# kill -9 drill of the audit trail: the broker (its own JVM, SQLite store) is killed at N random
# moments under a load of token issues from 8 clients; after each restart every grant answered
# 200 must have its token.issue record, the exported chain must verify offline, and no record may
# name a request that was never sent. CI runs the same test with 3 kills.
#
#   bench/audit-crash.sh [kills=20] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-20}"
seed_opt=()
if [[ $# -ge 2 ]]; then seed_opt=("-Dcrash.seed=$2"); fi
mvn -B -q install -DskipTests -Dspotless.check.skip=true
exec mvn -B -pl secretsapi-cli surefire:test -Dtest=AuditCrashTest \
  -Dcrash.kills="$kills" "${seed_opt[@]}" -Dsurefire.failIfNoSpecifiedTests=false
