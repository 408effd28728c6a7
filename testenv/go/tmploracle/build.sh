#!/usr/bin/env bash
# Builds the text/template oracle into a cache outside the repo (idempotent) and prints its path.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
hash=$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-16)
dir="${XDG_CACHE_HOME:-$HOME/.cache}/orkestra-testenv/tmploracle-$hash"
bin="$dir/tmploracle"
if [[ ! -x "$bin" ]]; then
  mkdir -p "$dir"
  (cd "$here" && GOTOOLCHAIN=local GOFLAGS=-modcacherw go build -trimpath -o "$bin.tmp" . >&2)
  mv -f "$bin.tmp" "$bin"
fi
echo "$bin"
