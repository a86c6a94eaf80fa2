// Ids of the commands the console runs on the router and the nodes. The command registry (registry.ts: argv,
// validators, parsers) is keyed by them, and fixtures are named after them: `<id>.<scenario>.<version>.<ext>`.
export const routerCommandIds = [
  "frr-show-version",
  "frr-show-bgp-summary",
  "frr-show-bgp-ipv6-unicast",
  "frr-show-bgp-ipv6-unicast-prefix",
  "frr-show-bgp-neighbors",
  "frr-show-ipv6-route",
  "frr-show-bfd-peers",
  "pfsense-ifconfig",
  "frr-show-running-config",
  "frr-configure-bgp",
  "frr-clear-bgp-neighbor",
] as const;

export const nodeCommandIds = [
  "calicoctl-node-status",
  "systemctl-k3s",
  "k3s-kill",
  "bird-kill",
  "calico-bgp",
  "node-reboot",
  "node-drop-traffic",
  "k3s-config-show",
  "k3s-dropin-write",
  "k3s-dropin-remove",
] as const;

export type RouterCommandId = (typeof routerCommandIds)[number];
export type NodeCommandId = (typeof nodeCommandIds)[number];
export type CommandId = RouterCommandId | NodeCommandId;
