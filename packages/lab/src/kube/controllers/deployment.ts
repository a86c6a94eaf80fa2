// The Deployment controller: one ReplicaSet per pod template (`<name>-<pod-template-hash>`, with revision annotations),
// scaled to spec.replicas; on a template change the new one scales up and the old ones go to 0 once it is ready
// (Recreate: old first). Old ReplicaSets beyond revisionHistoryLimit are deleted; status and conditions as upstream.
import { type KubeClient, R } from "../client.js";
import { clone, isObject, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import { selectorFromObject } from "../resources/selectors.js";
import { statusNum, writeStatus } from "./deployment-status.js";
import type { Controller } from "./runtime.js";
import {
  claim,
  inOneTransaction,
  ownerRefOf,
  specOf,
  templateHash,
  templateLabels,
  templateOf,
} from "./workload-pods.js";

const HASH_LABEL = "pod-template-hash";
const REVISION = "deployment.kubernetes.io/revision";
const DESIRED = "deployment.kubernetes.io/desired-replicas";
const MAX = "deployment.kubernetes.io/max-replicas";

const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;

/** An int-or-percent of `total` (surge rounds up, unavailable down), as intstr.GetScaledValueFromIntOrPercent. */
function scaled(v: unknown, total: number, roundUp: boolean): number {
  const m = /^(\d+)%$/.exec(String(v ?? 0));
  if (!m) return Number(v ?? 0) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** deploymentutil.MaxSurge and MaxUnavailable (both 0 means 1 unavailable). */
function rollingBounds(d: KubeObject, replicas: number): { surge: number; unavailable: number } {
  const strategy = isObject(specOf(d).strategy) ? (specOf(d).strategy as JsonObject) : {};
  if (strategy.type === "Recreate") return { surge: 0, unavailable: 0 };
  const rolling = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const surge = scaled(rolling.maxSurge ?? "25%", replicas, true);
  const unavailable = scaled(rolling.maxUnavailable ?? "25%", replicas, false);
  return surge === 0 && unavailable === 0
    ? { surge, unavailable: 1 }
    : { surge, unavailable: Math.min(unavailable, replicas) };
}

/** EqualIgnoreHash: the ReplicaSet's template is the Deployment's, but for the pod-template-hash label. */
function sameTemplate(rsTemplate: JsonObject, template: JsonObject): boolean {
  const strip = (t: JsonObject) => {
    const copy = clone(t);
    if (isObject(copy.metadata) && isObject(copy.metadata.labels)) delete copy.metadata.labels[HASH_LABEL];
    return copy;
  };
  return jsonEqual(strip(rsTemplate), strip(template));
}

function newReplicaSet(
  c: KubeClient,
  d: KubeObject,
  revision: number,
  replicas: number,
  maxReplicas: number,
): KubeObject {
  const template = clone(templateOf(d));
  const taken = (name: string) => c.get(R.replicasets, d.metadata.namespace, name) !== undefined;
  let hash = templateHash(template);
  for (let collision = 1; taken(`${d.metadata.name}-${hash}`) && collision < 10; collision++)
    hash = templateHash({ template, collision });
  const labels = { ...templateLabels(template), [HASH_LABEL]: hash };
  template.metadata = { ...(isObject(template.metadata) ? template.metadata : {}), labels };
  const selector = (isObject(specOf(d).selector) ? clone(specOf(d).selector) : {}) as JsonObject;
  selector.matchLabels = {
    ...(isObject(selector.matchLabels) ? selector.matchLabels : {}),
    [HASH_LABEL]: hash,
  };
  return c.create(R.replicasets, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels,
      annotations: { [DESIRED]: String(replicas), [MAX]: String(maxReplicas), [REVISION]: String(revision) },
      ownerReferences: [ownerRefOf(d)],
    },
    spec: {
      replicas,
      ...(specOf(d).minReadySeconds !== undefined ? { minReadySeconds: specOf(d).minReadySeconds } : {}),
      selector,
      template,
    },
  });
}

