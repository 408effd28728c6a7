#!/usr/bin/env bash
# Starts the local control plane on 127.0.0.1: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok with one fake node, then writes $RUN_DIR/kubeconfig.
# Idempotent: a component that is already running is left alone.
# Usage: up.sh [component ...]   components: etcd kube-apiserver kube-controller-manager kube-scheduler kwok
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ALL=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
P="$RUN_DIR/pki"; KC="$RUN_DIR/kubeconfig"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
  [ -x "$BIN/$b" ] || { log "missing $BIN/$b: run testenv/install.sh (or npm run setup) first"; exit 1; }
done
# The kubectl of the control plane's version, for `export PATH=$RUN_DIR/bin:$PATH` (README).
if [ -x "$BIN/kubectl" ]; then mkdir -p "$RUN_DIR/bin" && ln -sfn "$BIN/kubectl" "$RUN_DIR/bin/kubectl"; fi

make_pki() {
  [ -s "$P/admin.crt" ] && return
  mkdir -p "$P"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=orkestra-testenv-ca" -keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$P/apiserver.key" -out "$P/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' > "$P/srv.ext"
  openssl x509 -req -days 3650 -in "$P/apiserver.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -extfile "$P/srv.ext" -out "$P/apiserver.crt" 2>/dev/null
  # The admin identity is in system:masters, like envtest's default user.
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=testenv-admin" -keyout "$P/admin.key" -out "$P/admin.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' > "$P/cli.ext"
  openssl x509 -req -days 3650 -in "$P/admin.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -extfile "$P/cli.ext" -out "$P/admin.crt" 2>/dev/null
  openssl genrsa -out "$P/sa.key" 2048 2>/dev/null && openssl rsa -in "$P/sa.key" -pubout -out "$P/sa.pub" 2>/dev/null
}

make_kubeconfig() {
  local b64="base64 -w0"
  cat > "$KC.tmp" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: orkestra-testenv
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $($b64 < "$P/ca.crt")
users:
- name: testenv-admin
  user:
    client-certificate-data: $($b64 < "$P/admin.crt")
    client-key-data: $($b64 < "$P/admin.key")
contexts:
- name: orkestra-testenv
  context: {cluster: orkestra-testenv, user: testenv-admin}
current-context: orkestra-testenv
KCFG
  mv "$KC.tmp" "$KC"
}

