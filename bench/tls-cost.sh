#!/usr/bin/env bash
# What TLS on every hop costs: the same exec through two clusters side by side, the default (TLS from the client
# to the apiserver and from the apiserver to the kubelet, bearer token, client certificates) and `up --insecure-http`.
#
#   bench/tls-cost.sh [--bytes N] [--runs R] [--clients "kubectl:1.29 kubectl:1.33"]
#
# Per client, R times, alternating between the two clusters so that both see the same machine load:
#   - set-up: `exec bench -- true` (the client's start, its pod GET, the upgrades on every hop, the process);
#   - bulk: `exec bench -- head -c N /dev/zero`, the output discarded.
# Prints the best of each, and secure ÷ plain (throughput ratio for bulk, time ratio for set-up); writes the table as
# JSON to bench/results/tls-cost-<UTC time>.json. kubectl 1.29 is spliced SPDY at the apiserver, 1.33 translated
# WebSocket. The kubelet → runtime hop is plain loopback HTTP in both, as containerd's streaming server is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bytes=$((1 << 30))
runs=3
clients="kubectl:1.29 kubectl:1.33"
while (($#)); do
  case "$1" in
    --bytes) bytes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "tls-cost: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS KUBECTL_PORT_FORWARD_WEBSOCKETS KUBEHOP_HOME KUBECONFIG
plain="$(mktemp -d /tmp/kubehop-bench-plain.XXXXXX)"
secure="$(mktemp -d /tmp/kubehop-bench-tls.XXXXXX)"
cleanup() {
  stop_cluster "$plain"
  stop_cluster "$secure"
  rm -rf "$plain" "$secure"
}
trap cleanup EXIT
start_cluster "$plain" --insecure-http
start_cluster "$secure"

run() { # home client command… -> seconds
  local home="$1" client="$2"
  shift 2
  KUBECONFIG="$home/kubeconfig" timed "$(kubectl_bin "${client#kubectl:}")" exec bench -- "$@"
}

min() { if [[ -z "$1" ]] || (($(echo "$2 < $1" | bc -l))); then echo "$2"; else echo "$1"; fi; }
mib() { printf %.1f "$(echo "$bytes / 1048576 / $1" | bc -l)"; }

rows=()
json_rows=()
for c in $clients; do
  setup_plain="" setup_secure="" bulk_plain="" bulk_secure=""
  for ((i = 0; i < runs; i++)); do
    setup_plain=$(min "$setup_plain" "$(run "$plain" "$c" true)")
    setup_secure=$(min "$setup_secure" "$(run "$secure" "$c" true)")
    bulk_plain=$(min "$bulk_plain" "$(run "$plain" "$c" head -c "$bytes" /dev/zero)")
    bulk_secure=$(min "$bulk_secure" "$(run "$secure" "$c" head -c "$bytes" /dev/zero)")
  done
  setup_ratio=$(printf %.2f "$(echo "$setup_secure / $setup_plain" | bc -l)")
  bulk_ratio=$(printf %.3f "$(echo "$bulk_plain / $bulk_secure" | bc -l)")
  rows+=("| $c | $(printf %.3f "$setup_plain") | $(printf %.3f "$setup_secure") | $setup_ratio | $(mib "$bulk_plain") | $(mib "$bulk_secure") | $bulk_ratio |")
  json_rows+=("{\"client\":\"$c\",\"setupPlainSeconds\":$setup_plain,\"setupTlsSeconds\":$setup_secure,\"setupRatio\":$setup_ratio,\"bulkPlainSeconds\":$bulk_plain,\"bulkTlsSeconds\":$bulk_secure,\"bulkThroughputRatio\":$bulk_ratio}")
done

echo
echo "exec -- true and exec -- head -c $bytes /dev/zero, best of $runs, $(nproc) cores, $(date -u +%FT%TZ)"
echo
echo "| client | set-up plain s | set-up TLS s | TLS ÷ plain time | bulk plain MiB/s | bulk TLS MiB/s | TLS ÷ plain throughput |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"

mkdir -p "$root/bench/results"
out="$root/bench/results/tls-cost-$(date -u +%Y%m%dT%H%M%SZ).json"
{
  echo "{\"bytes\":$bytes,\"runs\":$runs,\"clients\":["
  (IFS=,; echo "${json_rows[*]}")
  echo "]}"
} >"$out"
echo
echo "JSON: $out"