/** Sets a ReplicaSet's replicas and the annotations the Deployment keeps on it (replicas; revision if missing). */
function scale(
  c: KubeClient,
  rs: KubeObject,
  replicas: number,
  desired: number,
  maxReplicas: number,
  revision?: number,
): KubeObject {
  const annotations: Record<string, string> = {
    ...rs.metadata.annotations,
    [DESIRED]: String(desired),
    [MAX]: String(maxReplicas),
  };
  if (revision !== undefined && !annotations[REVISION]) annotations[REVISION] = String(revision);
  if (specOf(rs).replicas === replicas && jsonEqual(annotations, rs.metadata.annotations ?? {})) return rs;
  return c.update(R.replicasets, {
    ...rs,
    metadata: { ...rs.metadata, annotations },
    spec: { ...specOf(rs), replicas },
  });
}

function syncDeployment(c: KubeClient, d: KubeObject, allSets: KubeObject[]): void {
  const spec = specOf(d);
  const selector = selectorFromObject(spec.selector as Parameters<typeof selectorFromObject>[0]);
  const sets = claim(
    c,
    R.replicasets,
    d,
    selector,
    allSets.filter((rs) => !rs.metadata.deletionTimestamp),
  );
  const desired = Number(spec.replicas ?? 1);
  const { surge, unavailable } = rollingBounds(d, desired);
  const maxReplicas = desired + surge;
  let current = sets.find((rs) => sameTemplate(templateOf(rs), templateOf(d)));
  const olds = sets.filter((rs) => rs !== current);
  const recreate = isObject(spec.strategy) && spec.strategy.type === "Recreate";
  const oldPods = olds.reduce((n, rs) => n + statusNum(rs, "replicas"), 0);
  let created = false;
  if (!current && spec.paused !== true) {
    const revision = Math.max(0, ...sets.map(revisionOf)) + 1;
    current = newReplicaSet(c, d, revision, recreate && oldPods > 0 ? 0 : desired, maxReplicas);
    created = true;
  }
  if (current) {
    const known = revisionOf(current) || Number(d.metadata.annotations?.[REVISION] ?? 0) || 1;
    current = scale(c, current, recreate && oldPods > 0 ? 0 : desired, desired, maxReplicas, known);
    const revision = String(revisionOf(current));
    if (d.metadata.annotations?.[REVISION] !== revision)
      d = c.update(R.deployments, {
        ...d,
        metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: revision } },
      });
  }
  const newReady = current ? statusNum(current, "readyReplicas") : 0;
  const settled = recreate || (current !== undefined && newReady >= desired);
  // A paused Deployment's rollout stands still: its old ReplicaSets keep their size.
  if (settled && spec.paused !== true)
    for (const [i, rs] of olds.entries()) olds[i] = scale(c, rs, 0, desired, maxReplicas);
  cleanup(c, d, olds);
  writeStatus(c, d, current, [...(current ? [current] : []), ...olds], desired - unavailable, created);
}

/** cleanupDeployment: old, empty ReplicaSets beyond revisionHistoryLimit go, oldest revision first. */
function cleanup(c: KubeClient, d: KubeObject, olds: KubeObject[]): void {
  const limit = Number(specOf(d).revisionHistoryLimit ?? 10);
  const empty = olds
    .filter((rs) => Number(specOf(rs).replicas ?? 0) === 0 && statusNum(rs, "replicas") === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of empty.slice(0, Math.max(0, olds.length - limit)))
    c.delete(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? "");
}

export function deploymentController(client: KubeClient, options: { resyncMs?: number } = {}): Controller {
  const c = client.as("kube-controller-manager");
  return {
    name: "deployment-controller",
    watches: [R.deployments, R.replicasets],
    resyncMs: options.resyncMs ?? 30_000,
    sync() {
      inOneTransaction(c, (each) => {
        const deployments = c.list(R.deployments).filter((d) => !d.metadata.deletionTimestamp);
        if (deployments.length === 0) return;
        const sets = c.list(R.replicasets);
        for (const d of deployments) each(() => syncDeployment(c, d, sets));
      });
    },
  };
}
