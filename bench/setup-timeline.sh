#!/usr/bin/env bash
# Where the set-up of one `exec -- true` goes (issue 16, the set-up target): the in-process client of the
# interactive bench runs exec -- true one after another while strace stamps, on every tier and the client, the
# moments that mark each step: each connect to the next hop, the runtime's spawn (clone3 with CLONE_VFORK,
# jspawnhelper's execve of setsid, setsid's of the command), the command's exit, and each side's shutdown.
# Prints the median time between consecutive steps over the complete cycles.
#
#   bench/setup-timeline.sh [--transport websocket|spdy] [--count N] [--warm-up W] [--out DIR]
#
# strace slows what it traces: the tiers, attached with -p, stop at every system call (strace's seccomp filter,
# which would stop only the calls above, works only for a process it starts, as the client), and the spawned
# children with them (it follows them to see their execve). Read the shares of the steps, not their sum: the
# interactive bench measures the set-up itself, untraced.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
transport=websocket count=100 warm_up=300 out=""
while (($#)); do
  case "$1" in
    --transport) transport="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --warm-up) warm_up="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "setup-timeline: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
need_debian_tools strace

home="$(mktemp -d /tmp/kubehop-bench.XXXXXX)"
out="${out:-$root/bench/results/setup-timeline-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
export KUBEHOP_HOME="$home" KUBECONFIG="$home/kubeconfig"
tracers=()
cleanup() {
  for p in "${tracers[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_cluster "$home"
  rm -rf "$home"
}
trap cleanup EXIT

start_cluster "$home"
jar="$root/bench/target/kubehop-bench.jar"
if [[ ! -f "$jar" || -n "$(find "$root"/{bench,client,streaming}/{pom.xml,src/main} -newer "$jar" -print -quit)" ]]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -pl bench -am) >&2
fi
steps=accept,accept4,connect,execve,clone3,wait4,exit_group,shutdown
for tier in apiserver kubelet-node-1 runtime-node-1; do
  strace -f -qq -ttt -e trace="$steps" -o "$out/${tier%-node-1}.st" -p "$(cat "$home/run/$tier.pid")" &
  tracers+=($!)
done
# the client warms up first (W set-ups, left out of the timeline: strace stops only its connects and shutdowns)
strace -f --seccomp-bpf -qq -ttt -e trace=connect,shutdown -o "$out/client.st" \
  java -XX:+UseParallelGC -jar "$jar" setup --kubeconfig "$KUBECONFIG" --transport "$transport" \
  --count "$count" --warm-up "$warm_up" >"$out/setup.json"
for p in "${tracers[@]}"; do kill -INT "$p" 2>/dev/null || true; done
wait "${tracers[@]}" 2>/dev/null || true
python3 "$root/bench/setup-timeline.py" "$out" "$count" | tee "$out/timeline.txt"
