#!/usr/bin/env bash
# Quick start: installs what is missing, builds the console and serves it on the lab plan.
# Extra arguments go to `k3s-ha serve` (e.g. --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. scripts/env.sh
pnpm -s build
PLAN=${K3S_HA_PLAN:-examples/lab.yaml}
exec node apps/server/dist/cli.js serve --plan "$PLAN" "$@"
