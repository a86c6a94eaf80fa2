// Endpoint controllers in an API server process: Endpoints/EndpointSlices from a DaemonSet's ready pods (the API
// Service pattern), EndpointSlice mirroring of selector-less Services, and PodDisruptionBudget status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeClient, R } from "./client.js";
import { type RunningControllers, startControllers } from "./controllers/index.js";
import type { Condition } from "./meta.js";
import { createWorkload, seedCluster } from "./seed/index.js";
import { startCluster, type TestCluster, waitFor } from "./testkit/index.js";

let cluster: TestCluster;
let running: RunningControllers | undefined;
const addresses = ["fd00:10::11", "fd00:10::12", "fd00:10::13"];
const client = (i = 0): KubeClient => {
  const kube = cluster.servers[i]?.kube;
  if (!kube) throw new Error(`no server ${i}`);
  return kube.client;
};

beforeAll(async () => {
  cluster = await startCluster(2);
  seedCluster(client(0), {
    nodes: addresses.map((address, i) => ({ name: `k3s-${i + 1}`, address })),
    podCidr: "fd00:10:42::/56",
    metallb: false,
  });
  const kube = cluster.servers[0]?.kube;
  if (!kube) throw new Error("no server");
  running = startControllers(kube, {
    identity: "k3s-1",
    nodeLifecycle: false,
    metallb: false,
    resyncMs: 300,
    leaderElection: { retryPeriodMs: 200 },
  });
});
afterAll(async () => {
  running?.stop();
  await cluster.stop();
});

