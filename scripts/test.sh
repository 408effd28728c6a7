#!/usr/bin/env bash
# The test command: lint, type-check, unit and end-to-end tests (the control plane is started
# and stopped by the test run itself), all on the project's pinned Node.js.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$ORK_ROOT"
npm test
