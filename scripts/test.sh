#!/usr/bin/env bash
# Every test: installs what is missing, then lint, typecheck, unit, build, compose check and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. scripts/env.sh
pnpm test
