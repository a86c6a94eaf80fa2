// The disruption controller: PodDisruptionBudget status (expected, healthy, desired, allowed), which evictions read.
import { type KubeClient, R } from "../client.js";
import {
  type Condition,
  isObject,
  isPodReady,
  type JsonObject,
  jsonEqual,
  type KubeObject,
  nowIso,
  setCondition,
} from "../meta.js";
import { matchesLabels, selectorFromObject } from "../resources/selectors.js";
import type { Controller } from "./runtime.js";

/** How long an eviction's entry in disruptedPods keeps a pod out of the healthy count (upstream: 2 minutes). */
const DELETION_TIMEOUT_MS = 2 * 60_000;

function scaled(value: unknown, expected: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const m = /^(\d+)%$/.exec(String(value ?? ""));
  if (!m) return 0;
  const exact = (Number(m[1]) * expected) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function pdbStatus(pdb: KubeObject, pods: KubeObject[], now: number): JsonObject {
  const spec = (isObject(pdb.spec) ? pdb.spec : {}) as JsonObject;
  const old = (isObject(pdb.status) ? pdb.status : {}) as JsonObject;
  let selector: ReturnType<typeof selectorFromObject> = [];
  try {
    selector = selectorFromObject(isObject(spec.selector) ? spec.selector : undefined);
  } catch {
    selector = [];
  }
  const matching = selector.length
    ? pods.filter(
        (p) => p.metadata.namespace === pdb.metadata.namespace && matchesLabels(selector, p.metadata.labels),
      )
    : [];
  const disrupted = Object.fromEntries(
    Object.entries((isObject(old.disruptedPods) ? old.disruptedPods : {}) as Record<string, string>).filter(
      ([name, at]) =>
        now - Date.parse(at) < DELETION_TIMEOUT_MS &&
        matching.some((p) => p.metadata.name === name && !p.metadata.deletionTimestamp),
    ),
  );
  const expected = matching.length;
  const healthy = matching.filter(
    (p) => isPodReady(p) && !p.metadata.deletionTimestamp && !((p.metadata.name ?? "") in disrupted),
  ).length;
  const desired =
    spec.maxUnavailable !== undefined
      ? Math.max(0, expected - scaled(spec.maxUnavailable, expected, true))
      : scaled(spec.minAvailable ?? 1, expected, true);
  const allowed = Math.max(0, healthy - desired);
  const conditions = (Array.isArray(old.conditions) ? [...old.conditions] : []) as Condition[];
  setCondition(
    conditions,
    {
      type: "DisruptionAllowed",
      status: allowed > 0 ? "True" : "False",
      reason: allowed > 0 ? "SufficientPods" : "InsufficientPods",
      message: "",
    },
    nowIso(new Date(now)),
  );
  return {
    ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions,
    observedGeneration: pdb.metadata.generation ?? 1,
  };
}

export function disruptionController(client: KubeClient, options: { resyncMs?: number } = {}): Controller {
  const c = client.as("kube-controller-manager");
  return {
    name: "disruption-controller",
    watches: [R.pdbs, R.pods],
    resyncMs: options.resyncMs ?? 30_000,
    sync() {
      const pdbs = c.list(R.pdbs);
      if (pdbs.length === 0) return;
      const pods = c.list(R.pods);
      const now = Date.now();
      for (const pdb of pdbs) {
        const status = pdbStatus(pdb, pods, now);
        const old = isObject(pdb.status) ? pdb.status : {};
        const comparable = (s: JsonObject) => ({
          ...s,
          conditions: (s.conditions as Condition[] | undefined)?.map((x) => ({
            ...x,
            lastTransitionTime: undefined,
          })),
        });
        if (!jsonEqual(comparable(old), comparable(status))) c.updateStatus(R.pdbs, { ...pdb, status });
      }
    },
  };
}
