// What a run's predictions rest on, read from the live sources at its start: the router's view of the VIP and of the
// node's session (hold, keepalive, graceful restart, BFD), Calico's version, the controller managers' timings from
// the servers' k3s configuration and who holds their lease, and the plan's timers. Pure.
import type { RouterSnapshot } from "../bgp/views.js";
import { ignoresEndpointReadiness } from "../calico/versions.js";
import type { ControllerTimings } from "../k8s/controller-timings.js";
import type { Plan } from "../plan/schema.js";
import type { ClusterSnapshot } from "../protocol/cluster.js";
import type { PredictionFacts } from "./predict.js";
import { routerDigest } from "./timeline.js";

/** kube-controller-manager's node-monitor-grace-period since Kubernetes v1.32 (40 s before), and its period. */
export const UPSTREAM_NODE_GRACE_S = 50;
const UPSTREAM_MONITOR_PERIOD_MS = 5_000;

/** What the run read at its start about the controller managers: each server's k3s timings and the lease. */
export interface ControllerReading {
  /** Per server: the timings its k3s configuration sets (empty: none), or why it was not read. */
  servers: { node: string; timings?: ControllerTimings; error?: string }[];
  /** The kube-controller-manager Lease's holder (a node name) and duration, or why it is not known. */
  leader?: string;
  leaseMs?: number;
  leaseError?: string;
}

type ControllerFacts = Pick<
  PredictionFacts,
  | "nodeGraceMs"
  | "nodeGraceFrom"
  | "nodeMonitorPeriodMs"
  | "controllerLeader"
  | "nodeLeadsControllers"
  | "controllerLeaseMs"
  | "controllerRetryMs"
>;

const secs = (ms: number) => `${ms / 1000} s`;

/**
 * The controller timings that decide how long a stopped node's endpoints stay ready: those of the server whose
 * controller manager judges it during the fault — the leader's, or, when the node under test leads, the other
 * servers' (one of them takes over; the longest counts when they differ). A server whose configuration sets no
 * grace period runs upstream's; the plan's value is used only when no configuration could be read.
 */
export function controllerFacts(
  plan: Plan,
  node: string | undefined,
  reading?: ControllerReading,
): ControllerFacts {
  const read = (reading?.servers ?? []).filter(
    (x): x is { node: string; timings: ControllerTimings } => x.timings !== undefined,
  );
  const leader = reading?.leader;
  const leads = leader !== undefined && leader === node;
  const judges = leads
    ? read.filter((x) => x.node !== node)
    : leader
      ? read.filter((x) => x.node === leader)
      : read;
  const planGraceMs =
    plan.kubernetes.nodeMonitorGracePeriodS !== undefined
      ? plan.kubernetes.nodeMonitorGracePeriodS * 1_000
      : undefined;
  const lease = {
    ...(leader ? { controllerLeader: leader } : {}),
    nodeLeadsControllers: leads,
    ...(reading?.leaseMs !== undefined ? { controllerLeaseMs: reading.leaseMs } : {}),
  };
  if (judges.length === 0) {
    const why = (reading?.servers ?? []).find((x) => x.error)?.error ?? "no server was asked";
    return {
      nodeGraceMs: planGraceMs ?? UPSTREAM_NODE_GRACE_S * 1_000,
      nodeGraceFrom: `${planGraceMs !== undefined ? "the plan" : "upstream's default"} (the servers' k3s configuration was not read: ${why})`,
      nodeMonitorPeriodMs: UPSTREAM_MONITOR_PERIOD_MS,
      ...lease,
    };
  }
  const graces = judges.map((x) => ({
    node: x.node,
    ms: x.timings.nodeMonitorGracePeriodMs ?? UPSTREAM_NODE_GRACE_S * 1_000,
    set: x.timings.nodeMonitorGracePeriodMs !== undefined,
  }));
  const longest = graces.reduce((a, b) => (b.ms > a.ms ? b : a));
  const differ = graces.some((g) => g.ms !== longest.ms);
  const from = differ
    ? `the k3s configurations of ${graces.map((g) => `${g.node} (${secs(g.ms)})`).join(", ")}: the longest counts`
    : longest.set
      ? `${graces.map((g) => g.node).join(", ")}'s k3s configuration`
      : `upstream's default: ${judges.length > 1 ? "no server's" : `${judges[0]?.node}'s`} k3s configuration sets no node-monitor-grace-period${planGraceMs !== undefined && planGraceMs !== longest.ms ? ` (the plan's ${secs(planGraceMs)} is not what the servers run)` : ""}`;
  const most = (key: keyof ControllerTimings) => {
    const values = judges.map((x) => x.timings[key]).filter((v): v is number => v !== undefined);
    return values.length ? Math.max(...values) : undefined;
  };
  const retry = most("leaderRetryMs");
  const leaseFromConfig = most("leaderLeaseMs");
  return {
    nodeGraceMs: longest.ms,
    nodeGraceFrom: from,
    nodeMonitorPeriodMs: most("nodeMonitorPeriodMs") ?? UPSTREAM_MONITOR_PERIOD_MS,
    ...lease,
    ...(lease.controllerLeaseMs === undefined && leaseFromConfig !== undefined
      ? { controllerLeaseMs: leaseFromConfig }
      : {}),
    ...(retry !== undefined ? { controllerRetryMs: retry } : {}),
  };
}

export function predictionFacts(
  plan: Plan,
  node: string | undefined,
  router: RouterSnapshot | undefined,
  cluster: ClusterSnapshot | undefined,
  controllers?: ControllerReading,
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
    ...controllerFacts(plan, node, controllers),
    restartSecMs: 5_000,
    dnsTtlS: plan.dns.ttl,
  };
}
