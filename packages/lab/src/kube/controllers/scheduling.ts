// Where a pod may run, as the scheduler's filters and the DaemonSet controller's predicates decide it: nodeSelector,
// required node affinity, the node name, taints against tolerations, and cordoned nodes.
import { isObject, type JsonObject, type KubeObject } from "../meta.js";

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** v1.Toleration.ToleratesTaint. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if ((t.operator ?? "Equal") === "Exists") return true;
  if (!t.key && t.operator !== "Exists") return false;
  return (t.value ?? "") === (taint.value ?? "");
}

/** The first taint of these effects that no toleration tolerates. */
export function untoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly string[],
): Taint | undefined {
  return taints.find(
    (taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)),
  );
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

function requirementHolds(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(values[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution node affinity (terms ORed, requirements ANDed). */
function nodeMatches(spec: JsonObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = (isObject(spec.nodeSelector) ? spec.nodeSelector : {}) as Record<string, string>;
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) return false;
  const affinity = isObject(spec.affinity) ? spec.affinity : {};
  const nodeAffinity = isObject(affinity.nodeAffinity) ? affinity.nodeAffinity : {};
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (!isObject(required)) return true;
  const terms = list<JsonObject>(required.nodeSelectorTerms);
  const fields: Record<string, string> = { "metadata.name": node.metadata.name ?? "" };
  return terms.some((term) => {
    const exprs = list<Requirement>(term.matchExpressions);
    const fieldExprs = list<Requirement>(term.matchFields);
    if (exprs.length === 0 && fieldExprs.length === 0) return false;
    return (
      exprs.every((r) => requirementHolds(r, labels[r.key])) &&
      fieldExprs.every((r) => requirementHolds(r, fields[r.key]))
    );
  });
}

export interface NodeFit {
  /** A new pod may be placed here. */
  fits: boolean;
  /** A pod already here may stay (it tolerates the node's NoExecute taints). */
  continueRunning: boolean;
  /** Why it does not fit, in the scheduler's words ("node(s) …"). */
  reason?: string;
}

const taintText = (t: Taint) => `{${t.key}: ${t.value ?? ""}}`;

/** The DaemonSet controller's predicates (and the scheduler's filters) for a pod spec on a node. */
export function nodeFit(spec: JsonObject, node: KubeObject): NodeFit {
  const no = (reason: string): NodeFit => ({ fits: false, continueRunning: false, reason });
  if (node.metadata.deletionTimestamp) return no("node(s) were being deleted");
  if (typeof spec.nodeName === "string" && spec.nodeName && spec.nodeName !== node.metadata.name)
    return no("node(s) didn't match the requested node name");
  if (!nodeMatches(spec, node)) return no("node(s) didn't match Pod's node affinity/selector");
  const nodeSpec = isObject(node.spec) ? node.spec : {};
  const tolerations = list<Toleration>(spec.tolerations);
  const taints = list<Taint>(nodeSpec.taints);
  const cordon = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" };
  const noExecute = untoleratedTaint(taints, tolerations, ["NoExecute"]);
  const continueRunning = !noExecute;
  if (nodeSpec.unschedulable === true && !tolerations.some((t) => tolerates(t, cordon)))
    return { fits: false, continueRunning, reason: "node(s) were unschedulable" };
  const blocking = untoleratedTaint(taints, tolerations, ["NoSchedule", "NoExecute"]);
  if (blocking)
    return { fits: false, continueRunning, reason: `node(s) had untolerated taint ${taintText(blocking)}` };
  return { fits: true, continueRunning: true };
}

/** The FailedScheduling message for a pod no node fits (FitError.Error). */
export function unschedulableMessage(spec: JsonObject, nodes: readonly KubeObject[]): string {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const reason = nodeFit(spec, n).reason;
    if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const reasons = [...counts].map(([r, c]) => `${c} ${r}`).sort();
  const head = `0/${nodes.length} nodes are available`;
  const preemption = `preemption: ${head}: ${nodes.length} Preemption is not helpful for scheduling.`;
  return nodes.length
    ? `${head}: ${reasons.join(", ")}. ${preemption}`
    : `no nodes available to schedule pods`;
}

/** util.AddOrUpdateDaemonPodTolerations: what every DaemonSet pod tolerates, whatever its template says. */
export function withDaemonTolerations(spec: JsonObject): JsonObject {
  const extra: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (spec.hostNetwork === true)
    extra.push({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  const tolerations = list<Toleration>(spec.tolerations).filter(
    (t) => !extra.some((e) => e.key === t.key && e.effect === t.effect),
  );
  return { ...spec, tolerations: [...tolerations, ...extra] };
}

/** The node affinity a DaemonSet pod carries to pin it to its node (util.ReplaceDaemonSetPodNodeNameNodeAffinity). */
export function pinnedToNode(spec: JsonObject, nodeName: string): JsonObject {
  const affinity = isObject(spec.affinity) ? spec.affinity : {};
  const nodeAffinity = isObject(affinity.nodeAffinity) ? affinity.nodeAffinity : {};
  return {
    ...spec,
    affinity: {
      ...affinity,
      nodeAffinity: {
        ...nodeAffinity,
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] },
          ],
        },
      },
    },
  };
}

/** Spreads replicas: the fitting node with the fewest of these pods, then by name (round-robin over equals). */
export function pickNode(
  spec: JsonObject,
  nodes: readonly KubeObject[],
  podsPerNode: ReadonlyMap<string, number>,
): KubeObject | undefined {
  return nodes
    .filter((n) => nodeFit(spec, n).fits)
    .sort(
      (a, b) =>
        (podsPerNode.get(a.metadata.name ?? "") ?? 0) - (podsPerNode.get(b.metadata.name ?? "") ?? 0) ||
        (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
    )[0];
}
