// Pod routing rules: the BGP export filter, the node-to-node mesh and encapsulation must together still route pod traffic.
import { parseCidr } from "../../net/ip.js";
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";
import { routerName } from "./lookup.js";

function podRoutesExported(plan: Plan): Finding[] {
  if (plan.bgp.rejectPodRoutes) return [];
  return [
    {
      id: "pod-routes-exported",
      severity: "warning",
      message: `bgp.rejectPodRoutes is false: Calico exports every node's pod blocks (/${plan.network.podBlockSize} each, from ${plan.network.podCidr}) to ${routerName(plan)}, so pods become directly routable from the LAN and the router's table grows with every block — the design keeps pod routes off the router and advertises only Service and LoadBalancer ranges.`,
      paths: ["bgp.rejectPodRoutes", "network.podCidr"],
      fix: `Set bgp.rejectPodRoutes: true (a BGPFilter on the router's BGPPeer: exportV6 action Reject, matchOperator In, cidr ${plan.network.podCidr}).`,
    },
  ];
}

function meshOff(plan: Plan): Finding[] {
  const { nodeToNodeMesh, rejectPodRoutes, podEncapsulation, clusterAsn, router } = plan.bgp;
  if (nodeToNodeMesh || podEncapsulation !== "None" || plan.nodes.length < 2) return [];
  const paths = ["bgp.nodeToNodeMesh", "bgp.rejectPodRoutes", "bgp.podEncapsulation"];
  if (rejectPodRoutes) {
    return [
      {
        id: "mesh-off-pod-routes-rejected",
        severity: "error",
        message: `bgp.nodeToNodeMesh is false, bgp.rejectPodRoutes is true and pods are not encapsulated: nodes could learn each other's pod routes only from ${routerName(plan)}, which never receives them (the filter rejects ${plan.network.podCidr}), so pod-to-pod traffic across nodes breaks — the design document's appendix makes exactly this contradiction ("pfSense acts as route reflector").`,
        paths,
        fix: "Keep bgp.nodeToNodeMesh: true (BGPFilters never apply to mesh sessions, so the reject stays on the router's peer), or set bgp.podEncapsulation: VXLAN so Felix routes pod traffic between nodes itself (IPIP is IPv4-only).",
      },
    ];
  }
  if (clusterAsn === router.asn) return [];
  return [
    {
      id: "mesh-off-as-path-loop",
      severity: "warning",
      message: `bgp.nodeToNodeMesh is false and pods are not encapsulated, so nodes learn each other's pod routes only through ${routerName(plan)}: those routes come back with AS path "${router.asn} ${clusterAsn}", which BIRD on the other nodes drops as an AS-path loop (it contains their own AS ${clusterAsn}), and pod traffic between nodes then has no route.`,
      paths,
      fix: "Keep bgp.nodeToNodeMesh: true, or set numAllowedLocalASNumbers: 1 on the router's BGPPeer (every node accepts routes carrying its own AS once), or set bgp.podEncapsulation: VXLAN.",
    },
  ];
}

function ipipOnIpv6(plan: Plan): Finding[] {
  const { podEncapsulation } = plan.bgp;
  if (podEncapsulation !== "IPIP" && podEncapsulation !== "IPIPCrossSubnet") return [];
  if (parseCidr(plan.network.podCidr)?.family !== 6) return [];
  return [
    {
      id: "ipip-on-ipv6",
      severity: "error",
      message: `bgp.podEncapsulation is ${podEncapsulation}, but Calico's IPIP encapsulation exists for IPv4 pools only: the IPv6 pod IPPool ${plan.network.podCidr} cannot use it, so the pool is rejected or pod traffic is not encapsulated as planned.`,
      paths: ["bgp.podEncapsulation", "network.podCidr"],
      fix: `Set bgp.podEncapsulation to ${podEncapsulation === "IPIP" ? "VXLAN" : "VXLANCrossSubnet"}, or None when pod routes reach every node over BGP (the node-to-node mesh).`,
    },
  ];
}

export const podRoutingRules: LintRule = (plan) => [
  ...podRoutesExported(plan),
  ...meshOff(plan),
  ...ipipOnIpv6(plan),
];
