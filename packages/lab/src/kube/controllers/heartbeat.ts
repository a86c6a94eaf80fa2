// The kubelet's side of node health, for the k3s stand-in to call while it runs: renew the node Lease and post
// Ready=True (with lastHeartbeatTime), and after an outage put the node's pods back to ready as a restarted kubelet would.
import { type KubeClient, R } from "../client.js";
import { type Condition, isObject, type KubeObject, nowIso, nowMicro, setCondition } from "../meta.js";

export interface HeartbeatOptions {
  /** Node lease duration (kubelet default 40 s). */
  leaseDurationSeconds?: number;
  /** Post node status at least this often even when nothing changed (kubelet nodeStatusReportFrequency: 5 min). */
  statusReportMs?: number;
  /** Which of the node's pods a restarted kubelet marks ready again (default: all Running pods). */
  restorePod?: (pod: KubeObject) => boolean;
}

const KUBELET_CONDITIONS: Array<Omit<Condition, "lastTransitionTime">> = [
  {
    type: "MemoryPressure",
    status: "False",
    reason: "KubeletHasSufficientMemory",
    message: "kubelet has sufficient memory available",
  },
  {
    type: "DiskPressure",
    status: "False",
    reason: "KubeletHasNoDiskPressure",
    message: "kubelet has no disk pressure",
  },
  {
    type: "PIDPressure",
    status: "False",
    reason: "KubeletHasSufficientPID",
    message: "kubelet has sufficient PID available",
  },
  { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
];

function renewLease(client: KubeClient, node: KubeObject, durationS: number): void {
  const name = node.metadata.name ?? "";
  const lease = client.get(R.leases, "kube-node-lease", name);
  const spec = { holderIdentity: name, leaseDurationSeconds: durationS, renewTime: nowMicro() };
  if (lease) {
    client.update(R.leases, { ...lease, spec: { ...(isObject(lease.spec) ? lease.spec : {}), ...spec } });
    return;
  }
  client.create(R.leases, {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name,
      namespace: "kube-node-lease",
      ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: node.metadata.uid ?? "" }],
    },
    spec,
  });
}

function restorePods(
  client: KubeClient,
  nodeName: string,
  keep: (pod: KubeObject) => boolean,
  now: string,
): void {
  for (const pod of client.list(R.pods, { fieldSelector: `spec.nodeName=${nodeName}` })) {
    const status = isObject(pod.status) ? pod.status : {};
    if (status.phase !== "Running" || !keep(pod)) continue;
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
    const ready = conditions.find((c) => c.type === "Ready");
    if (!ready || ready.status === "True") continue;
    for (const type of ["ContainersReady", "Ready"])
      setCondition(conditions, { type, status: "True", lastProbeTime: null }, now);
    client.updateStatus(R.pods, { ...pod, status: { ...status, conditions } });
  }
}

/** One heartbeat for `nodeName`; returns false when the Node object does not exist. */
export function nodeHeartbeat(client: KubeClient, nodeName: string, options: HeartbeatOptions = {}): boolean {
  const node = client.get(R.nodes, undefined, nodeName);
  if (!node) return false;
  renewLease(client, node, options.leaseDurationSeconds ?? 40);
  const status = isObject(node.status) ? node.status : {};
  const conditions = (Array.isArray(status.conditions) ? [...status.conditions] : []) as Condition[];
  const ready = conditions.find((c) => c.type === "Ready");
  const last = ready?.lastHeartbeatTime ? Date.parse(ready.lastHeartbeatTime) : 0;
  const stale = Date.now() - last >= (options.statusReportMs ?? 300_000);
  const wasReady = ready?.status === "True";
  if (!wasReady || stale) {
    const now = nowIso();
    for (const c of KUBELET_CONDITIONS) setCondition(conditions, { ...c, lastHeartbeatTime: now }, now);
    client.updateStatus(R.nodes, { ...node, status: { ...status, conditions } });
  }
  if (!wasReady) restorePods(client, nodeName, options.restorePod ?? (() => true), nowIso());
  return true;
}

export interface Heartbeat {
  stop(): void;
}

/** Heartbeats every intervalMs (kubelet: lease renewal every 10 s) until stopped — stopping is the node going dark. */
export function startNodeHeartbeat(
  client: KubeClient,
  nodeName: string,
  options: HeartbeatOptions & { intervalMs?: number } = {},
): Heartbeat {
  const k = client.as("k3s");
  const beat = () => {
    try {
      nodeHeartbeat(k, nodeName, options);
    } catch {
      // the datastore is busy or closing; the next beat retries
    }
  };
  beat();
  const timer = setInterval(beat, options.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
