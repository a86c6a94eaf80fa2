// What a run's predictions rest on, read from the live sources at its start: the router's view of the VIP and of the
// node's session (hold, keepalive, graceful restart, BFD), Calico's version, and the plan's timers. Pure.
import type { RouterSnapshot } from "../bgp/views.js";
import { ignoresEndpointReadiness } from "../calico/versions.js";
import type { Plan } from "../plan/schema.js";
import type { ClusterSnapshot } from "../protocol/cluster.js";
import type { PredictionFacts } from "./predict.js";
import { routerDigest } from "./timeline.js";

/** kube-controller-manager's node-monitor-grace-period since Kubernetes v1.32 (40 s before). */
export const UPSTREAM_NODE_GRACE_S = 50;

export function predictionFacts(
  plan: Plan,
  node: string | undefined,
  router: RouterSnapshot | undefined,
  cluster: ClusterSnapshot | undefined,
): PredictionFacts {
  const vip = plan.network.apiVip;
  const digest = router ? routerDigest(router, { vip, serviceCidr: plan.network.serviceCidr }) : undefined;
  const vipNodes = digest?.paths[`the VIP ${vip}`] ?? [];
  const peer = router?.peers.find((p) => p.name === node);
  const version = cluster?.calico.version;
  return {
    routerKnown: Boolean(router),
    vipPaths: vipNodes.length,
    nodeHasVipPath: node ? vipNodes.includes(node) : false,
    ...(peer?.holdTimeMs !== undefined ? { holdTimeMs: peer.holdTimeMs } : {}),
    ...(peer?.keepaliveMs !== undefined ? { keepaliveMs: peer.keepaliveMs } : {}),
    ...(peer?.gracefulRestart?.peerRestartTimeS !== undefined
      ? { grRestartS: peer.gracefulRestart.peerRestartTimeS }
      : {}),
    bfd: peer?.bfd?.status === "up",
    ...(version ? { calicoVersion: version } : {}),
    calicoHonoursReadiness: version ? !ignoresEndpointReadiness(version) : true,
    nodeGraceMs: (plan.kubernetes.nodeMonitorGracePeriodS ?? UPSTREAM_NODE_GRACE_S) * 1_000,
    nodeMonitorPeriodMs: 5_000,
    restartSecMs: 5_000,
    dnsTtlS: plan.dns.ttl,
  };
}
