#!/usr/bin/env bash
# What the etcd backend costs next to the file store (issue 17), through the REST API:
#
#   bench/store.sh [--quick] [--backends file,etcd[,etcd-tmpfs]] [--pods N] [--gets N] [--lists N]
#                  [--watchers 1,10,100] [--watch-creates N] [--warm-up N] [--out DIR]
#
# Starts one apiserver per backend, alone (no kubelet, no runtime), in plain HTTP without authentication (the
# flags `up --insecure-http` gives it) so that the store is what differs: `file` the embedded file store,
# `etcd` the etcd backend on an etcd of its own (Debian's etcd-server, installed when missing) on free loopback
# ports with its data on disk, and `etcd-tmpfs` (not by default) the same with its data in /dev/shm, which shows
# what etcd's fsync of each write costs (the file store does not fsync). Then the in-process harness (`store`
# in bench/src) measures, each apiserver in turn operation by operation (file, etcd, file, etcd…, so that both
# see the same load), after an untimed warm-up: N pod creates, gets of them, lists of all N, and the watch
# fan-out: for each level W, W watches per apiserver on a fresh namespace and creates one at a time, each timed
# from its response (and from its request) to every watcher's ADDED event. Pods are bound to a node that does not
# exist, so no scheduler or kubelet adds writes.
#
# Prints a markdown table, p50/p99 per backend and etcd's p50 as a multiple of the file store's (the figure to
# read: machines here are shared and noisy; for the fan-out after the response, which is about 0 with the file
# store, the difference), and writes it with the JSON lines to DIR/store-<UTC time>.{md,json}
# (DIR: bench/results, git-ignored). Defaults: N = 500 pods, 2000 gets, 50 lists, watchers 1,10,100, 50 creates
# per level, 300 warm-up rounds; --quick (CI: that it runs, not how fast): 50, 100, 10, 1,10, 5 and 50.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backends=file,etcd
pods=500 gets=2000 lists=50 watchers=1,10,100 creates=50 warm=300
out="$root/bench/results"
while (($#)); do
  case "$1" in
    --quick) pods=50 gets=100 lists=10 watchers=1,10 creates=5 warm=50; shift ;;
    --backends) backends="$2"; shift 2 ;;
    --pods) pods="$2"; shift 2 ;;
    --gets) gets="$2"; shift 2 ;;
    --lists) lists="$2"; shift 2 ;;
    --watchers) watchers="$2"; shift 2 ;;
    --watch-creates) creates="$2"; shift 2 ;;
    --warm-up) warm="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "store: unknown argument $1 (--help)" >&2; exit 2 ;;
  esac
