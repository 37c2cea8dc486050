#!/usr/bin/env bash
# What session recording costs: the same exec through two clusters side by side, one with `up --record`.
#
#   bench/recording-cost.sh [--bytes N] [--runs R] [--clients "kubectl:1.29 kubectl:1.33"] [--source zero|text]
#
# Runs `exec bench -- sh -c 'head -c N SOURCE'` (SOURCE: /dev/zero, or `yes` lines for text) R times per client,
# alternating between the plain cluster and the recording one so that both see the same machine load, and prints
# the best throughput of each, their ratio (the cost is 1 - ratio), the recording's size and the bytes its writer
# had to drop (its `m` events), if any. kubectl 1.29 is spliced SPDY at the apiserver, kubectl 1.33 translated
# WebSocket: the recorder reads the SPDY leg toward the kubelet in both. Each recording is deleted after it is
# measured. Writes the table as JSON to bench/results/recording-cost-<UTC time>.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bytes=$((1 << 30))
runs=3
clients="kubectl:1.29 kubectl:1.33"
source_kind=zero
while (($#)); do
  case "$1" in
    --bytes) bytes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --source) source_kind="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "recording-cost: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$source_kind" in
  zero) producer="head -c $bytes /dev/zero" ;;
  text) producer="yes 'kubehop recording benchmark line' | head -c $bytes" ;;
  *) echo "recording-cost: --source is zero or text" >&2; exit 2 ;;
esac

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS KUBECTL_PORT_FORWARD_WEBSOCKETS KUBEHOP_HOME KUBECONFIG
plain="$(mktemp -d /tmp/kubehop-bench-plain.XXXXXX)"
recorded="$(mktemp -d /tmp/kubehop-bench-record.XXXXXX)"
cleanup() {
  stop_cluster "$plain"
  stop_cluster "$recorded"
  rm -rf "$plain" "$recorded"
}
trap cleanup EXIT
start_cluster "$plain"
start_cluster "$recorded" --record

run() { # home client -> seconds
  KUBECONFIG="$1/kubeconfig" timed "$(kubectl_bin "${2#kubectl:}")" exec bench -- sh -c "$producer"
}

mib() { printf %.1f "$(echo "$bytes / 1048576 / $1" | bc -l)"; }

rows=()
json_rows=()
for c in $clients; do
  best_plain="" best_recorded="" cast_bytes=0 dropped=0
  for ((i = 0; i < runs; i++)); do
    t=$(run "$plain" "$c")
    if [[ -z "$best_plain" ]] || (($(echo "$t < $best_plain" | bc -l))); then best_plain=$t; fi
    t=$(run "$recorded" "$c")
    if [[ -z "$best_recorded" ]] || (($(echo "$t < $best_recorded" | bc -l))); then best_recorded=$t; fi
    # the writer flushes on its own thread: the file is complete once its exit event is in it
    for ((w = 0; w < 600; w++)); do
      cast=$(ls "$recorded"/recordings/*.cast 2>/dev/null | head -1 || true)
      [[ -n "$cast" ]] && tail -c 200 "$cast" | grep -q '"x",' && break
      sleep 0.1
    done
    size=$(stat -c %s "$cast")
    lost=$(grep -o '"kubehop: [0-9]* bytes not recorded' "$cast" | grep -o '[0-9]*' | paste -sd+ | bc || true)
    ((size > cast_bytes)) && cast_bytes=$size
    ((${lost:-0} > dropped)) && dropped=${lost:-0}
    rm -f "$recorded"/recordings/*.cast
  done
  ratio=$(printf %.3f "$(echo "$best_plain / $best_recorded" | bc -l)")
  rows+=("| $c | $(printf %.2f "$best_plain") | $(mib "$best_plain") | $(printf %.2f "$best_recorded") | $(mib "$best_recorded") | $ratio | $((cast_bytes / 1048576)) | $dropped |")
  json_rows+=("{\"client\":\"$c\",\"plainSeconds\":$best_plain,\"recordedSeconds\":$best_recorded,\"ratio\":$ratio,\"castBytes\":$cast_bytes,\"droppedBytes\":$dropped}")
done

echo
echo "exec -- $producer, best of $runs, $(nproc) cores, $(date -u +%FT%TZ)"
echo
echo "| client | plain s | plain MiB/s | recorded s | recorded MiB/s | recorded ÷ plain throughput | largest .cast MiB | dropped bytes |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"

mkdir -p "$root/bench/results"
out="$root/bench/results/recording-cost-$(date -u +%Y%m%dT%H%M%SZ).json"
{
  echo "{\"bytes\":$bytes,\"runs\":$runs,\"source\":\"$source_kind\",\"clients\":["
  (IFS=,; echo "${json_rows[*]}")
  echo "]}"
} >"$out"
echo
echo "JSON: $out"
