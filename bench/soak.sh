#!/usr/bin/env bash
# The leak soak at full size: 10,000 sequential exec sessions, then 1,000 port-forward connections, on a throw-away
# cluster, and every tier's fds, threads and live heap (after a full collection) against its baseline.
#
#   bench/soak.sh [--execs N] [--connections M]
#
# Runs e2e's SoakIT (the same test CI runs with N=200) with the sizes given; kubectl 1.29 (SPDY) and 1.33
# (WebSocket) take turns. Prints SoakIT's table and keeps the test's output as bench/results/soak-<UTC time>.txt.
# 10,000 execs take about 25-40 minutes on a 2-core machine: kubectl's own start is most of each session.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
execs=10000
connections=1000
while (($#)); do
  case "$1" in
    --execs) execs="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "soak: unknown argument $1" >&2; exit 2 ;;
  esac
done

mkdir -p "$root/bench/results"
out="$root/bench/results/soak-$(date -u +%Y%m%dT%H%M%SZ).txt"
cd "$root"
status=0
CI=true ./mvnw -B verify -pl e2e -am -Dit.test=SoakIT -Dsoak.execs="$execs" -Dsoak.connections="$connections" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true >"$out.log" 2>&1 || status=$?
grep -E '^soak:|^\|' "$out.log" | tee "$out"
grep -E 'Tests run:.*SoakIT|FAIL' "$out.log" | head -5 || true
echo "output: $out (maven log: $out.log)"
exit "$status"