pidfile() { echo "$RUN_DIR/pids/$1.pid"; }
running() { local f; f=$(pidfile "$1"); [ -s "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }

# wait_for NAME SECONDS CMD...: polls CMD until it succeeds, the process dies, or the deadline passes.
wait_for() {
  local name=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! running "$name"; then log "$name exited; last log lines:"; tail -20 "$RUN_DIR/logs/$name.log" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then log "$name not ready after ${secs}s; last log lines:"; tail -20 "$RUN_DIR/logs/$name.log" >&2; return 1; fi
    sleep 0.2
  done
}

api() { curl -fsS --cacert "$P/ca.crt" --cert "$P/admin.crt" --key "$P/admin.key" "$@"; }

args_etcd() {
  echo --name=testenv --data-dir="$RUN_DIR/etcd" \
    --listen-client-urls=http://127.0.0.1:$ETCD_PORT --advertise-client-urls=http://127.0.0.1:$ETCD_PORT \
    --listen-peer-urls=http://127.0.0.1:$ETCD_PEER_PORT --initial-advertise-peer-urls=http://127.0.0.1:$ETCD_PEER_PORT \
    --initial-cluster=testenv=http://127.0.0.1:$ETCD_PEER_PORT --unsafe-no-fsync=true --log-level=warn \
    --listen-metrics-urls=http://127.0.0.1:$ETCD_METRICS_PORT
}
args_kube-apiserver() {
  echo --etcd-servers=http://127.0.0.1:$ETCD_PORT \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=$APISERVER_PORT \
    --cert-dir="$RUN_DIR/apiserver" --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
    --client-ca-file="$P/ca.crt" --authorization-mode=Node,RBAC \
    --service-cluster-ip-range=10.96.0.0/12 \
    --service-account-issuer=https://127.0.0.1:$APISERVER_PORT \
    --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
    --allow-privileged=true --disable-admission-plugins=ServiceAccount \
    --endpoint-reconciler-type=none --profiling=false
}
kcm_common() {
  echo --kubeconfig="$KC" --authentication-kubeconfig="$KC" --authorization-kubeconfig="$KC" --leader-elect=false
}
args_kube-controller-manager() {
  echo $(kcm_common) --bind-address=127.0.0.1 --secure-port=$KCM_PORT \
    --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
    --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
    --use-service-account-credentials=false --concurrent-gc-syncs=10
}
args_kube-scheduler() { echo $(kcm_common) --bind-address=127.0.0.1 --secure-port=$SCHED_PORT; }
args_kwok() {
  echo --kubeconfig="$KC" --config="$TESTENV_CACHE/kwok-stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --cidr=10.244.0.0/16 --node-ip=10.0.2.1 --node-lease-duration-seconds=40 --server-address=127.0.0.1:$KWOK_PORT
}

ready_etcd() { curl -fsS http://127.0.0.1:$ETCD_PORT/health; }
ready_kube-apiserver() { api https://127.0.0.1:$APISERVER_PORT/readyz; }
ready_kube-controller-manager() { curl -fsSk https://127.0.0.1:$KCM_PORT/healthz; }
ready_kube-scheduler() { curl -fsSk https://127.0.0.1:$SCHED_PORT/healthz; }
ready_kwok() { curl -fsS http://127.0.0.1:$KWOK_PORT/healthz; }

fake_node() {
  api https://127.0.0.1:$APISERVER_PORT/api/v1/nodes/kwok-node-0 >/dev/null 2>&1 && return
  api -X POST -H 'Content-Type: application/json' https://127.0.0.1:$APISERVER_PORT/api/v1/nodes -d '{
    "apiVersion": "v1", "kind": "Node",
    "metadata": {"name": "kwok-node-0",
      "annotations": {"node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake"},
      "labels": {"kubernetes.io/hostname": "kwok-node-0", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "type": "kwok"}},
    "status": {"allocatable": {"cpu": "64", "memory": "512Gi", "pods": "5000"},
               "capacity": {"cpu": "64", "memory": "512Gi", "pods": "5000"}}}' >/dev/null
}
# No `curl | grep -q` here: grep exits at the first match, curl then dies of SIGPIPE and, under
# pipefail, the check fails. And the API server pretty-prints JSON for curl's User-Agent, so
# whitespace is removed before matching.
node_ready() {
  local node
  node=$(api https://127.0.0.1:$APISERVER_PORT/api/v1/nodes/kwok-node-0) || return 1
  node=${node//[[:space:]]/}
  [[ $node == *'"type":"Ready","status":"True"'* ]]
}

start() {
  local name=$1
  if running "$name"; then log "$name already running"; return; fi
  if [ "$name" = etcd ] && [ "${ORK_TESTENV_KEEP_DATA:-}" != 1 ]; then rm -rf "$RUN_DIR/etcd"; fi
  # shellcheck disable=SC2046
  setsid "$BIN/$name" $(args_"$name") >>"$RUN_DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pidfile "$name")"
  wait_for "$name" 90 ready_"$name"
  if [ "$name" = kube-apiserver ]; then make_kubeconfig; fi
}

make_pki
make_kubeconfig
comps=("$@"); [ ${#comps[@]} -gt 0 ] || comps=("${ALL[@]}")
for c in "${comps[@]}"; do step "start $c" start "$c"; done
node_up() {
  fake_node
  local deadline=$((SECONDS + 60))
  until node_ready; do [ $SECONDS -lt $deadline ] || { log "fake node not Ready after 60s"; return 1; }; sleep 0.2; done
}
if [[ " ${comps[*]} " == *" kwok "* ]]; then step "fake node ready" node_up; fi
log "control plane up; KUBECONFIG=$KC"