done
for b in ${backends//,/ }; do
  [[ "$b" =~ ^(file|etcd|etcd-tmpfs)$ ]] || { echo "store: unknown backend $b (file, etcd, etcd-tmpfs)" >&2; exit 2; }
done

# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
[[ ",$backends," != *,etcd* ]] || need_debian_tools etcd:etcd-server

work="$(mktemp -d /tmp/kubehop-store.XXXXXX)"
pids=()
cleanup() {
  local status=$?
  ((${#pids[@]} == 0)) || kill "${pids[@]}" 2>/dev/null || true
  ((${#pids[@]} == 0)) || wait "${pids[@]}" 2>/dev/null || true
  if ((status != 0)); then
    echo "store: failed; the logs' last lines (all of them kept in $out/store-failed-${work##*/}):" >&2
    tail -n 20 "$work"/*.log >&2 || true
    local kept="$out/store-failed-${work##*/}"
    { mkdir -p "$kept" && cp "$work"/*.log "$kept/"; } || true
  fi
  rm -rf "$work" /dev/shm/"$(basename "$work")"
}
trap cleanup EXIT

# the tiers and the harness, built when their sources changed (bin/kubehop builds the tiers)
"$root/bin/kubehop" --help >/dev/null
jar="$root/bench/target/kubehop-bench.jar"
if [[ ! -f "$jar" || -n "$(find "$root"/{bench,client,streaming}/{pom.xml,src/main} -newer "$jar" -print -quit)" ]]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -pl bench -am) >&2
fi

wait_url() { # URL WHAT: up to 60 s
  local w
  for ((w = 0; w < 600; w++)); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "store: $2 never answered $1" >&2
  return 1
}

# start_etcd NAME DATA-DIR: sets etcd_url (not in a subshell: cleanup stops what it started)
start_etcd() {
  local client peer
  client=$(free_port) peer=$(free_port)
  while [[ "$peer" == "$client" ]]; do peer=$(free_port); done
  etcd --name "$1" --data-dir "$2" --listen-client-urls "http://127.0.0.1:$client" \
    --advertise-client-urls "http://127.0.0.1:$client" --listen-peer-urls "http://127.0.0.1:$peer" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer" --initial-cluster "$1=http://127.0.0.1:$peer" \
    >"$work/etcd-$1.log" 2>&1 &
  pids+=($!)
  etcd_url="http://127.0.0.1:$client"
  wait_url "$etcd_url/health" "etcd $1"
}

servers=()
started=$(date +%s.%N)
for b in ${backends//,/ }; do
  port=$(free_port)
  args=(--home "$work/$b" --bind-address 127.0.0.1 --port "$port")
  case "$b" in
    etcd) start_etcd "$b" "$work/$b-etcd" ;;
    etcd-tmpfs) start_etcd "$b" "/dev/shm/$(basename "$work")" ;;
  esac
  [[ "$b" == file ]] || args+=(--storage-backend etcd --etcd-servers "$etcd_url")
  "$root/bin/apiserver" "${args[@]}" >"$work/apiserver-$b.log" 2>&1 &
  pids+=($!)
  servers+=(--server "$b=http://127.0.0.1:$port")
done
for s in "${servers[@]}"; do
  [[ "$s" == --server ]] || wait_url "${s#*=}/readyz" "the apiserver ${s%%=*}"
done

echo "store: ${backends//,/, }: $pods pods, $gets gets, $lists lists, watchers $watchers × $creates creates" >&2
java -XX:+UseParallelGC -jar "$jar" store "${servers[@]}" --pods "$pods" --gets "$gets" --lists "$lists" \
  --watchers "$watchers" --watch-creates "$creates" --warm-up "$warm" >"$work/store.jsonl"
wall=$(fmt "$(calc "$(date +%s.%N) - $started")" 0)

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
cp "$work/store.jsonl" "$out/store-$stamp.json"
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
{
  echo "kubehop store bench, $(date -u +%FT%TZ): $pods pods, $gets gets, $lists lists, watchers $watchers × $creates creates, warm-up $warm; $(nproc) cores ($cpu_model), Linux $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); ${wall}s"
  echo
  python3 - "$work/store.jsonl" "$backends" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
backends = sys.argv[2].split(",")
ms = lambda us: f"{us / 1000:.2f}"
by = {}
for r in rows:
    by.setdefault((r["op"], r.get("watchers")), {})[r["backend"]] = r
head = "| operation | " + " | ".join(f"{b} p50 / p99 ms" for b in backends)
others = [b for b in backends if b != "file"]
head += "".join(f" | {b} ÷ file (p50, p99; after the response: − file)" for b in others) + " |"
print(head)
print("|---|" + "---:|" * (len(backends) + len(others)))
for (op, w), per in by.items():
    label = {"create": "create a pod", "get": "get a pod", "list": f"list {per[backends[0]].get('pods')} pods"}.get(op, f"watch fan-out, {w} watcher(s): create response → ADDED")
    cells = [f"{ms(per[b]['p50_us'])} / {ms(per[b]['p99_us'])}" for b in backends]
    ratios = []
    for b in others:
        f, e = per["file"], per[b]
        if op == "watch":
            # after the response the file store's event is ~0 ms or early (negative): a ratio says nothing there,
            # the difference does
            ratios.append(f"{(e['p50_us'] - f['p50_us']) / 1000:+.2f} ms, {(e['p99_us'] - f['p99_us']) / 1000:+.2f} ms")
        else:
            ratios.append(f"{e['p50_us'] / f['p50_us']:.2f}×, {e['p99_us'] / f['p99_us']:.2f}×")
    print(f"| {label} | " + " | ".join(cells) + "".join(f" | {r}" for r in ratios) + " |")
    if op == "watch":
        cells = [f"{ms(per[b]['sinceRequest']['p50_us'])} / {ms(per[b]['sinceRequest']['p99_us'])}" for b in backends]
        ratios = []
        for b in others:
            f, e = per["file"]["sinceRequest"], per[b]["sinceRequest"]
            ratios.append(f"{e['p50_us'] / f['p50_us']:.2f}×, {e['p99_us'] / f['p99_us']:.2f}×")
        print(f"| watch fan-out, {w} watcher(s): create sent → ADDED | " + " | ".join(cells) + "".join(f" | {r}" for r in ratios) + " |")
PY
} | tee "$out/store-$stamp.md"
echo
echo "$out/store-$stamp.md, $out/store-$stamp.json"
