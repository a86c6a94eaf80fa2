// Whether pod-to-pod traffic across nodes still works with the BGP settings a step would write: with the mesh off,
// nodes learn each other's pod blocks only from their explicit peers; if the only peer is the router and pod routes
// are filtered from it, no node learns them, unless the pool encapsulates (VXLAN; IPIP is IPv4-only).
import type { Plan } from "../plan/schema.js";

export interface PodRouting {
  ok: boolean;
  reason: string;
}

export function podRoutingAfter(plan: Plan, mesh: boolean): PodRouting {
  if (mesh) return { ok: true, reason: "the node-to-node mesh carries pod routes between nodes" };
  const enc = plan.bgp.podEncapsulation;
  if (enc === "VXLAN" || enc === "VXLANCrossSubnet")
    return {
      ok: true,
      reason: `the pod pool encapsulates (${enc}), so no node needs the others' pod routes`,
    };
  if (!plan.bgp.rejectPodRoutes)
    return {
      ok: true,
      reason: "pod routes reach the router, which reflects them back to the nodes (it must be set to do so)",
    };
  return {
    ok: false,
    reason:
      "with the mesh off, pod routes filtered from the only peer (the router) and no encapsulation" +
      (enc === "IPIP" || enc === "IPIPCrossSubnet" ? ` (${enc} is IPv4-only)` : "") +
      ", no node learns another node's pod blocks: pod-to-pod traffic across nodes would break",
  };
}
