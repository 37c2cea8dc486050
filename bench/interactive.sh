#!/usr/bin/env bash
# The interactive part of the suite (issue 16, items 3 to 5), on the project's client library in process
# (bench/src, the kubehop-bench jar):
#
#   bench/interactive.sh [--quick] [--round-trips N] [--setups N] [--levels 100,500,1000,2000] [--out FILE]
#
# 3. Echo latency: 1 byte typed into `exec -it` running cat (no echo, no line editing) and its echo back, N round
#    trips after a warm-up, p50/p99/p999, on SPDY and on WebSocket; the baseline is the same harness through a
#    chain of three `socat -b 131072` relays on loopback ending in a local cat on a raw pty.
# 4. Setup latency: N x `exec -- true` one after another in process, p50/p99; and whole kubectl processes
#    (1.29 and 1.33, 20 each) for reference.
# 5. Concurrency: sessions held open at each level; per tier RSS (the process alone: the pods' processes are its
#    children, not it), threads, fds and live heap after a full GC, memory per session, and the echo latency
#    across the sessions at that level.
# Starts its own cluster (a fresh KUBEHOP_HOME, free ports). Prints markdown tables and writes the JSON lines to
# FILE (default bench/results/interactive-<UTC time>.json). Installs socat when missing. Read ratios and
# differences against the baseline, not absolute times: machines here are shared and noisy.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
round_trips=10000
setups=1000
levels=100,500,1000,2000
kubectl_setups=20
quick=false
out="$root/bench/results/interactive-$(date -u +%Y%m%dT%H%M%SZ).json"
while (($#)); do
  case "$1" in
    --quick) quick=true round_trips=500 setups=50 levels=10,50 kubectl_setups=3; shift ;;
    --round-trips) round_trips="$2"; shift 2 ;;
    --setups) setups="$2"; shift 2 ;;
    --levels) levels="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "interactive: unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
need_debian_tools socat

home="$(mktemp -d /tmp/kubehop-bench.XXXXXX)"
export KUBEHOP_HOME="$home" KUBECONFIG="$home/kubeconfig"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  stop_cluster "$home"
  rm -rf "$home"
}
trap cleanup EXIT

start_cluster "$home" # builds the tiers when sources changed
jar="$root/bench/target/kubehop-bench.jar"
if [[ ! -f "$jar" || -n "$(find "$root"/{bench,client,streaming}/{pom.xml,src/main} -newer "$jar" -print -quit)" ]]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -pl bench -am) >&2
fi
bench() { java -XX:+UseParallelGC -jar "$jar" "$@"; }
mkdir -p "$(dirname "$out")"
: >"$out"

# ---- 3. echo ------------------------------------------------------------------------------------------------
p1=$(free_port) p2=$(free_port) p3=$(free_port)
socat "TCP-LISTEN:$p3,bind=127.0.0.1,reuseaddr" EXEC:cat,pty,raw,echo=0 & pids+=($!)
socat -b131072 "TCP-LISTEN:$p2,bind=127.0.0.1,reuseaddr" "TCP:127.0.0.1:$p3" & pids+=($!)
socat -b131072 "TCP-LISTEN:$p1,bind=127.0.0.1,reuseaddr" "TCP:127.0.0.1:$p2" & pids+=($!)
wait_listening "$p1" "$p2" "$p3"
bench echo --tcp "127.0.0.1:$p1" --round-trips "$round_trips" | tee -a "$out" >/dev/null
for t in spdy websocket; do
  bench echo --kubeconfig "$KUBECONFIG" --transport "$t" --round-trips "$round_trips" | tee -a "$out" >/dev/null
done

# ---- 4. setup -----------------------------------------------------------------------------------------------
for t in spdy websocket; do
  bench setup --kubeconfig "$KUBECONFIG" --transport "$t" --count "$setups" | tee -a "$out" >/dev/null
