#!/usr/bin/env bash
# Revoke on node B, then at once resolve or proxy on node A, on one PostgreSQL, N times (default
# 1,000): every use must be refused; the test fails on the first value released after B answered.
# CI runs the same test with 100 trials.
#
#   bench/revocation-race.sh [trials=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-1000}"
mvn -B -q install -DskipTests -Dspotless.check.skip=true
exec mvn -B -pl secretsapi-core surefire:test -Dtest=ReleaseAfterRevocationTest \
  -Drevocation.trials="$trials" -Dsurefire.failIfNoSpecifiedTests=false
