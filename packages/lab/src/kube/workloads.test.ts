// The workload controllers through client-node: DaemonSet pods on the nodes that fit (nodeSelector, taints), rolled
// on a template change; Deployments scaled through their ReplicaSets; cascading deletes; seeded workloads adopted
// without new pods; kubectl rollout status.
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type V1DaemonSet,
  type V1Deployment,
  type V1Pod,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeClient, R } from "./client.js";
import { type RunningControllers, startControllers } from "./controllers/index.js";
import { seedCluster } from "./seed/index.js";
import { kubectl, startCluster, type TestCluster, waitFor } from "./testkit/index.js";

let cluster: TestCluster;
let controllers: RunningControllers;
let c: KubeClient;
let apps: AppsV1Api;
let core: CoreV1Api;
const NS = "work";
let seededPods: string[] = [];
let seededVersions: string[] = [];
const workloadVersions = () =>
  [R.deployments, R.replicasets, R.daemonsets].flatMap((gvr) =>
    c.list(gvr).map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`),
  );

const nodes = [
  { name: "k3s-1", address: "fd00:10::11" },
  { name: "k3s-2", address: "fd00:10::12" },
  { name: "k3s-3", address: "fd00:10::13", role: "agent" as const },
];

const podsOf = async (labelSelector: string) =>
  (await core.listNamespacedPod({ namespace: NS, labelSelector })).items.filter(
    (p) => !p.metadata?.deletionTimestamp,
  );
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const patchDeployment = (name: string, namespace: string, body: object) =>
  apps.patchNamespacedDeployment({ name, namespace, body }, merge);
const scale = (name: string, namespace: string, replicas: number) =>
  patchDeployment(name, namespace, { spec: { replicas } });
const image = (img: string) => ({
  spec: { template: { spec: { containers: [{ name: "c", image: img }] } } },
});
const nodeNames = (pods: V1Pod[]) => pods.map((p) => p.spec?.nodeName).sort();
const template = (app: string, image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: "c", image }], ...extra },
});

beforeAll(async () => {
  cluster = await startCluster(2);
  const kube = cluster.servers[0]?.kube;
  if (!kube) throw new Error("no server");
  c = kube.client;
  seededPods = seedCluster(c, { nodes, podCidr: "fd00:10:42::/56", metallb: false }).pods.map(
    (p) => p.metadata.name ?? "",
  );
  // k3s-1 carries the control-plane taint a server can be given; k3s-3 is an agent (no control-plane label).
  c.patch(R.nodes, undefined, "k3s-1", {
    spec: { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] },
  });
  c.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
  seededVersions = workloadVersions();
  controllers = startControllers(kube, {
    identity: "k3s-1",
    nodeLifecycle: false,
    resyncMs: 500,
    leaderElection: { retryPeriodMs: 200 },
  });
  apps = cluster.kc(1).makeApiClient(AppsV1Api);
  core = cluster.kc(1).makeApiClient(CoreV1Api);
  await waitFor(() => controllers.leading().controllerManager, "the controller-manager lease");
});
afterAll(async () => {
  controllers.stop();
  await cluster.stop();
});

describe("seeded workloads", () => {
  it("are adopted as they are: no new pods, no rewritten Deployments, ReplicaSets or DaemonSets", () => {
    controllers.syncNow();
    controllers.syncNow();
    expect(workloadVersions()).toEqual(seededVersions);
    const system = c.list(R.pods).filter((p) => p.metadata.namespace !== NS);
    expect(system.map((p) => p.metadata.name).sort()).toEqual([...seededPods].sort());
    expect(controllers.health().filter((h) => h.lastError)).toEqual([]);
  });
});

describe("DaemonSet controller", () => {
  const ds = (extra: Record<string, unknown>): V1DaemonSet => ({
    metadata: { name: "agent" },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: template("agent", "agent:1", extra),
    },
  });

  it("runs one pod per node its nodeSelector and tolerations allow, owned by it, with a pod CIDR address", async () => {
    const created = await apps.createNamespacedDaemonSet({
      namespace: NS,
      body: ds({
        nodeSelector: { "node-role.kubernetes.io/control-plane": "true" },
        tolerations: [
          { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
        ],
      }),
    });
    expect(created.metadata?.annotations?.["deprecated.daemonset.template.generation"]).toBe("1");
    const pods = await waitFor(async () => {
      const p = await podsOf("app=agent");
      return p.length === 2 && p;
    }, "two agent pods");
    expect(nodeNames(pods)).toEqual(["k3s-1", "k3s-2"]);
    for (const p of pods) {
      expect(p.metadata?.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata?.ownerReferences).toEqual([
        {
          apiVersion: "apps/v1",
          kind: "DaemonSet",
          name: "agent",
          uid: created.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(p.metadata?.labels).toMatchObject({ app: "agent", "pod-template-generation": "1" });
      expect(p.metadata?.labels?.["controller-revision-hash"]).toMatch(/^[a-z0-9]{6,10}$/);
      expect(p.status?.phase).toBe("Running");
      expect(p.status?.conditions?.find((x) => x.type === "Ready")?.status).toBe("True");
    }
    const on2 = pods.find((p) => p.spec?.nodeName === "k3s-2");
    expect(on2?.status?.hostIP).toBe("fd00:10::12");
    expect(on2?.status?.podIP).toMatch(/^fd00:10:42:1::/);
    const status = await waitFor(async () => {
      const s = (await apps.readNamespacedDaemonSet({ name: "agent", namespace: NS })).status;
      return s?.numberReady === 2 && s;
    }, "the DaemonSet's status");
    expect(status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });
  });

  it("replaces its pods when the template changes, and removes the pod of a node that no longer qualifies", async () => {
    const before = (await podsOf("app=agent")).map((p) => p.metadata?.name);
    await apps.patchNamespacedDaemonSet({ name: "agent", namespace: NS, body: image("agent:2") }, merge);
    const rolled = await waitFor(async () => {
      const p = await podsOf("app=agent");
      return p.length === 2 && p.every((x) => x.metadata?.labels?.["pod-template-generation"] === "2") && p;
    }, "both agent pods at generation 2");
    expect(rolled.map((p) => p.spec?.containers[0]?.image)).toEqual(["agent:2", "agent:2"]);
    expect(rolled.some((p) => before.includes(p.metadata?.name))).toBe(false);
    c.patch(R.nodes, undefined, "k3s-2", {
      metadata: { labels: { "node-role.kubernetes.io/control-plane": null } },
    });
    await waitFor(
      async () => nodeNames(await podsOf("app=agent")).join() === "k3s-1",
      "only k3s-1's pod left",
    );
    c.patch(R.nodes, undefined, "k3s-2", {
      metadata: { labels: { "node-role.kubernetes.io/control-plane": "true" } },
    });
    await waitFor(async () => (await podsOf("app=agent")).length === 2, "k3s-2's pod back");
  });

  it("starts host-network pods with a readiness probe on the node's address, not ready until the kubelet says so", async () => {
    await apps.createNamespacedDaemonSet({
      namespace: NS,
      body: {
        metadata: { name: "probed" },
        spec: {
          selector: { matchLabels: { app: "probed" } },
          template: {
            metadata: { labels: { app: "probed" } },
            spec: {
              hostNetwork: true,
              containers: [
                {
                  name: "health",
                  image: "pause:3",
                  readinessProbe: { httpGet: { path: "/readyz", port: 6443, scheme: "HTTPS" } },
                },
              ],
            },
          },
        },
      },
    });
    const pods = await waitFor(async () => {
      const p = await podsOf("app=probed");
      return p.length === 2 && p;
    }, "two probed pods (the tainted k3s-1 not tolerated)");
    expect(nodeNames(pods)).toEqual(["k3s-2", "k3s-3"]);
    for (const p of pods) {
      expect(p.status?.phase).toBe("Running");
      expect(p.status?.podIP).toBe(p.status?.hostIP);
      expect(p.status?.conditions?.find((x) => x.type === "Ready")).toMatchObject({
        status: "False",
        reason: "ContainersNotReady",
      });
    }
    const s = await waitFor(async () => {
      const st = (await apps.readNamespacedDaemonSet({ name: "probed", namespace: NS })).status;
      return st?.desiredNumberScheduled === 2 && st;
    }, "the probed DaemonSet's status");
    expect(s.numberReady).toBe(0);
    expect(s.numberUnavailable).toBe(2);
  });

  it("takes its pods with it when deleted", async () => {
    await apps.deleteNamespacedDaemonSet({ name: "probed", namespace: NS });
    expect(await podsOf("app=probed")).toEqual([]);
  });
});

describe("Deployment and ReplicaSet controllers", () => {
  const deployment = (replicas: number, image = "web:1"): V1Deployment => ({
    metadata: { name: "web" },
    spec: { replicas, selector: { matchLabels: { app: "web" } }, template: template("web", image) },
  });
  const readyStatus = async (replicas: number) =>
    waitFor(async () => {
      const d = await apps.readNamespacedDeployment({ name: "web", namespace: NS });
      const s = d.status;
      return (s?.readyReplicas ?? 0) === replicas && (s?.replicas ?? 0) === replicas && d;
    }, `web at ${replicas} ready replicas`);

  it("creates a ReplicaSet named by the template hash and scales 1 → 2 → 0 through it", async () => {
    const created = await apps.createNamespacedDeployment({ namespace: NS, body: deployment(1) });
    const d = await readyStatus(1);
    const sets = (await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: "app=web" })).items;
    expect(sets).toHaveLength(1);
    const rs = sets[0];
    const hash = rs?.metadata?.labels?.["pod-template-hash"] ?? "";
    expect(rs?.metadata?.name).toBe(`web-${hash}`);
    expect(rs?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: "Deployment",
      uid: created.metadata?.uid,
      controller: true,
    });
    expect(rs?.metadata?.annotations).toMatchObject({ "deployment.kubernetes.io/revision": "1" });
    expect(d.status?.conditions?.map((x) => `${x.type}=${x.status}:${x.reason}`)).toEqual([
      "Available=True:MinimumReplicasAvailable",
      "Progressing=True:NewReplicaSetAvailable",
    ]);
    const [pod] = await podsOf("app=web");
    expect(pod?.metadata?.name).toMatch(new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
    expect(pod?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "ReplicaSet", uid: rs?.metadata?.uid });
    // The tainted k3s-1 takes no replica.
    expect(pod?.spec?.nodeName).not.toBe("k3s-1");
    await scale("web", NS, 2);
    await readyStatus(2);
    expect(nodeNames(await podsOf("app=web"))).toEqual(["k3s-2", "k3s-3"]);
    await scale("web", NS, 0);
    await waitFor(async () => (await podsOf("app=web")).length === 0, "no web pods");
    const zero = await waitFor(async () => {
      const s = (await apps.readNamespacedDeployment({ name: "web", namespace: NS })).status;
      return s?.observedGeneration === 3 && s.replicas === undefined && s;
    }, "web's status at 0");
    expect(zero.availableReplicas).toBeUndefined();
  });

  it("rolls a template change to a new ReplicaSet and scales the old one to 0", async () => {
    await scale("web", NS, 1);
    await readyStatus(1);
    await patchDeployment("web", NS, image("web:2"));
    const sets = await waitFor(async () => {
      const items = (await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: "app=web" })).items;
      const old = items.find((x) => x.spec?.template?.spec?.containers[0]?.image === "web:1");
      return items.length === 2 && old?.spec?.replicas === 0 && old.status?.replicas === 0 && items;
    }, "a second ReplicaSet and the first at 0");
    const fresh = sets.find((x) => x.spec?.template?.spec?.containers[0]?.image === "web:2");
    expect(fresh?.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    const pods = await waitFor(async () => {
      const p = await podsOf("app=web");
      return p.length === 1 && p;
    }, "one web pod");
    expect(pods[0]?.spec?.containers[0]?.image).toBe("web:2");
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: NS });
    expect(d.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
  });

  it("lets kubectl rollout status wait for a rollout to finish", async () => {
    const kc = cluster.kubeconfig(0);
    const status = await kubectl(kc, ["rollout", "status", "deployment/web", "-n", NS, "--timeout=10s"], {
      timeoutMs: 20_000,
    });
    expect(status.stdout).toContain('deployment "web" successfully rolled out');
    expect(status.code).toBe(0);
    const ds = await kubectl(kc, ["rollout", "status", "daemonset/agent", "-n", NS, "--timeout=10s"], {
      timeoutMs: 20_000,
    });
    expect(ds.stdout).toContain('daemon set "agent" successfully rolled out');
  });

  it("deletes its ReplicaSets and their pods with it (background cascade)", async () => {
    await apps.deleteNamespacedDeployment({ name: "web", namespace: NS });
    expect((await apps.listNamespacedReplicaSet({ namespace: NS, labelSelector: "app=web" })).items).toEqual(
      [],
    );
    expect(await podsOf("app=web")).toEqual([]);
    expect(controllers.health().filter((h) => h.lastError)).toEqual([]);
  });
});
