#!/usr/bin/env bash
# Quick start: installs what is missing, builds the console, brings up the built-in lab (real FRR, BIRD, BIND9 and
# OpenSSH in network namespaces) and serves the console on the lab's plan. Root is needed for the lab.
# Extra arguments go to `k3s-ha serve` (e.g. --port 9090). Stop the console with Ctrl-C; the lab stays up until
# `pnpm -s k3s-ha lab down`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
. scripts/env.sh
pnpm -s build
pnpm -s k3s-ha lab up
PLAN=$(pnpm -s k3s-ha lab status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).plan))')
# glibc gives each thread its own malloc arena; two keep the console's RSS near its heap (207 → 162 MB measured).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec node apps/server/dist/cli.js serve --plan "$PLAN" "$@"
