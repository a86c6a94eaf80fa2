// pods/eviction: deletes a pod unless its PodDisruptionBudget forbids it (pkg/registry/core/pod/storage/eviction.go).
import { isObject, isPodReady, type KubeObject, nowIso } from "../meta.js";
import { matchesLabels, selectorFromObject } from "../resources/selectors.js";
import { groupResource } from "../resources/types.js";
import { badRequest, failure, forbidden, notFound, type Status, tooManyRequests } from "../status.js";
import { finalizeDeletion } from "./delete.js";
import { type Api, keyOf, type Scope } from "./objects.js";

interface PdbStatus {
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  conditions?: unknown[];
}

const statusOf = (o: KubeObject): PdbStatus => (isObject(o.status) ? (o.status as PdbStatus) : {});

function canIgnorePdb(pod: KubeObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return (
    phase === "Succeeded" ||
    phase === "Failed" ||
    phase === "Pending" ||
    Boolean(pod.metadata.deletionTimestamp)
  );
}

function matchingPdbs(api: Api, pod: KubeObject): KubeObject[] {
  return api.store.list("policy", "poddisruptionbudgets", pod.metadata.namespace ?? "").filter((pdb) => {
    const spec = isObject(pdb.spec) ? pdb.spec : {};
    try {
      const sel = selectorFromObject(isObject(spec.selector) ? spec.selector : undefined);
      return sel.length > 0 && matchesLabels(sel, pod.metadata.labels);
    } catch {
      return false;
    }
  });
}

const stillProcessing = (name: string) =>
  tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 10, [
    {
      reason: "DisruptionBudget",
      message: `The disruption budget ${name} is still being processed by the server.`,
    },
  ]);

/** verify-and-decrement (checkAndDecrement), writing the PDB status as the eviction handler does. */
function checkAndDecrement(api: Api, pdb: KubeObject, podName: string, dryRun: boolean): void {
  const name = pdb.metadata.name ?? "";
  const status = statusOf(pdb);
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0) {
    throw forbidden(
      { group: "policy", resource: "poddisruptionbudget" },
      name,
      "pdb disruptions allowed is negative",
    );
  }
  if (allowed === 0) {
    throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 0, [
      {
        reason: "DisruptionBudget",
        message: `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
      },
    ]);
  }
  if (dryRun) return;
  const next: KubeObject = {
    ...pdb,
    status: {
      ...status,
      disruptionsAllowed: allowed - 1,
      disruptedPods: { ...(status.disruptedPods ?? {}), [podName]: nowIso(api.now()) },
    },
  };
  api.store.put(
    { group: "policy", resource: "poddisruptionbudgets", namespace: pdb.metadata.namespace ?? "", name },
    next,
    pdb,
  );
}

/** POST pods/{name}/eviction: 201 Success, 429 when a budget forbids it. */
export function evictPod(api: Api, scope: Scope, body: unknown, dryRun: boolean): Status {
  const name = scope.name ?? "";
  const eviction = isObject(body) ? body : {};
  const meta = isObject(eviction.metadata) ? eviction.metadata : {};
  if (meta.name !== name) throw badRequest("name in URL does not match name in Eviction object");
  const opts = isObject(eviction.deleteOptions) ? eviction.deleteOptions : {};
  const dry = dryRun || (Array.isArray(opts.dryRun) && opts.dryRun.includes("All"));
  return api.store.write(() => {
    const key = keyOf(scope.type, scope.namespace, name);
    const pod = api.store.get(key);
    if (!pod) throw notFound(groupResource(scope.type), name);
    if (!canIgnorePdb(pod)) {
      const pdbs = matchingPdbs(api, pod);
      if (pdbs.length > 1) {
        throw failure(
          500,
          "",
          "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
        );
      }
      const pdb = pdbs[0];
      if (pdb) {
        const st = statusOf(pdb);
        const unreadyButSafe =
          !isPodReady(pod) &&
          (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) &&
          (st.desiredHealthy ?? 0) > 0;
        if (!unreadyButSafe) checkAndDecrement(api, pdb, name, dry);
      }
    }
    if (!dry) finalizeDeletion(api, scope.type, key, pod);
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 };
  });
}
