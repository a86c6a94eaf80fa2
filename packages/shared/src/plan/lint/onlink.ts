// On-link rules: BGP-advertised addresses inside a prefix the LAN treats as on-link are resolved by NDP, not routed.
import { intervalContainsIp, intervalsOverlap } from "../../net/ip.js";
import type { RangeKind } from "../ranges.js";
import type { Finding, LintRule, Severity } from "./finding.js";
import { capitalize, describeRange, planLayout } from "./lookup.js";

function onLinkFix(prefix: string): string {
  return `Advertise ${prefix} with the on-link (L) flag off (FRR: \`ipv6 nd prefix ${prefix} off-link\` on the LAN interface; radvd, which pfSense uses: \`AdvOnLink off;\`) and set network.onLink to false, or carve the Kubernetes ranges from a separate prefix routed to the nodes.`;
}

const RANGE_RULES: { kind: RangeKind; id: string; severity: Severity; consequence: string }[] = [
  {
    kind: "loadBalancers",
    id: "on-link-load-balancer-range",
    severity: "error",
    consequence:
      "LAN clients resolve every LoadBalancer address (the API VIP included) by neighbour discovery instead of sending it to the router; nothing answers neighbour discovery for them (Calico only advertises them by BGP), so LoadBalancer Services are unreachable from the LAN",
  },
  {
    kind: "services",
    id: "on-link-service-range",
    severity: "warning",
    consequence:
      "LAN clients resolve ClusterIPs by neighbour discovery instead of using the route Calico advertises to the router, so ClusterIPs are unreachable from the LAN (cluster-internal traffic is unaffected)",
  },
  {
    kind: "pods",
    id: "on-link-pod-range",
    severity: "warning",
    consequence:
      "LAN hosts send replies to pod addresses by neighbour discovery instead of via the router, so connections from pods to LAN hosts fail unless Calico SNATs pod traffic (natOutgoing)",
  },
];

export const onLinkRules: LintRule = (plan) => {
  if (!plan.network.onLink) return [];
  const layout = planLayout(plan);
  const prefix = layout.range("prefix");
  if (!prefix) return [];
  const out: Finding[] = [];
  const vip = layout.addresses.find((a) => a.kind === "apiVip");
  if (vip && intervalContainsIp(prefix.interval, vip)) {
    out.push({
      id: "on-link-api-vip",
      severity: "error",
      message: `API VIP ${vip.text} lies inside ${prefix.text}, which the router advertises as on-link (network.onLink: true): LAN hosts ask neighbour discovery for the VIP instead of sending to the router, nothing answers, so kubectl from the LAN cannot reach the BGP-advertised VIP. Nodes and the router still can, which hides the problem when testing from a node.`,
      paths: ["network.apiVip", prefix.path, "network.onLink"],
      fix: onLinkFix(prefix.text),
    });
  }
  for (const rule of RANGE_RULES) {
    const r = layout.range(rule.kind);
    if (!r || !intervalsOverlap(prefix.interval, r.interval)) continue;
    out.push({
      id: rule.id,
      severity: rule.severity,
      message: `${capitalize(describeRange(r))} lies inside ${prefix.text}, which the router advertises as on-link (network.onLink: true): ${rule.consequence}.`,
      paths: [r.path, prefix.path, "network.onLink"],
      fix: onLinkFix(prefix.text),
    });
  }
  return out;
};
