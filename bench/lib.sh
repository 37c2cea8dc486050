# Shared by the bench/ scripts: tools, ports, timing, CPU accounting, alternating best-of-N runs, the physical
# baselines (a local pipe, a 3-hop socat relay chain), and throw-away clusters with their pods. Source it after
# setting root (the repository) and `set -euo pipefail`.
# shellcheck shell=bash

# Numbers are computed in subshells ($(…)); without this a failing command inside one would go unnoticed.
shopt -s inherit_errexit
: "${root:?bench/lib.sh: set root to the repository first}"

kubectl_bin() { echo "/usr/lib/google-cloud-sdk/bin/kubectl.$1"; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# need_debian_tools COMMAND[:PACKAGE]…: installs each missing command from its Debian package, of the same name
# unless given (socat, wrk, etcd:etcd-server). A fresh machine may have no package lists yet: update them only if
# the first install attempt fails.
need_debian_tools() {
  local missing=() c
  for c in "$@"; do command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}"); done
  ((${#missing[@]})) || return 0
  echo "bench: installing ${missing[*]} from Debian's packages" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  }
}

free_port() { # [IP] -> a port free on IP (127.0.0.1) right now
  python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "${1:-127.0.0.1}"
}

listening() { ss -ltnH "sport = :$1" | grep -q .; }

wait_listening() { # PORT…: up to 10 s for each
  local p w
  for p in "$@"; do
    for ((w = 0; w < 200; w++)); do listening "$p" && break; sleep 0.05; done
    listening "$p" || { echo "bench: nothing listens on :$p" >&2; return 1; }
  done
}

# bc writes .5 for 0.5, which JSON does not take
calc() { echo "$*" | bc -l | sed -e 's/^\(-\{0,1\}\)\./\10./'; }
fmt() { printf "%.${2:-2}f" "$1"; } # NUMBER [DECIMALS]

# timed COMMAND… -> "wall-seconds cpu-seconds" of one run, its stdout discarded. The CPU is the command's own and
# its children's (bash's `time`), so a pipeline's producer counts too. Its stderr goes to $bench_stderr, which
# the caller shows when something fails.
timed() {
  local TIMEFORMAT='%3R %3U %3S' t wall user sys
  if ! t=$({ time "$@" >/dev/null 2>>"${bench_stderr:-/dev/stderr}"; } 2>&1); then
    echo "bench: failed: $*" >&2
    return 1
  fi
  read -r wall user sys <<<"$t"
  echo "$wall $(calc "$user + $sys")"
}

# tier_cpu HOME -> "apiserver kubelet runtime": CPU seconds (user + system) each tier's own process has spent so
# far, from /proc/PID/stat (its children, the pods' processes, are not counted). Node 1's kubelet and runtime.
tier_cpu() {
  local hz name pid
  hz=$(getconf CLK_TCK)
  for name in apiserver kubelet-node-1 runtime-node-1; do
    pid=$(<"$1/run/$name.pid")
    # after "pid (comm) " the fields are state, ppid, …: utime and stime are fields 14 and 15 of the line
    awk -v hz="$hz" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$pid/stat"
  done | paste -sd' '
}

fields_minus() { # "a1 a2…" "b1 b2…" -> "a1-b1 a2-b2…"
  awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x); split(b, y)
    for (i = 1; i <= n; i++) printf "%s%.3f", (i > 1 ? " " : ""), x[i] - y[i]; print "" }'
}

fields_min() { # "a1 a2…" "b1 b2…" -> the smaller of each pair ("" as the first: the second)
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "") { print b; exit } n = split(a, x); split(b, y)
    for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? " " : ""), (y[i] + 0 < x[i] + 0 ? y[i] : x[i]); print "" }'
}

# alternate R "FN ARG…"…: R rounds, each running every command once in the order given (A B C A B C …), so that
# each sees the same machine load as the others: the machines are shared and noisy, and a baseline is only worth
# comparing with what ran beside it. Each command prints numbers that are all better smaller (seconds); best["FN
# ARG…"] gets the smallest of each over the R runs (a run slowed by a neighbour loses; so does a CPU reading).
declare -gA best
alternate() {
  local runs="$1" r cmd line
  local -a argv
  shift
  for cmd in "$@"; do best[$cmd]=""; done
  for ((r = 0; r < runs; r++)); do
    for cmd in "$@"; do
      read -ra argv <<<"$cmd"
      line=$("${argv[@]}")
      best[$cmd]=$(fields_min "${best[$cmd]}" "$line")
    done
  done
}

# ---- the physical baselines ------------------------------------------------------------------------------
# Both print "wall-seconds cpu-seconds" like timed (the CPU of the relays is not counted: it is the wall time that
# is the baseline).

# pipe_run BYTES: the bytes from head through a local pipe into cat, discarded.
pipe_run() { timed sh -c "head -c $1 /dev/zero | cat"; }

