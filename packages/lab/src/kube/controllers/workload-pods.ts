// What the workload controllers share: controller references and adoption, template hashes, and pods made from a
// template and started as the node's kubelet would report them (addresses from the node; readiness left to the
// lab's kubelet stand-in where it probes, i.e. host-network pods with an httpGet/tcpSocket readiness probe).
import { type Gvr, type KubeClient, R } from "../client.js";
import {
  clone,
  controllerRef,
  isObject,
  isPodReady,
  type JsonObject,
  type KubeObject,
  nowIso,
  type OwnerReference,
} from "../meta.js";
import { type LabelSelector, matchesLabels } from "../resources/selectors.js";
import { freePodIp } from "../seed/nodes.js";
import { runningPodStatus } from "../seed/workloads.js";
import { unschedulableMessage } from "./scheduling.js";

export { templateHash } from "./template-hash.js";

export const controllerOf = (o: KubeObject): OwnerReference | undefined =>
  o.metadata.ownerReferences?.find((r) => r.controller === true);

export const isOwnedBy = (o: KubeObject, owner: KubeObject): boolean =>
  controllerOf(o)?.uid === owner.metadata.uid;

export const specOf = (o: KubeObject): JsonObject => (isObject(o.spec) ? o.spec : {});
export const templateOf = (o: KubeObject): JsonObject =>
  isObject(specOf(o).template) ? (specOf(o).template as JsonObject) : {};
export const templateLabels = (t: JsonObject): Record<string, string> =>
  ((isObject(t.metadata) ? t.metadata.labels : undefined) ?? {}) as Record<string, string>;

/** Not being deleted and not finished: a pod that counts towards its controller's replicas. */
export const isActive = (pod: KubeObject): boolean => {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
};

/**
 * What `owner` controls among `objects`: those with its controller reference, plus orphans in its namespace that
 * its selector matches, which it adopts (ControllerRefManager.ClaimPods / ClaimReplicaSets).
 */
export function claim(
  client: KubeClient,
  gvr: Gvr,
  owner: KubeObject,
  selector: LabelSelector,
  objects: readonly KubeObject[],
): KubeObject[] {
  const out: KubeObject[] = [];
  for (const o of objects) {
    if (o.metadata.namespace !== owner.metadata.namespace) continue;
    if (isOwnedBy(o, owner)) out.push(o);
    else if (!controllerOf(o) && !o.metadata.deletionTimestamp && selector.length > 0) {
      if (!matchesLabels(selector, o.metadata.labels)) continue;
      const refs = [...(o.metadata.ownerReferences ?? []), ownerRefOf(owner)];
      out.push(client.update(gvr, { ...o, metadata: { ...o.metadata, ownerReferences: refs } }));
    }
  }
  return out;
}

export const ownerRefOf = (owner: KubeObject): OwnerReference =>
  controllerRef(owner.apiVersion ?? "apps/v1", owner.kind ?? "", owner);

/** A pod from a template, owned by `owner` (the API server gives it `<owner>-<5 chars>`). */
export function podFromTemplate(
  owner: KubeObject,
  template: JsonObject,
  extraLabels: Record<string, string>,
  spec: JsonObject,
): KubeObject {
  const meta = isObject(template.metadata) ? template.metadata : {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...templateLabels(template), ...extraLabels },
      ...(isObject(meta.annotations) ? { annotations: meta.annotations as Record<string, string> } : {}),
      ownerReferences: [ownerRefOf(owner)],
    },
    spec: clone(spec),
  };
}

const containersOf = (pod: KubeObject): JsonObject[] =>
  (Array.isArray(specOf(pod).containers) ? specOf(pod).containers : []) as JsonObject[];

/** Containers whose readiness the node's kubelet stand-in probes (see standin/kubelet.ts probeOwned). */
function kubeletProbed(pod: KubeObject): string[] {
  if (specOf(pod).hostNetwork !== true) return [];
  return containersOf(pod)
    .filter((c) => isObject(c.readinessProbe) && (c.readinessProbe.httpGet || c.readinessProbe.tcpSocket))
    .map((c) => String(c.name));
}

const internalIp = (node: KubeObject): string => {
  const addresses =
    isObject(node.status) && Array.isArray(node.status.addresses) ? node.status.addresses : [];
  const hit = addresses.find((a) => isObject(a) && a.type === "InternalIP");
  return isObject(hit) ? String(hit.address ?? "") : "";
};

/** Pod IPs in use on each node (host-network pods use the node's own address and take none). */
export function podIpsByNode(pods: readonly KubeObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of pods) {
    const node = String(specOf(p).nodeName ?? "");
    const ip = isObject(p.status) ? p.status.podIP : undefined;
    if (!node || typeof ip !== "string" || specOf(p).hostNetwork === true) continue;
    const set = out.get(node) ?? new Set<string>();
    set.add(ip);
    out.set(node, set);
  }
  return out;
}

/** Creates the pod bound to `node` and reports it Running, as the scheduler and the node's kubelet would. */
export function startPodOn(
  client: KubeClient,
  pod: KubeObject,
  node: KubeObject,
  usedIps: Map<string, Set<string>>,
): KubeObject {
  const nodeName = node.metadata.name ?? "";
  const created = client.create(R.pods, { ...pod, spec: { ...specOf(pod), nodeName } });
  const hostIP = internalIp(node);
  const used = usedIps.get(nodeName) ?? new Set<string>();
  usedIps.set(nodeName, used);
  const podCidr = specOf(node).podCIDR;
  const fromCidr =
    specOf(created).hostNetwork === true ? undefined : freePodIp(podCidr as string | undefined, used);
  if (fromCidr) used.add(fromCidr);
  const status = runningPodStatus(created, hostIP, fromCidr ?? hostIP, nowIso(), kubeletProbed(created));
  return client.updateStatus(R.pods, { ...created, status });
}

/** Creates a pod no node fits: Pending, PodScheduled=False (Unschedulable) with the scheduler's message. */
export function createUnschedulable(client: KubeClient, pod: KubeObject, nodes: KubeObject[]): KubeObject {
  const created = client.create(R.pods, pod);
  const status = isObject(created.status) ? created.status : {};
  const condition = {
    type: "PodScheduled",
    status: "False",
    lastProbeTime: null,
    lastTransitionTime: nowIso(),
    reason: "Unschedulable",
    message: unschedulableMessage(specOf(created), nodes),
  };
  return client.updateStatus(R.pods, { ...created, status: { ...status, conditions: [condition] } });
}

export const isScheduled = (pod: KubeObject): boolean => Boolean(specOf(pod).nodeName);

/** Scale-down order (controller.ActivePods' ranking, simplified): unscheduled, then not ready, then newest first. */
export function deletionOrder(a: KubeObject, b: KubeObject): number {
  const rank = (p: KubeObject) => (!isScheduled(p) ? 0 : !isPodReady(p) ? 1 : 2);
  return (
    rank(a) - rank(b) ||
    String(b.metadata.creationTimestamp ?? "").localeCompare(String(a.metadata.creationTimestamp ?? "")) ||
    String(b.metadata.name).localeCompare(String(a.metadata.name))
  );
}

/**
 * Runs a controller's sync in one write transaction; one object's failure does not undo the others' writes, and
 * the first failure is thrown once the transaction has committed (the loop records it as the controller's error).
 */
export function inOneTransaction(c: KubeClient, sync: (each: (fn: () => void) => void) => void): void {
  let failure: unknown;
  c.api.store.write(() =>
    sync((fn) => {
      try {
        fn();
      } catch (err) {
        failure ??= err;
      }
    }),
  );
  if (failure !== undefined) throw failure;
}
