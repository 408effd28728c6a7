#!/usr/bin/env bash
# Builds the control-plane binaries (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok) and kubectl from Go modules into a cache outside the repo. Idempotent: a binary
# that is already in the cache is not rebuilt.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

k8s_ldflags() {
  local v=$K8S_VERSION maj min
  maj=${v#v}; maj=${maj%%.*}; min=${v#v*.}; min=${min%%.*}
  local f="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    f+=" -X $p.gitVersion=$v -X $p.gitMajor=$maj -X $p.gitMinor=$min -X $p.gitTreeState=clean"
  done
  printf '%s' "$f"
}

build_k8s() {
  local missing=()
  # kubectl too, at the control plane's version: the README's quick start needs one, and it
  # shares nearly all packages with the others (about 100 s more on a cold 2-core machine).
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    [ -x "$BIN/$b" ] || missing+=("k8s.io/kubernetes/cmd/$b")
  done
  [ ${#missing[@]} -gt 0 ] || { log "kubernetes binaries cached"; return; }
  mkdir -p "$BIN"
  # One `go build` for all three lets the compiler share and parallelise package builds.
  (cd "$TESTENV_DIR/go/k8s" && go build -ldflags "$(k8s_ldflags)" -o "$BIN/" "${missing[@]}")
}

build_etcd() {
  [ -x "$BIN/etcd" ] && { log "etcd cached"; return; }
  mkdir -p "$BIN"
  # -o is needed: the package's default binary name is "server".
  (cd "$TESTENV_DIR/go/k8s" && go build -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3)
}

build_kwok() {
  [ -x "$BIN/kwok" ] && { log "kwok cached"; return; }
  mkdir -p "$BIN"
  # kwok has no replace directives, so `go install` works; it keeps its own dependency graph.
  GOBIN="$BIN" go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
}

# kwok needs Stage objects; take kwokctl's defaults from the module we just built from.
kwok_stages() {
  local out="$TESTENV_CACHE/kwok-stages.yaml"
  [ -s "$out" ] && return
  local dir
  dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  : > "$out.tmp"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    cat "$dir/kustomize/stage/$f" >> "$out.tmp"; printf '\n---\n' >> "$out.tmp"
  done
  mv "$out.tmp" "$out"
}

log "cache: $TESTENV_CACHE"
step "build etcd" build_etcd
step "build kubernetes (apiserver, controller-manager, scheduler, kubectl)" build_k8s
step "build kwok" build_kwok
step "kwok stages" kwok_stages
# The Go text/template oracle the template engine's differential tests compare against.
step "build template oracle" bash "$TESTENV_DIR/go/tmploracle/build.sh" >/dev/null