# chain_run stdout|stdin BYTES: the same bytes through three single-shot `socat -b 131072` relays on loopback, one
# per tier (apiserver, kubelet, runtime). stdout: the last relay runs the producer and the client reads from the
# first; stdin: the client writes into the first and the last one feeds `cat > /dev/null`. Timed from the first
# byte to the last one consumed; the listeners' start is not counted.
chain_run() {
  local kind="$1" bytes="$2" p1 p2 p3 pids=() t
  p1=$(free_port) p2=$(free_port) p3=$(free_port)
  if [[ "$kind" == stdout ]]; then
    socat -b131072 "TCP-LISTEN:$p3,bind=127.0.0.1,reuseaddr" EXEC:"head -c $bytes /dev/zero" &
  else
    socat -b131072 -u "TCP-LISTEN:$p3,bind=127.0.0.1,reuseaddr" SYSTEM:'cat >/dev/null' &
  fi
  pids+=($!)
  socat -b131072 "TCP-LISTEN:$p2,bind=127.0.0.1,reuseaddr" "TCP:127.0.0.1:$p3" & pids+=($!)
  socat -b131072 "TCP-LISTEN:$p1,bind=127.0.0.1,reuseaddr" "TCP:127.0.0.1:$p2" & pids+=($!)
  wait_listening "$p3" "$p2" "$p1"
  if [[ "$kind" == stdout ]]; then
    t=$(timed timeout "${run_limit:-600}" socat -b131072 -u "TCP:127.0.0.1:$p1" -)
  else
    # done when the far end has consumed everything: its socat exits once cat has
    t=$(timed timeout "${run_limit:-600}" sh -c "head -c $bytes /dev/zero | socat -b131072 -u - TCP:127.0.0.1:$p1 && while kill -0 ${pids[0]} 2>/dev/null; do sleep 0.001; done")
  fi
  wait "${pids[@]}" 2>/dev/null || true
  echo "$t"
}

# ---- throw-away clusters ---------------------------------------------------------------------------------

# start_cluster HOME [up flags…]: `kubehop up -d` on free ports under HOME, then a busybox pod `bench` Running.
# Every later command of that cluster needs KUBEHOP_HOME=HOME and KUBECONFIG=HOME/kubeconfig.
start_cluster() {
  local home="$1" api_port kubelet_port
  shift
  mkdir -p "$home"
  api_port=$(free_port)
  kubelet_port=$(free_port 127.0.1.1)
  KUBEHOP_HOME="$home" "$root/bin/kubehop" up -d --apiserver-port "$api_port" --kubelet-port "$kubelet_port" "$@" >/dev/null
  start_pod "$home" bench '["sleep", "36000"]'
}

# start_pod HOME NAME COMMAND-AS-JSON [PORT]: a pod of one container running COMMAND, until it is Running.
start_pod() {
  local home="$1" name="$2" command="$3" port="${4:-}" w
  {
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\nspec:\n  containers:\n  - name: main\n' "$name"
    printf '    image: busybox\n    command: %s\n' "$command"
    [[ -z "$port" ]] || printf '    ports:\n    - containerPort: %s\n' "$port"
  } >"$home/$name.yaml"
  KUBECONFIG="$home/kubeconfig" "$(kubectl_bin 1.33)" apply -f "$home/$name.yaml" >/dev/null
  for ((w = 0; w < 300; w++)); do
    [[ "$(pod_field "$home" "$name" '{.status.phase}')" == Running ]] && return 0
    sleep 0.2
  done
  echo "bench: pod $name never ran in $home" >&2
  return 1
}

pod_field() { # HOME NAME JSONPATH
  KUBECONFIG="$1/kubeconfig" "$(kubectl_bin 1.33)" get pod "$2" -o jsonpath="$3" 2>/dev/null
}

# start_web_pod HOME -> "IP:PORT" of pod `web`, an HTTP/1.1 keep-alive server (bench/pod-http-server.py) that
# answers far faster than a port-forward can carry, so that the forward is what wrk measures. The pod runs the
# python image (the host's python3) with bench/ bound in read-only (a hostPath volume: pods have roots of their
# own); the runtime gives the container its pod IP as $KUBEHOP_POD_IP.
start_web_pod() {
  local home="$1" ip w
  cat >"$home/web.yaml" <<EOF_WEB
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: main
    image: python
    command: ["python3", "/bench/pod-http-server.py", "8080"]
    ports:
    - containerPort: 8080
    volumeMounts:
    - {name: bench, mountPath: /bench, readOnly: true}
  volumes:
  - name: bench
    hostPath: {path: "$root/bench", type: Directory}
EOF_WEB
  KUBECONFIG="$home/kubeconfig" "$(kubectl_bin 1.33)" apply -f "$home/web.yaml" >/dev/null
  for ((w = 0; w < 300; w++)); do
    [[ "$(pod_field "$home" web '{.status.phase}')" == Running ]] && break
    sleep 0.2
  done
  ip=$(pod_field "$home" web '{.status.podIP}')
  for ((w = 0; w < 100; w++)); do
    curl -sf -o /dev/null "http://$ip:8080/" && { echo "$ip:8080"; return 0; }
    sleep 0.1
  done
  echo "bench: the web pod never answered on $ip:8080" >&2
  return 1
}

stop_cluster() { KUBEHOP_HOME="$1" "$root/bin/kubehop" down >/dev/null 2>&1 || true; }
