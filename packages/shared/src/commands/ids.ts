// Ids of the commands the console runs on the router and the nodes. The command registry (argv, validators,
// parsers) is keyed by them, and the lab's fixtures are named after them: `<id>.<scenario>.<version>.<ext>`.
export const routerCommandIds = [
  "frr-show-bgp-summary",
  "frr-show-bgp-ipv6-unicast",
  "frr-show-bgp-neighbors",
  "frr-show-ipv6-route",
  "frr-show-bfd-peers",
] as const;

export const nodeCommandIds = ["calicoctl-node-status"] as const;

export type RouterCommandId = (typeof routerCommandIds)[number];
export type NodeCommandId = (typeof nodeCommandIds)[number];
export type CommandId = RouterCommandId | NodeCommandId;

/** The vtysh command line of each router command (FRR's JSON output). */
export const vtyshCommands: Record<RouterCommandId, string> = {
  "frr-show-bgp-summary": "show bgp summary json",
  "frr-show-bgp-ipv6-unicast": "show bgp ipv6 unicast json",
  "frr-show-bgp-neighbors": "show bgp neighbors json",
  "frr-show-ipv6-route": "show ipv6 route json",
  "frr-show-bfd-peers": "show bfd peers json",
};
