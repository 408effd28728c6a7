#!/usr/bin/env bash
# Stops control-plane components started by up.sh, by their recorded PIDs.
# Usage: down.sh [--kill] [component ...]   (default: all, in reverse start order)
#   --kill sends SIGKILL at once (tests use it to simulate a crash).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
sig=TERM
if [ "${1:-}" = --kill ]; then sig=KILL; shift; fi
comps=("$@"); [ ${#comps[@]} -gt 0 ] || comps=(kwok kube-scheduler kube-controller-manager kube-apiserver etcd)
for c in "${comps[@]}"; do
  f="$RUN_DIR/pids/$c.pid"
  [ -s "$f" ] || continue
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$sig" "$pid" 2>/dev/null || true
    d=$((SECONDS + 15))
    while kill -0 "$pid" 2>/dev/null; do
      if [ $SECONDS -ge $d ]; then kill -KILL "$pid" 2>/dev/null || true; fi
      sleep 0.1
    done
    log "stopped $c"
  fi
  rm -f "$f"
done
