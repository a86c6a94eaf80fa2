// pods/eviction with PolicyV1Api budgets: 429 TooManyRequests with the DisruptionBudget cause while the budget forbids
// it, 201 Success once it allows one, and the evicted pod leaving the Service's EndpointSlice (DiscoveryV1Api).
import {
  CoreV1Api,
  DiscoveryV1Api,
  PatchStrategy,
  PolicyV1Api,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { R } from "./client.js";
import { type RunningControllers, startControllers } from "./controllers/index.js";
import { runningPodStatus } from "./seed/index.js";
import { rawRequest, startCluster, type TestCluster, waitFor } from "./testkit/index.js";

let cluster: TestCluster;
let controllers: RunningControllers | undefined;
const NS = "evict";

beforeAll(async () => {
  cluster = await startCluster(2);
  const kube = cluster.servers[0]?.kube;
  if (!kube) throw new Error("no server");
  const c = kube.client;
  c.create(R.namespaces, { metadata: { name: NS } });
  for (const [i, node] of ["k3s-1", "k3s-2"].entries()) {
    const pod = c.create(R.pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `g-${i}`, namespace: NS, labels: { app: "guarded" } },
      spec: { nodeName: node, containers: [{ name: "c", image: "g:1", ports: [{ containerPort: 8080 }] }] },
    });
    c.updateStatus(R.pods, {
      ...pod,
      status: runningPodStatus(pod, `fd00:10::1${i}`, `fd00:10:42::1${i}`, new Date().toISOString()),
    });
  }
  c.create(R.services, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "guarded", namespace: NS },
    spec: { selector: { app: "guarded" }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  controllers = startControllers(kube, {
    identity: "k3s-1",
    nodeLifecycle: false,
    metallb: false,
    resyncMs: 300,
    leaderElection: { retryPeriodMs: 200 },
  });
});
afterAll(async () => {
  controllers?.stop();
  await cluster.stop();
});

describe("eviction", () => {
  it("answers 429 while the budget forbids it, 201 once it allows one, and the endpoints follow", async () => {
    const policy = cluster.kc(1).makeApiClient(PolicyV1Api);
    const discovery = cluster.kc(1).makeApiClient(DiscoveryV1Api);
    const core = cluster.kc(1).makeApiClient(CoreV1Api);
    const endpointCount = async () =>
      (
        await discovery.listNamespacedEndpointSlice({
          namespace: NS,
          labelSelector: "kubernetes.io/service-name=guarded",
        })
      ).items.flatMap((s) => s.endpoints).length;
    await waitFor(async () => (await endpointCount()) === 2, "two endpoints");
    await policy.createNamespacedPodDisruptionBudget({
      namespace: NS,
      body: {
        metadata: { name: "guard" },
        spec: { minAvailable: 2, selector: { matchLabels: { app: "guarded" } } },
      },
    });
    const observed = (generation: number) => async () =>
      (await policy.readNamespacedPodDisruptionBudget({ name: "guard", namespace: NS })).status
        ?.observedGeneration === generation;
    await waitFor(observed(1), "the budget's status");
    const evict = (name: string) =>
      rawRequest(cluster.servers[1]?.url ?? "", cluster.certs, {
        method: "POST",
        path: `/api/v1/namespaces/${NS}/pods/${name}/eviction`,
        body: JSON.stringify({
          apiVersion: "policy/v1",
          kind: "Eviction",
          metadata: { name, namespace: NS },
        }),
        headers: { "content-type": "application/json" },
      });
    const refused = await evict("g-0");
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: "TooManyRequests",
      details: {
        causes: [
          {
            reason: "DisruptionBudget",
            message: "The disruption budget guard needs 2 healthy pods and has 2 currently",
          },
        ],
      },
      code: 429,
    });
    await policy.patchNamespacedPodDisruptionBudget(
      { name: "guard", namespace: NS, body: { spec: { minAvailable: 1 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await waitFor(observed(2), "the budget's new status");
    const allowed = await core.createNamespacedPodEviction({
      name: "g-0",
      namespace: NS,
      body: { metadata: { name: "g-0", namespace: NS } },
    });
    expect(allowed).toMatchObject({ kind: "Status", apiVersion: "v1" });
    expect((await core.listNamespacedPod({ namespace: NS })).items.map((p) => p.metadata?.name)).toEqual([
      "g-1",
    ]);
    await waitFor(async () => (await endpointCount()) === 1, "the evicted pod to leave the EndpointSlice");
    await waitFor(
      async () =>
        (await policy.readNamespacedPodDisruptionBudget({ name: "guard", namespace: NS })).status
          ?.disruptionsAllowed === 0,
      "no disruption left",
    );
    expect((await evict("g-1")).status).toBe(429);
    const missing = await evict("nope");
    expect(missing.json()).toMatchObject({ code: 404, message: 'pods "nope" not found' });
  });
});
