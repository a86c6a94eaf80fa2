// The MetalLB controller stand-in acts only while MetalLB's controller pod (app=metallb, component=controller) runs
// and is ready, as the real controller only works while its Deployment's pod does; the Deployment goes through the
// workload controllers as `kubectl apply -f metallb-native.yaml` would have it.
import { AppsV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installCrds, metallbCrds } from "../kube-state.js";
import { type KubeClient, R } from "./client.js";
import { type RunningControllers, startControllers } from "./controllers/index.js";
import { isPodReady, type KubeObject } from "./meta.js";
import { seedCluster } from "./seed/index.js";
import { startCluster, type TestCluster, waitFor } from "./testkit/index.js";

let cluster: TestCluster;
let controllers: RunningControllers;
let c: KubeClient;
let apps: AppsV1Api;
const NS = "work";
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const scale = (name: string, namespace: string, replicas: number) =>
  apps.patchNamespacedDeployment({ name, namespace, body: { spec: { replicas } } }, merge);

beforeAll(async () => {
  cluster = await startCluster(1);
  const kube = cluster.servers[0]?.kube;
  if (!kube) throw new Error("no server");
  c = kube.client;
  installCrds(c, metallbCrds());
  seedCluster(c, {
    nodes: [
      { name: "k3s-1", address: "fd00:10::11" },
      { name: "k3s-2", address: "fd00:10::12" },
    ],
    podCidr: "fd00:10:42::/56",
    metallb: false,
    calico: false,
  });
  c.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  controllers = startControllers(kube, {
    identity: "k3s-1",
    nodeLifecycle: false,
    resyncMs: 500,
    leaderElection: { retryPeriodMs: 200 },
  });
  apps = cluster.kc(0).makeApiClient(AppsV1Api);
  await waitFor(() => controllers.leading().metallb, "the MetalLB controller lease");
});
afterAll(async () => {
  controllers.stop();
  await cluster.stop();
});

describe("MetalLB controller stand-in", () => {
  const ipOf = (name: string) => {
    const s = c.get(R.services, NS, name) as KubeObject & {
      status?: { loadBalancer?: { ingress?: Array<{ ip: string }> } };
    };
    return s?.status?.loadBalancer?.ingress?.[0]?.ip;
  };
  const lb = (name: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: NS },
    spec: { type: "LoadBalancer", selector: { app: name }, ports: [{ port: 443 }] },
  });
  const controllerPods = () =>
    c.list(R.pods, { namespace: "metallb-system", labelSelector: "app=metallb,component=controller" });

  it("allocates only while a MetalLB controller pod runs and is ready", async () => {
    c.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: "metallb-system" } });
    c.create(R.ipAddressPools, {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: "pool", namespace: "metallb-system" },
      spec: { addresses: ["fd00:ff01::10-fd00:ff01::1f"] },
    });
    c.create(R.services, lb("early"));
    controllers.syncNow();
    expect(ipOf("early")).toBeUndefined();
    await apps.createNamespacedDeployment({
      namespace: "metallb-system",
      body: {
        metadata: { name: "controller", labels: { app: "metallb", component: "controller" } },
        spec: {
          selector: { matchLabels: { app: "metallb", component: "controller" } },
          template: {
            metadata: { labels: { app: "metallb", component: "controller" } },
            spec: {
              containers: [
                {
                  name: "controller",
                  image: "quay.io/metallb/controller:v0.15.3",
                  ports: [{ name: "monitoring", containerPort: 7472 }],
                  readinessProbe: { httpGet: { path: "/metrics", port: "monitoring" } },
                },
              ],
            },
          },
        },
      },
    });
    await waitFor(() => controllerPods().some(isPodReady), "a ready MetalLB controller pod");
    await waitFor(() => ipOf("early"), "an IP for the early Service");
    // A controller pod that runs but is not ready (its readiness probe failing) allocates nothing either.
    const [pod] = controllerPods();
    if (!pod) throw new Error("no controller pod");
    const status = pod.status as { conditions: Array<{ type: string; status: string }> };
    c.updateStatus(R.pods, {
      ...pod,
      status: {
        ...status,
        conditions: status.conditions.map((x) => (x.type === "Ready" ? { ...x, status: "False" } : x)),
      },
    });
    c.create(R.services, lb("unready"));
    controllers.syncNow();
    expect(ipOf("unready")).toBeUndefined();
    await scale("controller", "metallb-system", 0);
    await waitFor(() => controllerPods().length === 0, "no MetalLB controller pod");
    c.create(R.services, lb("late"));
    controllers.syncNow();
    expect(ipOf("late")).toBeUndefined();
    expect(ipOf("early")).toBeDefined();
  });
});
