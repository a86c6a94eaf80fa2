// Controllers inside API server processes over one store: default/kubernetes following the live apiservers, one
// leader among N, and node heartbeats with the node-NotReady-then-pods-unready order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeClient, R } from "./client.js";
import { startNodeHeartbeat } from "./controllers/heartbeat.js";
import { type RunningControllers, startControllers } from "./controllers/index.js";
import { nodeLifecycleController } from "./controllers/node-lifecycle.js";
import { type Condition, isObject, type KubeObject } from "./meta.js";
import { seedCluster } from "./seed/index.js";
import { startCluster, type TestCluster, waitFor } from "./testkit/index.js";

let cluster: TestCluster;
const running: Array<RunningControllers | undefined> = [];
const addresses = ["fd00:10::11", "fd00:10::12", "fd00:10::13"];
const client = (i = 0): KubeClient => {
  const kube = cluster.servers[i]?.kube;
  if (!kube) throw new Error(`no server ${i}`);
  return kube.client;
};
const condition = (o: KubeObject | undefined, type: string) =>
  (
    (isObject(o?.status) && Array.isArray(o.status.conditions) ? o.status.conditions : []) as Condition[]
  ).find((c) => c.type === type);

beforeAll(async () => {
  cluster = await startCluster(3);
  seedCluster(client(0), {
    nodes: addresses.map((address, i) => ({ name: `k3s-${i + 1}`, address })),
    podCidr: "fd00:10:42::/56",
    metallb: false,
  });
  cluster.servers.forEach((s, i) => {
    running[i] = startControllers(s.kube, {
      identity: `k3s-${i + 1}`,
      apiserver: { address: addresses[i] ?? "", ttlMs: 1_500, intervalMs: 250 },
      nodeLifecycle: { gracePeriodMs: 1_500, monitorPeriodMs: 200 },
      metallb: false,
      resyncMs: 300,
      leaderElection: { leaseDurationMs: 2_000, retryPeriodMs: 250 },
    });
  });
});
afterAll(async () => {
  for (const r of running) r?.stop();
  await cluster.stop();
});

const endpointIps = (c: KubeClient) => {
  const ep = c.get(R.endpoints, "default", "kubernetes");
  const subsets = (ep?.subsets ?? []) as Array<{ addresses?: Array<{ ip: string }> }>;
  return subsets.flatMap((s) => s.addresses?.map((a) => a.ip) ?? []).sort();
};

describe("default/kubernetes", () => {
  it("lists every live apiserver in Endpoints and the EndpointSlice, and drops a stopped one after the TTL", async () => {
    await waitFor(() => endpointIps(client(0)).length === 3, "three apiservers in default/kubernetes");
    const svc = client(0).get(R.services, "default", "kubernetes");
    expect(svc?.spec).toMatchObject({
      clusterIP: "fd00:10:96::1",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
    });
    expect(client(0).get(R.endpoints, "default", "kubernetes")?.metadata.labels).toEqual({
      "endpointslice.kubernetes.io/skip-mirror": "true",
    });
    const slice = client(1).get(R.endpointslices, "default", "kubernetes");
    expect(slice).toMatchObject({
      addressType: "IPv6",
      ports: [{ name: "https", port: 6443, protocol: "TCP" }],
    });
    expect(((slice?.endpoints ?? []) as Array<{ addresses: string[] }>).map((e) => e.addresses[0])).toEqual(
      addresses,
    );
    running[2]?.stop();
    await cluster.servers[2]?.stop();
    expect(endpointIps(client(0))).toEqual(addresses);
    await waitFor(
      () => endpointIps(client(0)).length === 2,
      "the stopped apiserver to leave default/kubernetes",
      { timeoutMs: 8_000 },
    );
    expect(endpointIps(client(1))).toEqual(addresses.slice(0, 2));
  });
});

describe("leader election", () => {
  it("has exactly one kube-controller-manager leader, and another process takes over when it stops", async () => {
    const leaders = () => running.filter((r, i) => r && i < 2 && r.leading().controllerManager);
    await waitFor(() => leaders().length === 1, "one leader");
    const leader = running.findIndex((r) => r?.leading().controllerManager);
    running[leader]?.stop();
    const other = leader === 0 ? 1 : 0;
    await waitFor(() => running[other]?.leading().controllerManager, "the other process to take the lease", {
      timeoutMs: 8_000,
    });
    const lease = client(other).get(R.leases, "kube-system", "kube-controller-manager");
    expect(((lease?.spec ?? {}) as { holderIdentity?: string }).holderIdentity).toBe(`k3s-${other + 1}`);
    const kube = cluster.servers[leader]?.kube;
    if (!kube) throw new Error("no server");
    running[leader] = startControllers(kube, {
      identity: `k3s-${leader + 1}`,
      apiserver: { address: addresses[leader] ?? "", ttlMs: 1_500, intervalMs: 250 },
      nodeLifecycle: { gracePeriodMs: 1_500, monitorPeriodMs: 200 },
      metallb: false,
      resyncMs: 300,
      leaderElection: { leaseDurationMs: 2_000, retryPeriodMs: 250 },
    });
  }, 20_000);
});

