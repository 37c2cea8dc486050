# Shared by the bench/ scripts: ports, timing, and a throw-away cluster with a running pod. Source it.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

# Seconds for one run of a command whose stdout is discarded.
timed() {
  local start end
  start=$(now)
  "$@" >/dev/null
  end=$(now)
  echo "$end - $start" | bc -l
}

kubectl_bin() { echo "/usr/lib/google-cloud-sdk/bin/kubectl.$1"; }

# start_cluster HOME [up flags…]: `kubehop up -d` on free ports under HOME, then a busybox pod `bench` Running.
# Every later command of that cluster needs KUBEHOP_HOME=HOME and KUBECONFIG=HOME/kubeconfig.
start_cluster() {
  local home="$1" api_port kubelet_port w
  shift
  api_port=$(free_port)
  kubelet_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.1.1",0)); print(s.getsockname()[1])')
  KUBEHOP_HOME="$home" "$root/bin/kubehop" up -d --apiserver-port "$api_port" --kubelet-port "$kubelet_port" "$@" >/dev/null
  cat >"$home/bench.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: bench
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "36000"]
YAML
  KUBECONFIG="$home/kubeconfig" "$(kubectl_bin 1.33)" apply -f "$home/bench.yaml" >/dev/null
  for ((w = 0; w < 300; w++)); do
    [[ "$(KUBECONFIG="$home/kubeconfig" "$(kubectl_bin 1.33)" get pod bench -o jsonpath='{.status.phase}' 2>/dev/null)" == Running ]] && return 0
    sleep 0.2
  done
  echo "bench: the pod never ran in $home" >&2
  return 1
}

stop_cluster() { KUBEHOP_HOME="$1" "$root/bin/kubehop" down >/dev/null 2>&1 || true; }
