# Shared paths and helpers for the testenv scripts. Sourced, not run.
set -euo pipefail
TESTENV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$TESTENV_DIR/.." && pwd)"
# shellcheck source=versions.env
. "$TESTENV_DIR/versions.env"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false -modcacherw"

# Binaries are cached outside the repo, keyed by everything that decides their content.
cache_key() {
  { cat "$TESTENV_DIR/versions.env" "$TESTENV_DIR/go/k8s/go.mod" "$TESTENV_DIR/go/k8s/go.sum"; go version; } |
    sha256sum | cut -c1-16
}
TESTENV_CACHE="${TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/orkestra-testenv/$(cache_key)}"
BIN="$TESTENV_CACHE/bin"
# Runtime state (pki, kubeconfig, logs, pids, etcd data) lives in the checkout, git-ignored.
RUN_DIR="${TESTENV_RUN:-$REPO_DIR/.testenv}"

# Ports: all on 127.0.0.1 (see docs/testenv.md).
# ORK_TESTENV_PORT_OFFSET shifts all of them, so a second control plane (a clean-clone CI check
# beside a developer's running one) can run on the same machine.
_o=${ORK_TESTENV_PORT_OFFSET:-0}
ETCD_PORT=$((12379 + _o)) ETCD_PEER_PORT=$((12380 + _o)) APISERVER_PORT=$((16443 + _o))
KCM_PORT=$((10257 + _o)) SCHED_PORT=$((10259 + _o)) KWOK_PORT=$((10247 + _o)) ETCD_METRICS_PORT=$((12381 + _o))
export ETCD_PORT

log() { printf '[testenv %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# step NAME CMD...: runs CMD and logs how long it took, so cold-start costs stay measured.
step() {
  local name=$1; shift
  local t0=$SECONDS
  log "$name: start"
  "$@"
  log "$name: done in $((SECONDS - t0))s"
}