describe("kube-controller-manager leaving", () => {
  it("keeps its lease on a graceful stop: another process leads only once the lease has expired", async () => {
    const isLeader = (i: number) => running[i]?.leading().controllerManager === true;
    await waitFor(() => [0, 1].some(isLeader), "a leader");
    const leader = isLeader(0) ? 0 : 1;
    const other = leader === 0 ? 1 : 0;
    const holder = () =>
      (client(other).get(R.leases, "kube-system", "kube-controller-manager")?.spec ?? {}) as {
        holderIdentity?: string;
        renewTime?: string;
      };
    const stoppedAt = Date.now();
    running[leader]?.stop({ graceful: true });
    // Not released: the lease still names the stopped leader right after the stop.
    expect(holder().holderIdentity).toBe(`k3s-${leader + 1}`);
    await waitFor(() => isLeader(other), "the other process to take the lease", { timeoutMs: 8_000 });
    const renewed = Date.parse(holder().renewTime ?? "");
    // leaseDuration 2 s (retry 250 ms): the takeover waited for expiry, with margin for a busy machine.
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1_500);
    expect(renewed).toBeGreaterThan(stoppedAt);
    const kube = cluster.servers[leader]?.kube;
    if (!kube) throw new Error("no server");
    running[leader] = startControllers(kube, {
      identity: `k3s-${leader + 1}`,
      apiserver: { address: addresses[leader] ?? "", ttlMs: 1_500, intervalMs: 250 },
      nodeLifecycle: { gracePeriodMs: 1_500, monitorPeriodMs: 200 },
      metallb: false,
      resyncMs: 300,
      leaderElection: { leaseDurationMs: 2_000, retryPeriodMs: 250 },
    });
  }, 20_000);

  it("a new leader's grace period runs from when it first sees a node, not from the node's last heartbeat", () => {
    const c = client(0);
    c.create(R.nodes, {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "long-silent" },
      status: {
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            lastHeartbeatTime: new Date(Date.now() - 600_000).toISOString().replace(/\.\d+Z$/, "Z"),
            lastTransitionTime: new Date(Date.now() - 900_000).toISOString().replace(/\.\d+Z$/, "Z"),
          },
        ],
      },
    });
    let clock = Date.now();
    const controller = nodeLifecycleController(c, { gracePeriodMs: 50_000, now: () => clock });
    controller.reset?.();
    controller.sync(); // "Missing timestamp for Node long-silent. Assuming now as a timestamp."
    expect(condition(c.get(R.nodes, undefined, "long-silent"), "Ready")?.status).toBe("True");
    clock += 49_000;
    controller.sync();
    expect(condition(c.get(R.nodes, undefined, "long-silent"), "Ready")?.status).toBe("True");
    clock += 2_000;
    controller.sync();
    expect(condition(c.get(R.nodes, undefined, "long-silent"), "Ready")?.status).toBe("Unknown");
    c.delete(R.nodes, undefined, "long-silent");
  });
});

describe("node lifecycle", () => {
  it("turns a silent node Ready=Unknown after the grace period, and only then its pods not ready; recovers with the heartbeat", async () => {
    const beats = ["k3s-1", "k3s-2"].map((n, i) =>
      startNodeHeartbeat(client(i), n, { intervalMs: 200, statusReportMs: 60_000 }),
    );
    const order: string[] = [];
    const stopWatch = [
      client(1).watch(R.nodes, { fieldSelector: "metadata.name=k3s-2" }, (_t, o) => {
        if (condition(o, "Ready")?.status === "Unknown" && !order.includes("node-unknown"))
          order.push("node-unknown");
      }),
      client(1).watch(R.pods, { fieldSelector: "spec.nodeName=k3s-2" }, (_t, o) => {
        if (condition(o, "Ready")?.status === "False" && !order.includes("pod-unready"))
          order.push("pod-unready");
      }),
    ];
    // k3s-3 never beat: it goes Unknown first, its pods after it.
    await waitFor(
      () => condition(client(0).get(R.nodes, undefined, "k3s-3"), "Ready")?.status === "Unknown",
      "silent k3s-3 to go Unknown",
      { timeoutMs: 8_000 },
    );
    expect(condition(client(0).get(R.nodes, undefined, "k3s-2"), "Ready")?.status).toBe("True");
    beats[1]?.stop();
    const podsOn2 = client(0).list(R.pods, { fieldSelector: "spec.nodeName=k3s-2" });
    expect(podsOn2.every((p) => condition(p, "Ready")?.status === "True")).toBe(true);
    await waitFor(() => order.length === 2, "node Unknown and pods not ready", { timeoutMs: 8_000 });
    expect(order).toEqual(["node-unknown", "pod-unready"]);
    const node = client(0).get(R.nodes, undefined, "k3s-2");
    expect(condition(node, "Ready")).toMatchObject({
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
    });
    expect(
      ((node?.spec ?? {}) as { taints?: Array<{ key: string; effect: string }> }).taints?.map(
        (t) => `${t.key}:${t.effect}`,
      ),
    ).toEqual(["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    await waitFor(
      () =>
        client(0)
          .list(R.pods, { fieldSelector: "spec.nodeName=k3s-2" })
          .every((p) => condition(p, "Ready")?.status === "False"),
      "all pods on k3s-2 not ready",
    );
    const restarted = startNodeHeartbeat(client(1), "k3s-2", { intervalMs: 200 });
    await waitFor(
      () => {
        const n = client(0).get(R.nodes, undefined, "k3s-2");
        return (
          condition(n, "Ready")?.status === "True" && !((n?.spec ?? {}) as { taints?: unknown[] }).taints
        );
      },
      "k3s-2 Ready again without taints",
      { timeoutMs: 8_000 },
    );
    expect(
      client(0)
        .list(R.pods, { fieldSelector: "spec.nodeName=k3s-2" })
        .every((p) => condition(p, "Ready")?.status === "True"),
    ).toBe(true);
    for (const s of stopWatch) s();
    for (const b of [...beats, restarted]) b?.stop();
  }, 30_000);
});