describe("endpoints", () => {
  it("builds Endpoints and EndpointSlices with nodeName from a DaemonSet's ready pods, and follows readiness", async () => {
    const c = client(0);
    createWorkload(
      c,
      {
        kind: "DaemonSet",
        namespace: "kube-system",
        name: "api-health",
        labels: { app: "api-health" },
        containers: [{ name: "probe", image: "pause:3", ports: [{ name: "https", containerPort: 6443 }] }],
        nodes: ["k3s-1", "k3s-2"],
        hostNetwork: true,
      },
      (node) => ({
        node,
        hostIP: addresses[Number(node.slice(-1)) - 1] ?? "",
        podIP: addresses[Number(node.slice(-1)) - 1] ?? "",
      }),
    );
    c.create(R.services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api", namespace: "kube-system" },
      spec: {
        type: "LoadBalancer",
        externalTrafficPolicy: "Local",
        selector: { app: "api-health" },
        ports: [{ name: "https", port: 443, targetPort: "https" }],
      },
    });
    const sliceOf = () =>
      c.list(R.endpointslices, {
        namespace: "kube-system",
        labelSelector: "kubernetes.io/service-name=api",
      })[0];
    await waitFor(() => (sliceOf()?.endpoints as unknown[] | undefined)?.length === 2, "two endpoints");
    const slice = sliceOf();
    expect(slice?.metadata.labels?.["endpointslice.kubernetes.io/managed-by"]).toBe(
      "endpointslice-controller.k8s.io",
    );
    expect(slice?.ports).toEqual([{ name: "https", port: 6443, protocol: "TCP" }]);
    expect(
      ((slice?.endpoints ?? []) as Array<{ nodeName: string; conditions: { ready: boolean } }>).map(
        (e) => `${e.nodeName}:${e.conditions.ready}`,
      ),
    ).toEqual(["k3s-1:true", "k3s-2:true"]);
    const pod = c.list(R.pods, {
      namespace: "kube-system",
      fieldSelector: "spec.nodeName=k3s-2",
      labelSelector: "app=api-health",
    })[0];
    if (!pod) throw new Error("no pod");
    const status = pod.status as { conditions: Condition[] };
    c.updateStatus(R.pods, {
      ...pod,
      status: {
        ...status,
        conditions: status.conditions.map((x) => (x.type === "Ready" ? { ...x, status: "False" } : x)),
      },
    });
    await waitFor(() => {
      const ep = c.get(R.endpoints, "kube-system", "api");
      return (
        (ep?.subsets as Array<{ notReadyAddresses?: Array<{ nodeName: string }> }> | undefined)?.[0]
          ?.notReadyAddresses?.[0]?.nodeName === "k3s-2"
      );
    }, "k3s-2 in notReadyAddresses");
    expect(
      ((sliceOf()?.endpoints ?? []) as Array<{ conditions: { ready: boolean } }>).map(
        (e) => e.conditions.ready,
      ),
    ).toEqual([true, false]);

    // A terminating pod (deletion pending on a finalizer) stays in the slice: not ready, serving as its Ready
    // condition says, terminating; Endpoints drops it (upstream's ShouldPodBeInEndpoints).
    const first = c.list(R.pods, {
      namespace: "kube-system",
      fieldSelector: "spec.nodeName=k3s-1",
      labelSelector: "app=api-health",
    })[0];
    if (!first) throw new Error("no pod on k3s-1");
    c.update(R.pods, { ...first, metadata: { ...first.metadata, finalizers: ["lab.test/hold"] } });
    c.delete(R.pods, "kube-system", first.metadata.name ?? "");
    type SliceEndpoint = {
      nodeName: string;
      conditions: { ready: boolean; serving: boolean; terminating: boolean };
    };
    const conditionsOf = (node: string) =>
      ((sliceOf()?.endpoints ?? []) as SliceEndpoint[]).find((e) => e.nodeName === node)?.conditions;
    await waitFor(() => conditionsOf("k3s-1")?.terminating === true, "k3s-1 terminating in the slice");
    expect(conditionsOf("k3s-1")).toEqual({ ready: false, serving: true, terminating: true });
    expect(conditionsOf("k3s-2")).toEqual({ ready: false, serving: false, terminating: false });
    const ep = c.get(R.endpoints, "kube-system", "api");
    type Subset = { addresses?: { nodeName: string }[]; notReadyAddresses?: { nodeName: string }[] };
    const subset = ((ep?.subsets ?? []) as Subset[])[0];
    expect(
      [...(subset?.addresses ?? []), ...(subset?.notReadyAddresses ?? [])].map((a) => a.nodeName),
    ).toEqual(["k3s-2"]);
    const held = c.get(R.pods, "kube-system", first.metadata.name ?? "");
    if (held) c.update(R.pods, { ...held, metadata: { ...held.metadata, finalizers: [] } });
  });

  it("mirrors selector-less Services' Endpoints into EndpointSlices with nodeName, unless skip-mirror", async () => {
    const c = client(1);
    c.create(R.services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "manual", namespace: "default" },
      spec: { ports: [{ name: "https", port: 443, targetPort: 6443 }] },
    });
    c.create(R.endpoints, {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "manual", namespace: "default", labels: { team: "net" } },
      subsets: [
        {
          addresses: [{ ip: "fd00:10::11", nodeName: "k3s-1" }],
          notReadyAddresses: [{ ip: "fd00:10::12", nodeName: "k3s-2" }],
          ports: [{ name: "https", port: 6443, protocol: "TCP" }],
        },
      ],
    });
    const mirrored = () =>
      c.list(R.endpointslices, { namespace: "default", labelSelector: "kubernetes.io/service-name=manual" });
    await waitFor(() => mirrored().length === 1, "a mirrored slice");
    const slice = mirrored()[0];
    expect(slice?.metadata.labels).toEqual({
      team: "net",
      "kubernetes.io/service-name": "manual",
      "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io",
    });
    expect(slice?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "Endpoints",
      name: "manual",
      controller: true,
    });
    expect(slice?.endpoints).toEqual([
      { addresses: ["fd00:10::11"], conditions: { ready: true }, nodeName: "k3s-1" },
      { addresses: ["fd00:10::12"], conditions: { ready: false }, nodeName: "k3s-2" },
    ]);
    c.delete(R.endpoints, "default", "manual");
    await waitFor(() => mirrored().length === 0, "the mirrored slice to go with its Endpoints");
    // default/kubernetes carries skip-mirror: the mirroring controller leaves it to the apiservers.
    const mirroredKubernetes = c.list(R.endpointslices, {
      namespace: "default",
      labelSelector:
        "kubernetes.io/service-name=kubernetes,endpointslice.kubernetes.io/managed-by=endpointslicemirroring-controller.k8s.io",
    });
    expect(mirroredKubernetes).toEqual([]);
  });

  it("keeps PodDisruptionBudget status up to date", async () => {
    const c = client(0);
    c.create(R.pdbs, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "dns", namespace: "kube-system" },
      spec: { maxUnavailable: 0, selector: { matchLabels: { "k8s-app": "kube-dns" } } },
    });
    await waitFor(
      () =>
        (c.get(R.pdbs, "kube-system", "dns")?.status as { observedGeneration?: number } | undefined)
          ?.observedGeneration === 1,
      "PDB status",
    );
    expect(c.get(R.pdbs, "kube-system", "dns")?.status).toMatchObject({
      expectedPods: 1,
      desiredHealthy: 1,
      disruptionsAllowed: 0,
    });
  });
});
