#!/usr/bin/env bash
# kubehop's benchmark suite (issue 16): one command, one markdown table, each figure beside the baseline measured
# in the same run, and the same as JSON.
#
#   bench/run.sh [--quick] [--only LIST] [--out DIR] [--bytes N] [--runs R] [--seconds S] [--clients LIST]
#                [--recording-source zero|text]
#
# LIST is comma-separated; the benches (default: all of them):
#   stdout     `exec -- head -c N /dev/zero`, the output discarded by the client
#   stdin      `exec -i -- sh -c 'cat >/dev/null'` fed N bytes
#              both through every client on the proxy path (kubectl 1.30+'s WebSocket translated at the apiserver),
#              the WebSocket clients with the kubelet translating (--websocket-translation kubelet), and every
#              client in redirect mode (--redirect-container-streaming); baselines in the same run: a local pipe
#              and a 3-hop `socat -b 131072` relay chain on loopback. The CPU seconds each tier's process spent per
#              GiB relayed come from /proc/PID/stat before and after.
#   portforward  wrk (keep-alive, 1 thread, 8 connections, S seconds) through each client's port-forward to an HTTP
#              server in a pod, against the same server reached directly and through three `socat fork` relays
#   tls        bulk stdout with TLS (the default) against `up --insecure-http`
#   recording  bulk stdout with `up --record` against without (each recording is deleted once complete)
#   tracing    bulk stdout with `up --trace-frames` against without
#   interactive  bench/interactive.sh, on the client library in process: 1-byte echo latency through a tty session
#              against the socat chain to a local cat, `exec -- true` set-up, and sessions held at 100, 500, 1,000
#              and 2,000 at once with each tier's footprint (its own tables, after this one)
#   store      bench/store.sh: pod create, get and list latency and watch fan-out (1, 10, 100 watchers) through
#              the REST API of a file-store apiserver and an etcd one, in turn (its own table; --quick: small counts)
# Clients (--clients, comma-separated): kubectl:1.29 (SPDY), kubectl:1.33 (WebSocket), kubehop:spdy,
# kubehop:websocket (the CLI in bin/).
#
# Defaults: N = 1 GiB, R = 3, S = 10. --quick: N = 16 MiB, R = 1, S = 1, and the two kubectls only for tls,
# recording and tracing, for CI, which checks that the suite runs, not its numbers. Every measurement is the best of R runs taken in alternation with its baseline (A B A B…),
# so that both see the same load: machines are shared and noisy; read the ratios. Bulk throughput is N over (the
# run's seconds - the client's set-up, `exec -- true`, measured beside it): the set-up is its own bench.
# Starts its own throw-away clusters (own KUBEHOP_HOME, free ports on 127.0.0.0/8) and stops them at the end.
# Installs socat and wrk from Debian's packages when missing. Writes DIR/bench-<UTC time>.{md,json} (DIR:
# bench/results, git-ignored). Exits non-zero if any step fails; a missed target is reported, not a failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"

all_benches=stdout,stdin,portforward,tls,recording,tracing,interactive,store
only=$all_benches
out="$root/bench/results"
quick=false
bytes="" runs="" seconds=""
clients="kubectl:1.29 kubectl:1.33 kubehop:spdy kubehop:websocket"
recording_source=zero
while (($#)); do
  case "$1" in
    --quick) quick=true; shift ;;
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --bytes) bytes="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --clients) clients="${2//,/ }" option_clients="$clients"; shift 2 ;;
    --recording-source) recording_source="$2"; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1 (--help)" >&2; exit 2 ;;
  esac
done
option_clients=${option_clients:-}
if $quick; then
  bytes=${bytes:-$((16 << 20))} runs=${runs:-1} seconds=${seconds:-1}
  # what an option costs is the apiserver's and the kubelets' business: one client per wire form is enough to
  # check that the benches run, and saves CI a JVM start per run
  option_clients=${option_clients:-kubectl:1.29 kubectl:1.33}
else
  bytes=${bytes:-$((1 << 30))} runs=${runs:-3} seconds=${seconds:-10}