done
for minor in 1.29 1.33; do
  samples=()
  for ((i = 0; i < kubectl_setups; i++)); do
    samples+=("$(timed "$(kubectl_bin "$minor")" exec bench -- true)")
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk -v minor="$minor" '
    { v[NR] = $1 } END { printf "{\"kind\":\"setup\",\"peer\":\"kubectl %s (process)\",\"n\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f}\n",
      minor, NR, v[int((NR + 1) / 2)] * 1e6, v[NR] * 1e6, v[NR] * 1e6 }' | tee -a "$out" >/dev/null
done

# ---- 5. concurrency -----------------------------------------------------------------------------------------
bench concurrency --kubeconfig "$KUBECONFIG" --levels "$levels" --round-trips "$((round_trips < 2000 ? round_trips : 2000))" \
  --pid "apiserver=$(cat "$home/run/apiserver.pid")" --pid "kubelet=$(cat "$home/run/kubelet-node-1.pid")" \
  --pid "runtime=$(cat "$home/run/runtime-node-1.pid")" | tee -a "$out" >/dev/null

# ---- tables -------------------------------------------------------------------------------------------------
python3 - "$out" "$quick" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
quick = sys.argv[2] == "true"  # too few samples, and sizes too small, to judge a target
judge = lambda ok: "not judged (--quick)" if quick else ("met" if ok else "missed")
ms = lambda us: "-" if us is None else f"{us / 1000:.2f}"
echo = [r for r in rows if r["kind"] == "echo"]
base = next(r for r in echo if r["peer"] == "tcp")
print("\n### Echo latency (1 byte, round trip, ms)\n")
print("| path | p50 | p99 | p99.9 | p50 − chain | p99 − chain | targets (p50 ≤ +1 ms, p99 ≤ +5 ms) |")
print("|---|---|---|---|---|---|---|")
for r in echo:
    name = "3-hop socat chain to a local cat" if r["peer"] == "tcp" else f"kubehop client, {r['peer']}"
    d50, d99 = (r["p50_us"] - base["p50_us"]) / 1000, (r["p99_us"] - base["p99_us"]) / 1000
    ok = "" if r["peer"] == "tcp" else judge(d50 <= 1 and d99 <= 5)
    print(f"| {name} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | {ms(r['p999_us'])} | {d50:+.2f} | {d99:+.2f} | {ok} |")
print("\n### Session setup (`exec -- true`, ms)\n")
print("| client | n | p50 | p99 | target (p50 ≤ 15 ms in process) |")
print("|---|---|---|---|---|")
for r in (r for r in rows if r["kind"] == "setup"):
    inproc = "process" not in r["peer"]
    name = f"kubehop client in process, {r['peer']}" if inproc else r["peer"]
    ok = judge(r["p50_us"] <= 15000) if inproc else ""
    print(f"| {name} | {r['n']} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | {ok} |")
conc = [r for r in rows if r["kind"] == "concurrency"]
zero = {t["tier"]: t for t in conc[0]["tiers"]}
print("\n### Sessions held at once (WebSocket, kubehop client)\n")
print("| sessions | echo p50 ms | echo p99 ms | tier | RSS MiB | threads | fds | live heap MiB | RSS KiB/session | heap KiB/session |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in conc:
    n = r["sessions"]
    for t in r["tiers"]:
        z = zero[t["tier"]]
        per_rss = "" if n == 0 else f"{(t['rss_kib'] - z['rss_kib']) / n:.1f}"
        per_heap = "" if n == 0 else f"{(t['live_heap_bytes'] - z['live_heap_bytes']) / 1024 / n:.1f}"
        print(f"| {n} | {ms(r['p50_us'])} | {ms(r['p99_us'])} | {t['tier']} | {t['rss_kib'] / 1024:.1f} | {t['threads']} | {t['fds']} "
              f"| {t['live_heap_bytes'] / 2**20:.1f} | {per_rss} | {per_heap} |")
for r in (r for r in rows if r["kind"] == "teardown"):
    print(f"\nAll {r['sessions']} sessions closed at once: the last ended after {r['ms'] / 1000:.1f} s.")
print("\nTargets at 2,000 sessions: each tier under 64 KiB per session, echo p99 under 20 ms.")
PY
echo "JSON lines: $out" >&2
