// The ReplicaSet controller: adopts matching orphan pods, creates pods up to spec.replicas on the nodes they fit
// (spread over them; Pending and Unschedulable when none fits), deletes the surplus, and keeps the status counts.
import { type KubeClient, R } from "../client.js";
import { isObject, isPodReady, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import { matchesLabels, selectorFromObject } from "../resources/selectors.js";
import type { Controller } from "./runtime.js";
import { pickNode } from "./scheduling.js";
import {
  claim,
  createUnschedulable,
  deletionOrder,
  inOneTransaction,
  isActive,
  isScheduled,
  podFromTemplate,
  podIpsByNode,
  specOf,
  startPodOn,
  templateLabels,
  templateOf,
} from "./workload-pods.js";

interface Cluster {
  nodes: KubeObject[];
  pods: KubeObject[];
  usedIps: Map<string, Set<string>>;
}

const podSpecOf = (template: JsonObject): JsonObject => (isObject(template.spec) ? template.spec : {});

/** Places one new pod: on the fitting node with the fewest of this ReplicaSet's pods, or Pending. */
function addPod(c: KubeClient, rs: KubeObject, owned: KubeObject[], cluster: Cluster): KubeObject {
  const template = templateOf(rs);
  const spec = podSpecOf(template);
  const perNode = new Map<string, number>();
  for (const p of owned) {
    const node = String(specOf(p).nodeName ?? "");
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const pod = podFromTemplate(rs, template, {}, spec);
  const node = pickNode(spec, cluster.nodes, perNode);
  return node ? startPodOn(c, pod, node, cluster.usedIps) : createUnschedulable(c, pod, cluster.nodes);
}

function syncReplicaSet(c: KubeClient, rs: KubeObject, cluster: Cluster): void {
  const selector = selectorFromObject(specOf(rs).selector as Parameters<typeof selectorFromObject>[0]);
  let owned = claim(c, R.pods, rs, selector, cluster.pods.filter(isActive));
  // No binding subresource here: a Pending pod some node now fits is replaced by one placed there.
  const pending = owned.filter((p) => !isScheduled(p));
  if (pending.length && pickNode(podSpecOf(templateOf(rs)), cluster.nodes, new Map())) {
    for (const p of pending) c.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "");
    owned = owned.filter(isScheduled);
  }
  const want = Number(specOf(rs).replicas ?? 1);
  if (owned.length > want) {
    const surplus = [...owned].sort(deletionOrder).slice(0, owned.length - want);
    for (const p of surplus) c.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "");
    owned = owned.filter((p) => !surplus.includes(p));
  }
  while (owned.length < want) owned.push(addPod(c, rs, owned, cluster));
  const labels = selectorFromObject({ matchLabels: templateLabels(templateOf(rs)) });
  const ready = owned.filter(isPodReady).length;
  const old = isObject(rs.status) ? rs.status : {};
  const status: JsonObject = {
    replicas: owned.length,
    fullyLabeledReplicas: owned.filter((p) => matchesLabels(labels, p.metadata.labels)).length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
    ...(old.conditions ? { conditions: old.conditions } : {}),
  };
  // Zero counts are omitted on the wire (omitempty), as a scaled-down ReplicaSet shows.
  for (const k of ["fullyLabeledReplicas", "readyReplicas", "availableReplicas"])
    if (status[k] === 0) delete status[k];
  if (!jsonEqual(old, status)) c.updateStatus(R.replicasets, { ...rs, status });
}

export function replicaSetController(client: KubeClient, options: { resyncMs?: number } = {}): Controller {
  const c = client.as("kube-controller-manager");
  return {
    name: "replicaset-controller",
    watches: [R.replicasets, R.pods, R.nodes],
    resyncMs: options.resyncMs ?? 30_000,
    sync() {
      inOneTransaction(c, (each) => {
        const sets = c.list(R.replicasets).filter((rs) => !rs.metadata.deletionTimestamp);
        if (sets.length === 0) return;
        const pods = c.list(R.pods);
        const cluster: Cluster = { nodes: c.list(R.nodes), pods, usedIps: podIpsByNode(pods) };
        for (const rs of sets) each(() => syncReplicaSet(c, rs, cluster));
      });
    },
  };
}
