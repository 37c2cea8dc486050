#!/usr/bin/env bash
# Profiles each tier with JFR while bytes cross all three hops, and prints where each spent its CPU.
#
#   bench/profile.sh [--client kubectl:1.29|kubectl:1.33] [--bytes N] [--insecure-http] [--out DIR]
#
# Starts a throw-away cluster (as bench/run.sh does), warms it with one run, then records each tier
# (`jcmd PID JFR.start settings=profile`) through one `exec -- head -c N /dev/zero` (default 1 GiB) and prints,
# per tier: the CPU seconds it spent, user and system (from /proc/PID/stat), and bench/jfr-top.py's summary of
# its Java samples. The recordings stay in DIR (default bench/results/profile-<UTC time>/), to open in JDK Mission
# Control. docs/performance.md keeps the summaries that explain each change.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

client=kubectl:1.29 bytes=$((1 << 30)) out="" up_flags=()
while (($#)); do
  case "$1" in
    --client) client="$2"; shift 2 ;;
    --bytes) bytes="$2"; shift 2 ;;
    --insecure-http) up_flags+=(--insecure-http); shift ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "profile: unknown argument $1 (--help)" >&2; exit 2 ;;
  esac
done
[[ "$client" == kubectl:* ]] || { echo "profile: --client is kubectl:1.XX" >&2; exit 2; }
out=${out:-$root/bench/results/profile-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
home="$(mktemp -d /tmp/kubehop-profile.XXXXXX)"
trap 'stop_cluster "$home"; rm -rf "$home"' EXIT
start_cluster "$home" ${up_flags[@]+"${up_flags[@]}"}
kubectl=$(kubectl_bin "${client#kubectl:}")
run() { KUBECONFIG="$home/kubeconfig" "$kubectl" exec bench -- head -c "$bytes" /dev/zero | wc -c >/dev/null; }
run # the JIT compiles the hot paths in this one
tiers="apiserver kubelet-node-1 runtime-node-1"
hz=$(getconf CLK_TCK)
declare -A before
for t in $tiers; do
  pid=$(<"$home/run/$t.pid")
  before[$t]=$(awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$pid/stat")
  jcmd "$pid" JFR.start name=bench settings=profile filename="$out/$t.jfr" >/dev/null
done
start=$(date +%s.%N)
run
wall=$(calc "$(date +%s.%N) - $start")
{
echo "profile: $client, $bytes bytes in $(fmt "$wall") s; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for t in $tiers; do
  pid=$(<"$home/run/$t.pid")
  jcmd "$pid" JFR.stop name=bench >/dev/null
  read -r u0 s0 <<<"${before[$t]}"
  read -r u1 s1 < <(awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$pid/stat")
  echo
  echo "== $t: user $(fmt "$(calc "($u1 - $u0) / $hz")") s, system $(fmt "$(calc "($s1 - $s0) / $hz")") s"
  jfr print --json --events jdk.ExecutionSample --stack-depth 24 "$out/$t.jfr" | python3 "$root/bench/jfr-top.py"
done
} | tee "$out/summary.txt"
echo
echo "profile: recordings and summary.txt in $out"
