// The DaemonSet controller: one pod per node the template fits (nodeSelector, affinity, taints against the
// tolerations every daemon pod gets), rolling template changes one node at a time within maxUnavailable, pods off
// nodes that no longer qualify, and the status counts `kubectl get ds` shows.
import { type KubeClient, R } from "../client.js";
import { isObject, isPodReady, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import { selectorFromObject } from "../resources/selectors.js";
import { TEMPLATE_GENERATION } from "../resources/workloads.js";
import type { Controller } from "./runtime.js";
import { nodeFit, pinnedToNode, withDaemonTolerations } from "./scheduling.js";
import {
  claim,
  inOneTransaction,
  isActive,
  podFromTemplate,
  podIpsByNode,
  specOf,
  startPodOn,
  templateHash,
  templateOf,
} from "./workload-pods.js";

const nodeOf = (pod: KubeObject) => String(specOf(pod).nodeName ?? "");

/** util.IsPodUpdated: the pod's template generation or its revision hash is the DaemonSet's current one. */
function isUpdated(pod: KubeObject, generation: string | undefined, hash: string): boolean {
  const labels = pod.metadata.labels ?? {};
  return (
    (generation !== undefined && labels["pod-template-generation"] === generation) ||
    labels["controller-revision-hash"] === hash
  );
}

/** maxUnavailable of a RollingUpdate (an int or a percentage of the desired pods, rounded up; at least 1). */
function maxUnavailable(ds: KubeObject, desired: number): number {
  const strategy = isObject(specOf(ds).updateStrategy) ? (specOf(ds).updateStrategy as JsonObject) : {};
  const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const v = rolling.maxUnavailable ?? 1;
  const m = /^(\d+)%$/.exec(String(v));
  const n = m ? Math.ceil((Number(m[1]) * desired) / 100) : Number(v);
  return Math.max(1, Number.isFinite(n) ? n : 1);
}

interface NodePlan {
  node: KubeObject;
  shouldRun: boolean;
  /** This DaemonSet's pods on the node that are not being deleted. */
  pods: KubeObject[];
  /** Pods still terminating there: a new one waits for them (no surge). */
  terminating: number;
}

function syncDaemonSet(c: KubeClient, ds: KubeObject, nodes: KubeObject[], allPods: KubeObject[]): void {
  const template = templateOf(ds);
  const spec = withDaemonTolerations(isObject(template.spec) ? template.spec : {});
  const hash = templateHash(template);
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION];
  const selector = selectorFromObject(specOf(ds).selector as Parameters<typeof selectorFromObject>[0]);
  const owned = claim(c, R.pods, ds, selector, allPods);
  const usedIps = podIpsByNode(allPods);
  const plans: NodePlan[] = nodes.map((node) => {
    const here = owned.filter((p) => nodeOf(p) === node.metadata.name);
    return {
      node,
      shouldRun: nodeFit(spec, node).fits,
      pods: here.filter(isActive),
      terminating: here.filter((p) => !isActive(p)).length,
    };
  });
  const remove = (plan: NodePlan | undefined, p: KubeObject) => {
    c.delete(R.pods, p.metadata.namespace, p.metadata.name ?? "");
    if (plan && p.metadata.finalizers?.length) plan.terminating++;
  };
  // Pods on nodes that are gone or that no longer tolerate their node, finished pods, and duplicates on one node.
  const known = new Set(nodes.map((n) => n.metadata.name));
  for (const p of owned) if (!known.has(nodeOf(p)) && !p.metadata.deletionTimestamp) remove(undefined, p);
  for (const plan of plans) {
    for (const p of owned)
      if (nodeOf(p) === plan.node.metadata.name && !p.metadata.deletionTimestamp && !isActive(p))
        remove(plan, p);
    const keep = nodeFit(spec, plan.node).continueRunning;
    const sorted = [...plan.pods].sort((a, b) =>
      String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)),
    );
    for (const p of keep ? sorted.slice(1) : sorted) remove(plan, p);
    plan.pods = keep ? sorted.slice(0, 1) : [];
  }
  const desired = plans.filter((p) => p.shouldRun);
  rollOut(ds, desired, generation, hash, remove);
  const labels = {
    "controller-revision-hash": hash,
    ...(generation ? { "pod-template-generation": generation } : {}),
  };
  for (const plan of desired) {
    if (plan.pods.length || plan.terminating) continue;
    const pod = podFromTemplate(ds, template, labels, pinnedToNode(spec, plan.node.metadata.name ?? ""));
    plan.pods = [startPodOn(c, pod, plan.node, usedIps)];
  }
  writeStatus(c, ds, plans, generation, hash);
}

/** RollingUpdate: outdated pods go (unready ones first, free), ready ones while maxUnavailable allows. */
function rollOut(
  ds: KubeObject,
  desired: NodePlan[],
  generation: string | undefined,
  hash: string,
  remove: (plan: NodePlan, pod: KubeObject) => void,
): void {
  const strategy = isObject(specOf(ds).updateStrategy) ? (specOf(ds).updateStrategy as JsonObject) : {};
  if (strategy.type === "OnDelete") return;
  const unavailable = desired.filter((p) => !p.pods.some(isPodReady)).length;
  const outdated = desired
    .filter((p) => p.pods[0] && !isUpdated(p.pods[0], generation, hash))
    .sort(
      (a, b) => Number(isPodReady(a.pods[0] as KubeObject)) - Number(isPodReady(b.pods[0] as KubeObject)),
    );
  let budget = maxUnavailable(ds, desired.length) - unavailable;
  for (const plan of outdated) {
    const pod = plan.pods[0] as KubeObject;
    const ready = isPodReady(pod);
    if (ready && budget <= 0) continue;
    if (ready) budget--;
    remove(plan, pod);
    plan.pods = [];
  }
}

function writeStatus(
  c: KubeClient,
  ds: KubeObject,
  plans: NodePlan[],
  generation: string | undefined,
  hash: string,
): void {
  const desired = plans.filter((p) => p.shouldRun);
  const ready = desired.filter((p) => p.pods.some(isPodReady)).length;
  const status: JsonObject = {
    currentNumberScheduled: desired.filter((p) => p.pods.length || p.terminating).length,
    numberMisscheduled: plans.filter((p) => !p.shouldRun && (p.pods.length || p.terminating)).length,
    desiredNumberScheduled: desired.length,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: desired.filter((p) => p.pods.some((pod) => isUpdated(pod, generation, hash)))
      .length,
    numberAvailable: ready,
    ...(desired.length - ready > 0 ? { numberUnavailable: desired.length - ready } : {}),
  };
  const old = isObject(ds.status) ? ds.status : {};
  if (!jsonEqual({ ...old, conditions: undefined }, status))
    c.updateStatus(R.daemonsets, {
      ...ds,
      status: { ...status, ...(old.conditions ? { conditions: old.conditions } : {}) },
    });
}

export function daemonSetController(client: KubeClient, options: { resyncMs?: number } = {}): Controller {
  const c = client.as("kube-controller-manager");
  return {
    name: "daemonset-controller",
    watches: [R.daemonsets, R.nodes, R.pods],
    resyncMs: options.resyncMs ?? 30_000,
    sync() {
      // One transaction: other API server processes (or the seed) see this sync's writes at once, and it sees theirs.
      inOneTransaction(c, (each) => {
        const sets = c.list(R.daemonsets).filter((ds) => !ds.metadata.deletionTimestamp);
        if (sets.length === 0) return;
        const nodes = c.list(R.nodes);
        const pods = c.list(R.pods);
        for (const ds of sets) each(() => syncDaemonSet(c, ds, nodes, pods));
      });
    },
  };
}
