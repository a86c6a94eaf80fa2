#!/usr/bin/env bash
# Validates docker-compose.yml with Debian's docker-compose (no Docker engine is needed for `config`).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v docker-compose >/dev/null || { echo "check-compose: docker-compose is not installed (scripts/bootstrap.sh installs it)" >&2; exit 1; }
K3S_HA_ADMIN_PASSWORD=compose-check docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml is valid"
