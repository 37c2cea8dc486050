#!/usr/bin/env bash
# How the cost of bulk stdout grows with the bytes (issue 16: docs/performance.md shows cost against sessions and
# against bytes): one cluster, `exec bench -- head -c N /dev/zero` for each N, through each client, best of R
# taken in alternation with the client's `exec -- true` (its set-up, subtracted) and the 3-hop socat chain with
# the same bytes. Prints a markdown table: seconds, throughput after set-up, × chain, and each tier's CPU seconds,
# in all and per GiB.
#
#   bench/scaling.sh [--sizes 16M,64M,256M,1G] [--clients kubectl:1.29,kubectl:1.33] [--runs R]
#
# Sizes take K, M and G (binary). Read the per-GiB columns down a client's rows: a constant column is a cost
# that grows with the bytes alone; a falling one carries a fixed part (set-up, a JIT warming up).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=16M,64M,256M,1G clients=kubectl:1.29,kubectl:1.33 runs=2
while (($#)); do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "scaling: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
need_debian_tools socat bc

home="$(mktemp -d /tmp/kubehop-bench.XXXXXX)"
export KUBEHOP_HOME="$home" KUBECONFIG="$home/kubeconfig"
trap 'stop_cluster "$home"; rm -rf "$home"' EXIT
start_cluster "$home" >&2


bytes_of() {
  local n="${1%[KMG]}"
  case "$1" in *K) echo $((n << 10)) ;; *M) echo $((n << 20)) ;; *G) echo $((n << 30)) ;; *) echo "$n" ;; esac
}
client_cmd() {
  case "$1" in
    kubehop:*) echo "$root/bin/kubehop exec --transport=${1#kubehop:}" ;;
    kubectl:*) echo "$(kubectl_bin "${1#kubectl:}") exec" ;;
  esac
}
# run CLIENT BYTES|setup -> "wall client-cpu apiserver kubelet runtime"
run() {
  local -a cmd
  read -ra cmd <<<"$(client_cmd "$1")"
  if [[ "$2" == setup ]]; then cmd+=(bench -- true); else cmd+=(bench -- head -c "$2" /dev/zero); fi
  local before after t
  before=$(tier_cpu "$home")
  t=$(KUBECONFIG="$home/kubeconfig" timed timeout -k 5 600 "${cmd[@]}")
  after=$(tier_cpu "$home")
  echo "$t $(fields_minus "$after" "$before")"
}

echo "| client | bytes | seconds | MiB/s after set-up | × socat chain | CPU-s apiserver / kubelet / runtime | CPU-s/GiB apiserver / kubelet / runtime |"
echo "|---|---:|---:|---:|---:|---|---|"
IFS=, read -ra client_list <<<"$clients"
IFS=, read -ra size_list <<<"$sizes"
for client in "${client_list[@]}"; do
  for size in "${size_list[@]}"; do
    n=$(bytes_of "$size")
    alternate "$runs" "chain_run stdout $n" "run $client setup" "run $client $n"
    read -r chain _ <<<"${best[chain_run stdout $n]}"
    read -ra s <<<"${best[run $client setup]}"
    read -ra r <<<"${best[run $client $n]}"
    awk -v c="$client" -v size="$size" -v n="$n" -v chain="$chain" -v s="${s[*]}" -v r="${r[*]}" 'BEGIN {
      split(s, a); split(r, b); bulk = b[1] - a[1]; g = 1073741824 / n
      for (i = 3; i <= 5; i++) { cpu[i] = b[i] - a[i]; if (cpu[i] < 0) cpu[i] = 0 }
      # a run no longer than its set-up beside it has no throughput to speak of (tiny sizes)
      rate = bulk < 0.01 ? "-" : sprintf("%.1f", n / 1048576 / bulk)
      ratio = bulk < 0.01 ? "-" : sprintf("%.2f", chain / bulk)
      printf "| %s | %s | %.2f | %s | %s | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f |\n", c, size, b[1],
        rate, ratio, cpu[3], cpu[4], cpu[5], cpu[3] * g, cpu[4] * g, cpu[5] * g }'
  done
done
