// Draining a node as `kubectl drain --ignore-daemonsets` does: every pod on it but DaemonSet and mirror pods is
// evicted through the Eviction API, so PodDisruptionBudgets are respected. A budget that forbids an eviction is
// reported by name and retried until it allows it or the drain's time is up; then the drain fails (the run's restore
// uncordons the node). Returns once the evicted pods are gone.
import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { type KubeAccess, KubeError } from "../../plugins/kube.js";

const podList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({
        name: z.string(),
        namespace: z.string(),
        annotations: z.record(z.string(), z.string()).optional(),
        ownerReferences: z.array(z.object({ kind: z.string() })).optional(),
      }),
      spec: z.object({ nodeName: z.string().optional() }).optional(),
      status: z.object({ phase: z.string().optional() }).optional(),
    }),
  ),
});

export interface DrainOptions {
  signal: AbortSignal;
  /** Gives up (and fails) after this long. */
  timeoutMs: number;
  /** A blocked eviction is tried again this often. */
  retryMs?: number;
  report: (summary: string) => void;
}

const path = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

export async function drainNode(kube: KubeAccess, node: string, o: DrainOptions): Promise<string[]> {
  const deadline = Date.now() + o.timeoutMs;
  const listed = podList.parse(
    await kube.getJson(`/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`, {
      verb: "list",
      resource: `pods on ${node}`,
    }),
  );
  const pods = listed.items.filter(
    (p) =>
      // The field selector asked for this node's pods; checked again, so nothing else is ever evicted.
      p.spec?.nodeName === node &&
      !p.metadata.ownerReferences?.some((o) => o.kind === "DaemonSet") &&
      !p.metadata.annotations?.["kubernetes.io/config.mirror"] &&
      p.status?.phase !== "Succeeded" &&
      p.status?.phase !== "Failed",
  );
  const evicted: string[] = [];
  for (const p of pods) {
    const { name, namespace } = p.metadata;
    let reported = false;
    for (;;) {
      try {
        await kube.postJson(
          `${path(namespace, name)}/eviction`,
          { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } },
          { verb: "evict", resource: `pod ${namespace}/${name}` },
        );
        break;
      } catch (err) {
        if (err instanceof KubeError && err.status === 404) break;
        if (!(err instanceof KubeError && err.status === 429)) throw err;
        if (!reported) {
          o.report(
            `Eviction of ${namespace}/${name} is blocked: ${err.message.replace(/^cannot [^:]+: /, "")}; retrying`,
          );
          reported = true;
        }
        if (Date.now() + (o.retryMs ?? 5_000) > deadline)
          throw new KubeError("K8S_TOO_MANY_REQUESTS", `the drain of ${node} gave up: ${err.message}`, 429);
        await delay(o.retryMs ?? 5_000, undefined, { signal: o.signal });
      }
    }
    evicted.push(`${namespace}/${name}`);
  }
  // As kubectl drain: wait for the evicted pods to be gone.
  for (const pod of evicted) {
    const [ns = "", name = ""] = pod.split("/");
    for (;;) {
      const gone = await kube
        .getJson(path(ns, name), { verb: "get", resource: `pod ${pod}` })
        .then(() => false)
        .catch((err: unknown) => err instanceof KubeError && err.status === 404);
      if (gone) break;
      if (Date.now() > deadline)
        throw new KubeError("K8S_TIMEOUT", `pod ${pod} was evicted but is still there`);
      await delay(500, undefined, { signal: o.signal });
    }
  }
  return evicted;
}
