#!/usr/bin/env bash
# Bulk stdout through all three hops, as a ratio against the physical baseline measured in the same run.
#
#   bench/exec-throughput.sh [--bytes N] [--runs R] [--clients "kubehop:spdy kubehop:websocket kubectl:1.29 kubectl:1.33"]
#
# Starts a throw-away cluster (its own KUBEHOP_HOME, free ports), runs `head -c N /dev/zero` in a pod and discards
# the output on the client, R times per client, and the same bytes through a chain of three socat relays on loopback
# (socat -b 131072; one relay per tier: apiserver, kubelet, runtime, the last one reading the command's pipe).
# Prints a markdown table (best of R, MiB/s, ratio to the chain) and writes the same as JSON to
# bench/results/exec-throughput-<UTC time>.json. Machines are shared and noisy: read the ratio, not the seconds.
# Each client's session set-up (its start, the pod lookup, the upgrade, the process: best of R of `exec -- true`)
# is measured too and shown apart: the bulk columns are the bytes over (seconds - set-up). A JVM client pays about
# a second of start that a Go client and the socat chain do not; the bulk ratio is what the data path achieves.
# Installs socat from Debian's packages when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bytes=$((1 << 30))
runs=3
clients="kubehop:spdy kubehop:websocket kubectl:1.29 kubectl:1.33"
while (($#)); do
  case "$1" in
    --bytes) bytes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "exec-throughput: unknown argument $1" >&2; exit 2 ;;
  esac
done

if ! command -v socat >/dev/null; then
  echo "exec-throughput: installing socat" >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq socat >/dev/null; else sudo apt-get install -y -qq socat >/dev/null; fi
fi

home="$(mktemp -d /tmp/kubehop-bench.XXXXXX)"
export KUBEHOP_HOME="$home" KUBECONFIG="$home/kubeconfig"
unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS KUBECTL_PORT_FORWARD_WEBSOCKETS
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_cluster "$home"
  rm -rf "$home"
}
trap cleanup EXIT

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

best_of() { # command… -> the smallest of $runs timings
  local best="" t
  for ((i = 0; i < runs; i++)); do
    t=$(timed "$@")
    if [[ -z "$best" ]] || (($(echo "$t < $best" | bc -l))); then best=$t; fi
  done
  echo "$best"
}

# ---- baselines -------------------------------------------------------------------------------------------
pipe_time=$(best_of sh -c "head -c $bytes /dev/zero")

listening() { ss -ltnH "sport = :$1" | grep -q .; }

chain() { # one run through three single-shot relays -> seconds
  local p3 p2 p1 start end
  p3=$(free_port); p2=$(free_port); p1=$(free_port)
  socat -b131072 "TCP-LISTEN:$p3,bind=127.0.0.1,reuseaddr" EXEC:"head -c $bytes /dev/zero" & pids+=($!)
  socat -b131072 "TCP-LISTEN:$p2,bind=127.0.0.1,reuseaddr" "TCP:127.0.0.1:$p3" & pids+=($!)
  socat -b131072 "TCP-LISTEN:$p1,bind=127.0.0.1,reuseaddr" "TCP:127.0.0.1:$p2" & pids+=($!)
  for p in $p3 $p2 $p1; do
    for ((w = 0; w < 200; w++)); do listening "$p" && break; sleep 0.05; done
  done
  start=$(now)
  socat -b131072 -u "TCP:127.0.0.1:$p1" - >/dev/null
  end=$(now)
  wait 2>/dev/null || true
  pids=()
  echo "$end - $start" | bc -l
}
chain_time=""
for ((i = 0; i < runs; i++)); do
  t=$(chain)
  if [[ -z "$chain_time" ]] || (($(echo "$t < $chain_time" | bc -l))); then chain_time=$t; fi
done

# ---- the cluster -----------------------------------------------------------------------------------------
start_cluster "$home"

run_client() { # client-id command… -> the command line
  local c="$1"
  shift
  case "$c" in
    kubehop:*) echo "$root/bin/kubehop exec --transport=${c#kubehop:} bench -- $*" ;;
    kubectl:*) echo "$(kubectl_bin "${c#kubectl:}") exec bench -- $*" ;;
  esac
}

mib() { printf %.1f "$(echo "$bytes / 1048576 / $1" | bc -l)"; }
ratio() { printf %.2f "$(echo "$chain_time / $1" | bc -l)"; }

rows=()
json_rows=()
for c in $clients; do
  # shellcheck disable=SC2046
  setup=$(best_of $(run_client "$c" true))
  # shellcheck disable=SC2046
  t=$(best_of $(run_client "$c" head -c "$bytes" /dev/zero))
  bulk=$(echo "$t - $setup" | bc -l)
  rows+=("| $c | $(printf %.2f "$t") | $(mib "$t") | $(ratio "$t") | $(printf %.2f "$setup") | $(mib "$bulk") | $(ratio "$bulk") |")
  json_rows+=("{\"client\":\"$c\",\"seconds\":$t,\"ratioToChain\":$(ratio "$t"),\"setupSeconds\":$setup,\"bulkRatioToChain\":$(ratio "$bulk")}")
done

echo
echo "exec -- head -c $bytes /dev/zero, best of $runs, $(nproc) cores, $(date -u +%FT%TZ)"
echo
echo "| client | seconds | MiB/s | × socat chain | set-up s | bulk MiB/s | bulk × chain |"
echo "|---|---:|---:|---:|---:|---:|---:|"
echo "| pipe (local, no network) | $(printf %.2f "$pipe_time") | $(mib "$pipe_time") | $(ratio "$pipe_time") | | | |"
echo "| 3-hop socat -b 131072 chain | $(printf %.2f "$chain_time") | $(mib "$chain_time") | 1.00 | | | |"
printf '%s\n' "${rows[@]}"

mkdir -p "$root/bench/results"
out="$root/bench/results/exec-throughput-$(date -u +%Y%m%dT%H%M%SZ).json"
{
  echo "{\"bytes\":$bytes,\"runs\":$runs,\"pipeSeconds\":$pipe_time,\"chainSeconds\":$chain_time,\"clients\":["
  (IFS=,; echo "${json_rows[*]}")
  echo "]}"
} >"$out"
echo
echo "JSON: $out"
