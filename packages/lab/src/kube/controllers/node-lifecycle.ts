// The node lifecycle controller: a node whose heartbeat has not changed for the grace period turns Ready=Unknown
// ("Kubelet stopped posting node status."), gets the unreachable taints, and only then are its pods marked not ready.
// As upstream (node_lifecycle_controller.go tryUpdateNodeHealth), the clock is this controller's own: the grace
// period runs from when it last saw the heartbeat change, and a new leader that sees a node for the first time
// ("Missing timestamp for Node … Assuming now as a timestamp") gives it a full grace period from then.
import { type KubeClient, R } from "../client.js";
import { type Condition, isObject, type KubeObject, nowIso } from "../meta.js";
import { recordEvent } from "./events.js";
import type { Controller } from "./runtime.js";

export interface NodeLifecycleOptions {
  /** node-monitor-grace-period (upstream default 50 s since Kubernetes v1.32, kubernetes/kubernetes#126287). */
  gracePeriodMs?: number;
  /** node-monitor-period (upstream default 5 s). */
  monitorPeriodMs?: number;
  /** The controller's clock (tests). */
  now?: () => number;
}

const NODE_CONDITIONS = ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"];
const UNREACHABLE = "node.kubernetes.io/unreachable";

/** The newest sign of life: the node Lease's renewTime or Ready's lastHeartbeatTime. */
function lastHeartbeat(client: KubeClient, node: KubeObject, conditions: Condition[]): number {
  const lease = client.get(R.leases, "kube-node-lease", node.metadata.name ?? "");
  const renew =
    isObject(lease?.spec) && typeof lease.spec.renewTime === "string" ? Date.parse(lease.spec.renewTime) : 0;
  const ready = conditions.find((c) => c.type === "Ready");
  const beat = ready?.lastHeartbeatTime ? Date.parse(ready.lastHeartbeatTime) : 0;
  return Math.max(renew, beat, Date.parse(node.metadata.creationTimestamp ?? "") || 0);
}

function markUnknown(client: KubeClient, node: KubeObject, conditions: Condition[], now: string): void {
  const next = NODE_CONDITIONS.map((type) => {
    const prev = conditions.find((c) => c.type === type);
    return {
      type,
      status: "Unknown" as const,
      lastHeartbeatTime: prev?.lastHeartbeatTime ?? now,
      lastTransitionTime: now,
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
    };
  });
  const others = conditions.filter((c) => !NODE_CONDITIONS.includes(c.type));
  const status = isObject(node.status) ? node.status : {};
  const updated = client.updateStatus(R.nodes, {
    ...node,
    status: { ...status, conditions: [...others, ...next] },
  });
  setTaints(client, updated, true, now);
  recordEvent(
    client,
    updated,
    "Normal",
    "NodeNotReady",
    `Node ${node.metadata.name} status is now: NodeNotReady`,
    "node-controller",
  );
}

function setTaints(client: KubeClient, node: KubeObject, unreachable: boolean, now: string): void {
  const spec = isObject(node.spec) ? node.spec : {};
  const taints = (Array.isArray(spec.taints) ? spec.taints : []) as Array<{ key: string; effect: string }>;
  const has = taints.some((t) => t.key === UNREACHABLE);
  if (has === unreachable) return;
  const kept = taints.filter((t) => t.key !== UNREACHABLE);
  const next = unreachable
    ? [
        ...kept,
        { key: UNREACHABLE, effect: "NoSchedule", timeAdded: now },
        { key: UNREACHABLE, effect: "NoExecute", timeAdded: now },
      ]
    : kept;
  const nextSpec: Record<string, unknown> = { ...spec, taints: next };
  if (next.length === 0) delete nextSpec.taints;
  client.update(R.nodes, { ...node, spec: nextSpec });
}

/** MarkPodsNotReady: Ready=False on every pod bound to the node (status only, as upstream). */
function markPodsNotReady(client: KubeClient, nodeName: string, now: string): void {
  for (const pod of client.list(R.pods, { fieldSelector: `spec.nodeName=${nodeName}` })) {
    const status = isObject(pod.status) ? pod.status : {};
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
    const ready = conditions.find((c) => c.type === "Ready");
    if (!ready || ready.status === "False") continue;
    const next = conditions.map((c) =>
      c.type === "Ready" ? { ...c, status: "False" as const, lastTransitionTime: now } : c,
    );
    client.updateStatus(R.pods, { ...pod, status: { ...status, conditions: next } });
  }
}

export function nodeLifecycleController(client: KubeClient, options: NodeLifecycleOptions = {}): Controller {
  const grace = options.gracePeriodMs ?? 50_000;
  const nc = client.as("node-controller");
  /** Per node: the heartbeat last observed and when this controller observed it (probeTimestamp). */
  const health = new Map<string, { heartbeat: number; probeAt: number }>();
  return {
    name: "node-lifecycle-controller",
    watches: [R.nodes],
    resyncMs: options.monitorPeriodMs ?? 5_000,
    reset() {
      health.clear();
    },
    sync() {
      const now = (options.now ?? Date.now)();
      for (const node of nc.list(R.nodes)) {
        const status = isObject(node.status) ? node.status : {};
        const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
        const ready = conditions.find((c) => c.type === "Ready");
        const name = node.metadata.name ?? "";
        const heartbeat = lastHeartbeat(nc, node, conditions);
        const seen = health.get(name);
        if (!seen || seen.heartbeat !== heartbeat) health.set(name, { heartbeat, probeAt: now });
        const probeAt = health.get(name)?.probeAt ?? now;
        if (now - probeAt > grace) {
          if (ready?.status !== "Unknown") markUnknown(nc, node, conditions, nowIso());
          markPodsNotReady(nc, name, nowIso());
        } else if (ready?.status === "True") setTaints(nc, node, false, nowIso());
        else if (ready) markPodsNotReady(nc, name, nowIso());
      }
    },
  };
}