fi
option_clients=${option_clients:-$clients}
# a run that takes longer than this has hung (it would move N at 4 MiB/s): it fails the suite rather than stall it
run_limit=$((60 + bytes / (4 << 20)))
for b in ${only//,/ }; do
  [[ ",$all_benches," == *",$b,"* ]] || { echo "bench: unknown bench $b (one of $all_benches)" >&2; exit 2; }
done
wants() { [[ ",$only," == *",$1,"* ]]; }
case "$recording_source" in
  zero) producer="head -c $bytes /dev/zero" ;;
  text) producer="yes 'kubehop recording benchmark line' | head -c $bytes" ;;
  *) echo "bench: --recording-source is zero or text" >&2; exit 2 ;;
esac

need_debian_tools socat wrk
unset KUBECTL_REMOTE_COMMAND_WEBSOCKETS KUBECTL_PORT_FORWARD_WEBSOCKETS KUBEHOP_HOME KUBECONFIG

work="$(mktemp -d /tmp/kubehop-bench.XXXXXX)"
bench_stderr="$work/stderr.log"
: >"$bench_stderr"
declare -A home=()
forward_pid="" forward_port="" chain_pids=()
cleanup() {
  local status=$?
  [[ -z "$forward_pid" ]] || kill "$forward_pid" 2>/dev/null || true
  ((${#chain_pids[@]} == 0)) || kill "${chain_pids[@]}" 2>/dev/null || true
  for h in "${home[@]}"; do stop_cluster "$h"; done
  if ((status != 0)); then
    echo "bench: failed; the commands' stderr (last lines):" >&2
    tail -n 20 "$bench_stderr" "$work"/*.log "$work"/*/logs/*.log >&2 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---- clusters --------------------------------------------------------------------------------------------
# One cluster per configuration, all up for the whole run (idle clusters cost next to nothing) so that
# configurations can alternate run by run. Started two at a time: on 2 cores six JVM apiservers starting together
# miss `up`'s 60 s deadline. The CLI builds first if the jars are stale, so that no two `up`s build at once.
declare -A cluster_flags=(
  [default]=""
  [kubelet]="--websocket-translation kubelet"
  [redirect]="--redirect-container-streaming"
  [plain]="--insecure-http"
  [record]="--record"
  [trace]="--trace-frames"
)
# interactive and store start their own
clusters=()
if wants stdout || wants stdin || wants portforward; then clusters+=(default); fi
if wants stdout || wants stdin; then clusters+=(kubelet redirect); fi
if wants tls; then clusters+=(default plain); fi
if wants recording; then clusters+=(default record); fi
if wants tracing; then clusters+=(default trace); fi
# shellcheck disable=SC2207 # cluster names are words: default once, in the order wanted
clusters=($(printf '%s\n' "${clusters[@]}" | awk '!seen[$0]++'))
started=$(date +%s.%N)
progress() { echo "bench: +$(fmt "$(calc "$(date +%s.%N) - $started")" 0)s $*" >&2; }
"$root/bin/kubehop" --help >/dev/null
((${#clusters[@]} == 0)) || progress "starting ${#clusters[@]} cluster(s): ${clusters[*]}"
starting=()
for c in "${clusters[@]}"; do
  home[$c]="$work/$c"
  # shellcheck disable=SC2086 # the flags are words
  start_cluster "${home[$c]}" ${cluster_flags[$c]} 2>>"$work/$c.log" &
  starting+=($!)
  if ((${#starting[@]} == 2)); then wait "${starting[0]}"; starting=("${starting[@]:1}"); fi
done
for p in "${starting[@]}"; do wait "$p"; done

# ---- rows ------------------------------------------------------------------------------------------------
table=()
json=()
misses=0
row() { # bench client path result baseline ratio cpu target met json-fields
  # 16 MiB is mostly set-up: the quick mode's figures say that the benches run, not whether a target is met
  if $quick && [[ -n "$8" ]]; then set -- "${@:1:8}" "not judged (--quick)" "${10}"; fi
  table+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 | $9 |")
  json+=("{\"bench\":\"$1\",\"client\":\"$2\",\"path\":\"$3\",\"target\":\"$8\",\"met\":\"$9\",${10}}")
  [[ "$9" != miss* ]] || misses=$((misses + 1))
}

# client_exec CLIENT -> the words of an exec through CLIENT, up to the pod's name
client_exec() {
  case "$1" in
    kubehop:*) echo "$root/bin/kubehop exec --transport=${1#kubehop:}" ;;
    kubectl:*) echo "$(kubectl_bin "${1#kubectl:}") exec" ;;
    *) echo "bench: unknown client $1" >&2; return 1 ;;
  esac
}
websocket_client() { [[ "$1" == kubehop:websocket ]] || { [[ "$1" == kubectl:* ]] && ((${1#kubectl:1.} >= 30)); }; }

feed() { head -c "$bytes" /dev/zero | "$@"; }

# exec_run CLUSTER CLIENT setup|stdout|stdin|record -> "wall client-cpu apiserver-cpu kubelet-cpu runtime-cpu"
# (seconds); the tiers' CPU is what their processes spent from just before to just after the run.
exec_run() {
  local h="${home[$1]}" client="$2" kind="$3" before after t
  local -a cmd
  read -ra cmd <<<"timeout -k 5 $run_limit $(client_exec "$client")"
  case "$kind" in
    setup) cmd+=(bench -- true) ;;
    stdout) cmd+=(bench -- head -c "$bytes" /dev/zero) ;;
    stdin) cmd=(feed "${cmd[@]}" -i bench -- sh -c 'cat >/dev/null') ;;
    record) cmd+=(bench -- sh -c "$producer") ;;
  esac
  before=$(tier_cpu "$h")
  t=$(KUBECONFIG="$h/kubeconfig" timed "${cmd[@]}")
  # a recording is written after the session by a writer thread: count its CPU, then delete the file
  [[ ! -d "$h/recordings" ]] || recordings_done "$h"
  after=$(tier_cpu "$h")
  echo "$t $(fields_minus "$after" "$before")"
}

# recordings_done HOME: waits until every recording has its exit event, notes its size and the bytes its writer
# dropped in $work/recordings.txt, and deletes it.
recordings_done() {
  local cast w size lost
  for cast in "$1"/recordings/*.cast; do
    [[ -f "$cast" ]] || continue
    for ((w = 0; w < 600; w++)); do tail -c 200 "$cast" | grep -q '"x",' && break; sleep 0.1; done
    size=$(stat -c %s "$cast")
    lost=$(grep -o '"kubehop: [0-9]* bytes not recorded' "$cast" | grep -o '[0-9]*' | paste -sd+ | bc || true)
    echo "$size ${lost:-0}" >>"$work/recordings.txt"
    rm -f "$cast"
  done
}

mibps() { fmt "$(calc "$bytes / 1048576 / $1")" 1; }

# bulk_figures "SETUP-LINE" "RUN-LINE" -> "seconds bulk-seconds api kubelet runtime client": the run's wall time,
# the same less the set-up, and the CPU seconds per GiB beyond the set-up's, of each tier and of the client
bulk_figures() {
  awk -v s="$1" -v r="$2" -v bytes="$bytes" 'BEGIN { split(s, a); split(r, b); g = 1073741824 / bytes
    bulk = b[1] - a[1]; if (bulk < 0.001) bulk = 0.001
    printf "%s %.3f", b[1], bulk
    for (i = 3; i <= 5; i++) { d = (b[i] - a[i]) * g; printf " %.2f", (d < 0 ? 0 : d) }
    d = (b[2] - a[2]) * g; printf " %.2f\n", (d < 0 ? 0 : d) }'
}

# ---- bulk stdout and stdin -------------------------------------------------------------------------------
bulk_bench() { # stdout|stdin
  local kind="$1" cluster client path pipe chain s bulk api kubelet runtime ccpu ratio target met want
  local -a f
  progress "$kind, $bytes bytes, best of $runs"
  alternate "$runs" "pipe_run $bytes" "chain_run $kind $bytes"
  read -r pipe _ <<<"${best[pipe_run $bytes]}"
  read -r chain _ <<<"${best[chain_run $kind $bytes]}"
  row "$kind" "-" "local pipe" "$(mibps "$pipe") MiB/s" "socat chain $(mibps "$chain") MiB/s" \
    "$(fmt "$(calc "$chain / $pipe")")" "" "" "" "\"seconds\":$pipe,\"baselineSeconds\":$chain"
  for cluster in default kubelet redirect; do
    case "$cluster" in
      default) path=proxy ;;
      kubelet) path="kubelet-translation" ;;
      redirect) path=redirect ;;
    esac
    for client in $clients; do
      # with the kubelet translating, a SPDY client's path is the proxy path's: only WebSocket clients differ
      [[ "$cluster" != kubelet ]] || websocket_client "$client" || continue
      alternate "$runs" "chain_run $kind $bytes" "exec_run $cluster $client setup" "exec_run $cluster $client $kind"
      read -r chain _ <<<"${best[chain_run $kind $bytes]}"
      read -ra f <<<"$(bulk_figures "${best[exec_run $cluster $client setup]}" "${best[exec_run $cluster $client $kind]}")"
      s=${f[0]} bulk=${f[1]} api=${f[2]} kubelet=${f[3]} runtime=${f[4]} ccpu=${f[5]}
      ratio=$(fmt "$(calc "$chain / $bulk")")
      if [[ "$client" == kubehop:* ]]; then want=0.80; else want=0.60; fi
      target="≥$want× chain, ≤0.5 CPU-s/GiB per tier"
      met=$(awk -v r="$ratio" -v w="$want" -v a="$api" -v k="$kubelet" -v t="$runtime" 'BEGIN {
        m = ""; if (r < w) m = m " ratio"; if (a > 0.5) m = m " apiserver"; if (k > 0.5) m = m " kubelet"
        if (t > 0.5) m = m " runtime"; print (m == "" ? "pass" : "miss:" m) }')
      row "$kind" "$client" "$path" "$(mibps "$bulk") MiB/s ($(fmt "$s") s)" "socat chain $(mibps "$chain") MiB/s" \
        "$ratio" "$api / $kubelet / $runtime ($ccpu)" "$target" "$met" \
        "\"seconds\":$s,\"bulkSeconds\":$bulk,\"setupSeconds\":$(calc "$s - $bulk"),\"baselineSeconds\":$chain,\"ratio\":$ratio,\"cpuSecondsPerGiB\":{\"apiserver\":$api,\"kubelet\":$kubelet,\"runtime\":$runtime,\"client\":$ccpu}"
    done
  done
}

# ---- port-forward ----------------------------------------------------------------------------------------
# wrk_run URL -> "seconds-per-request p50-ms p99-ms" (all better smaller, for alternate)
wrk_run() {
  local report rps p50 p99
  report=$(wrk -t1 -c8 -d"${seconds}s" --latency "$1" 2>>"$bench_stderr")
  if grep -q 'Non-2xx' <<<"$report"; then echo "bench: wrk through $1 got errors: $report" >&2; return 1; fi
  grep -q 'Socket errors' <<<"$report" && echo "bench: wrk $1: $(grep 'Socket errors' <<<"$report")" >&2
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$report")
  (($(calc "${rps:-0} > 0"))) || { echo "bench: wrk through $1 completed no request: $report" >&2; return 1; }
  # wrk prints latencies as 812.00us, 1.20ms or 1.01s
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$report")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$report")
  echo "$(calc "1 / $rps") $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000
    else if (v ~ /s$/) n *= 1000; printf "%.3f\n", n }'
}

# forward_start CLIENT TARGET-PORT: a port-forward to pod web in the background, once a request through it is
# answered; sets forward_pid and forward_port (not to be called in a subshell: cleanup stops what it started)
forward_start() {
  local client="$1" port w h="${home[default]}"
  port=$(free_port)
  forward_port=$port
  case "$client" in
    kubehop:*) KUBEHOP_HOME="$h" KUBECONFIG="$h/kubeconfig" "$root/bin/kubehop" port-forward \
      --transport="${client#kubehop:}" pod/web "$port:$2" >>"$bench_stderr" 2>&1 & ;;
    kubectl:*) KUBECONFIG="$h/kubeconfig" "$(kubectl_bin "${client#kubectl:}")" port-forward \
      pod/web "$port:$2" >>"$bench_stderr" 2>&1 & ;;
  esac
  forward_pid=$!
  for ((w = 0; w < 300; w++)); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && return 0
    kill -0 "$forward_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: the port-forward of $client never answered" >&2
  return 1
}

# forward_chain IP:PORT -> the port of three `socat fork` relays in a row in front of IP:PORT, one per tier: the
# physical limit of any 3-hop forward on this machine, beside the server reached directly (on 2 cores, three
# relays in series cost far more than the server itself). Sets chain_pids.
forward_chain() {
  local target="$1" p1 p2 p3
  p1=$(free_port) p2=$(free_port) p3=$(free_port)
  socat -b131072 "TCP-LISTEN:$p3,bind=127.0.0.1,reuseaddr,fork" "TCP:$target" & chain_pids+=($!)
  socat -b131072 "TCP-LISTEN:$p2,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$p3" & chain_pids+=($!)
  socat -b131072 "TCP-LISTEN:$p1,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$p2" & chain_pids+=($!)
  wait_listening "$p3" "$p2" "$p1"
  forward_chain_port=$p1
}

forward_bench() {
  local web client direct chain fwd rps drps crps p50 p99 dp50 dp99 cp50 cp99 ratio chain_ratio met
  progress "portforward, wrk ${seconds}s, best of $runs"
  web=$(start_web_pod "${home[default]}")
  direct="http://$web/"
  forward_chain "$web"
  chain="http://127.0.0.1:$forward_chain_port/"
  for client in $clients; do
    forward_start "$client" "${web#*:}"
    fwd="http://127.0.0.1:$forward_port/"
    # one untimed round first: the JVMs on the path (every tier, and the kubehop CLI) are still compiling their
    # hot paths during the first seconds of load, which would measure the JIT and not the forward
    wrk_run "$fwd" >/dev/null
    alternate "$runs" "wrk_run $direct" "wrk_run $chain" "wrk_run $fwd"
    kill "$forward_pid" 2>/dev/null || true
    wait "$forward_pid" 2>/dev/null || true
    forward_pid=""
    read -r rps p50 p99 <<<"${best[wrk_run $fwd]}"
    read -r drps dp50 dp99 <<<"${best[wrk_run $direct]}"
    read -r crps cp50 cp99 <<<"${best[wrk_run $chain]}"
    rps=$(fmt "$(calc "1 / $rps")" 0) drps=$(fmt "$(calc "1 / $drps")" 0) crps=$(fmt "$(calc "1 / $crps")" 0)
    ratio=$(fmt "$(calc "$rps / $drps")" 3) chain_ratio=$(fmt "$(calc "$rps / $crps")" 3)
    met=$(awk -v r="$rps" -v x="$ratio" 'BEGIN { m = ""; if (r < 5000) m = m " req/s"; if (x < 0.5) m = m " ratio"
      print (m == "" ? "pass" : "miss:" m) }')
    row portforward "$client" "proxy" "$rps req/s, p50 $p50 ms, p99 $p99 ms" \
      "direct $drps req/s, p50 $dp50 ms, p99 $dp99 ms; socat chain $crps req/s, p50 $cp50 ms, p99 $cp99 ms" \
      "$ratio ($chain_ratio× chain)" "" "≥5000 req/s, ≥0.5× direct" "$met" \
      "\"requestsPerSecond\":$rps,\"p50Ms\":$p50,\"p99Ms\":$p99,\"baselineRequestsPerSecond\":$drps,\"baselineP50Ms\":$dp50,\"baselineP99Ms\":$dp99,\"ratio\":$ratio,\"chainRequestsPerSecond\":$crps,\"chainP50Ms\":$cp50,\"chainP99Ms\":$cp99,\"chainRatio\":$chain_ratio"
  done
  kill "${chain_pids[@]}" 2>/dev/null || true
  wait "${chain_pids[@]}" 2>/dev/null || true
  chain_pids=()
}

# ---- what an option costs: the same bulk stdout with it and without, alternating -------------------------
option_bench() { # bench-name baseline-cluster baseline-label option-cluster option-label run-kind
  local name="$1" base="$2" base_label="$3" opt="$4" opt_label="$5" kind="$6" client b o ratio extra casts
  local -a fb fo
  progress "$name, $bytes bytes, best of $runs"
  for client in $option_clients; do
    : >"$work/recordings.txt"
    alternate "$runs" "exec_run $base $client setup" "exec_run $base $client $kind" \
      "exec_run $opt $client setup" "exec_run $opt $client $kind"
    read -ra fb <<<"$(bulk_figures "${best[exec_run $base $client setup]}" "${best[exec_run $base $client $kind]}")"
    read -ra fo <<<"$(bulk_figures "${best[exec_run $opt $client setup]}" "${best[exec_run $opt $client $kind]}")"
    b=${fb[1]} o=${fo[1]}
    ratio=$(fmt "$(calc "$b / $o")" 3)
    extra=""
    if [[ -s "$work/recordings.txt" ]]; then
      casts=$(awk '{ if ($1 > s) s = $1; if ($2 > d) d = $2 } END { printf "%d %d", s, d }' "$work/recordings.txt")
      extra=", largest .cast $((${casts% *} >> 20)) MiB, ${casts#* } bytes dropped"
    fi
    row "$name" "$client" "proxy" \
      "$opt_label: $(mibps "$o") MiB/s, set-up $(fmt "$(calc "${fo[0]} - $o")") s$extra" \
      "$base_label: $(mibps "$b") MiB/s, set-up $(fmt "$(calc "${fb[0]} - $b")") s" "$ratio" \
      "${fo[2]} / ${fo[3]} / ${fo[4]} (${fo[5]})" "" "" \
      "\"bulkSeconds\":$o,\"setupSeconds\":$(calc "${fo[0]} - $o"),\"baselineBulkSeconds\":$b,\"baselineSetupSeconds\":$(calc "${fb[0]} - $b"),\"ratio\":$ratio,\"cpuSecondsPerGiB\":{\"apiserver\":${fo[2]},\"kubelet\":${fo[3]},\"runtime\":${fo[4]},\"client\":${fo[5]}}"
  done
}

wants stdout && bulk_bench stdout
wants stdin && bulk_bench stdin
wants portforward && forward_bench
wants tls && option_bench tls plain "--insecure-http" default "TLS" stdout
wants recording && option_bench recording default "off" record "--record" record
wants tracing && option_bench tracing default "off" trace "--trace-frames" stdout

# ---- the table and the JSON ------------------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
wall=$(fmt "$(calc "$(date +%s.%N) - $started")" 0)
cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_kib=$(awk '/^MemTotal/ { print $2 }' /proc/meminfo)
mkdir -p "$out"
# the benches that print their own tables (interactive, store) alone leave this one empty: its header only then
((${#table[@]})) || table=("| (no rows: the benches chosen print their own tables below) | | | | | | | | |")
{
  echo "kubehop bench, $(date -u +%FT%TZ): $bytes bytes, best of $runs, wrk ${seconds}s; $(nproc) cores ($cpu_model), $((mem_kib >> 20)) GiB, Linux $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); ${wall}s"
  echo
  echo "| bench | client | path | result | baseline (same run) | × baseline | CPU-s/GiB apiserver / kubelet / runtime (client) | target | met |"
  echo "|---|---|---|---|---|---:|---|---|---|"
  printf '%s\n' "${table[@]}"
} | tee "$out/bench-$stamp.md"
{
  printf '{"time":"%s","quick":%s,"bytes":%s,"runs":%s,"wrkSeconds":%s,"wallSeconds":%s,' \
    "$(date -u +%FT%TZ)" "$quick" "$bytes" "$runs" "$seconds" "$wall"
  printf '"machine":{"nproc":%s,"cpu":"%s","memKiB":%s,"kernel":"%s","loadavg":"%s"},"misses":%s,"rows":[' \
    "$(nproc)" "$cpu_model" "$mem_kib" "$(uname -r)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$misses"
  (IFS=,; printf '%s' "${json[*]}")
  echo ']}'
} >"$out/bench-$stamp.json"
python3 -m json.tool "$out/bench-$stamp.json" >/dev/null
if wants interactive; then
  progress "interactive: echo latency, set-up, sessions held at once"
  interactive=(--out "$out/interactive-$stamp.json")
  if $quick; then interactive+=(--quick); fi
  bash "$root/bench/interactive.sh" "${interactive[@]}" | tee -a "$out/bench-$stamp.md"
fi
if wants store; then
  progress "store: the file store and etcd through the REST API"
  store=(--out "$out")
  if $quick; then store+=(--quick); fi
  bash "$root/bench/store.sh" "${store[@]}" | tee -a "$out/bench-$stamp.md"
fi
echo
echo "$misses target(s) missed; $out/bench-$stamp.md, $out/bench-$stamp.json"
