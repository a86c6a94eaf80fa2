// Public surface of @k3s-ha/shared: runs in the browser and in Node (no node: imports).

export * from "./bgp/views.js";
export * from "./calico/node-status.js";
export * from "./commands/ids.js";
export * from "./commands/registry.js";
export * from "./frr/asn.js";
export * from "./frr/bfd-peers.js";
export * from "./frr/bgp-neighbors.js";
export * from "./frr/bgp-routes.js";
export * from "./frr/bgp-state.js";
export * from "./frr/bgp-summary.js";
export * from "./frr/ipv6-route.js";
export * from "./frr/parsed.js";
export * from "./frr/version.js";
export * from "./net/ip.js";
export * from "./plan/lint/finding.js";
export * from "./plan/lint/index.js";
export * from "./plan/path.js";
export * from "./plan/ranges.js";
export * from "./plan/schema.js";
export * from "./plan/validate.js";
export * from "./protocol/api.js";
export * from "./protocol/ws.js";
