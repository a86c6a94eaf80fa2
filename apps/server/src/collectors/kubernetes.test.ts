// The cluster source against the lab's Kubernetes API (HTTPS on [::1], client certificates and tokens): the first
// snapshot, a cordon seen through the watch, MetalLB's CRDs absent and then installed, RBAC denials and a dead API
// server as source states with the verb and resource named.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ApiserverEndpoints,
  installLabCrds,
  metallbCrds,
  R,
  seedCluster,
  startCluster,
  type TestCluster,
} from "@k3s-ha/lab";
import { type ClusterSnapshot, type Plan, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Hub } from "../plugins/hub.js";
import { kubeAccess } from "../plugins/kube.js";
import { REPO } from "../test/harness.js";
import { backoffMs, ClusterWatcher, resourceFailure } from "./kubernetes.js";
import { planNames } from "./router.js";

let cluster: TestCluster;
let basePlan: Plan;
const NODES = [
  { name: "node01", address: "2001:db8:1::11" },
  { name: "node02", address: "2001:db8:1::12" },
  { name: "node03", address: "2001:db8:1::13" },
];

beforeAll(async () => {
  cluster = await startCluster(1, {
    auth: {
      tokens: {
        "view-token": { user: "viewer", groups: ["view"] },
        "nobody-token": { user: "nobody" },
      },
    },
  });
  const client = cluster.servers[0]?.kube.client;
  if (!client) throw new Error("no lab API server");
  installLabCrds(client, { calico: "v3.31.7", metallb: false });
  seedCluster(client, { nodes: NODES, calicoVersion: "v3.31.7", metallb: false });
  for (const n of NODES)
    new ApiserverEndpoints(client, { identity: n.name, address: n.address, ttlMs: 3_600_000 }).tick();
  client.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: "metallb-system" } });
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  basePlan = {
    ...r.plan,
    nodes: r.plan.nodes.map((n, i) => ({ ...n, address: NODES[i]?.address ?? n.address })),
  };
});
afterAll(() => cluster?.stop());

function planWith(kubeconfig: string): Plan {
  return { ...basePlan, kubernetes: { kubeconfig } };
}

async function watcherOn(kubeconfig: string, absentRetryMs = 300) {
  const hub = new Hub();
  const plan = planWith(kubeconfig);
  const watcher = new ClusterWatcher(hub, () => kubeAccess(plan), {
    names: () => planNames(plan),
    absentRetryMs,
  });
  await watcher.start();
  return { hub, watcher };
}

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const snapshotOf = (hub: Hub) => hub.source<ClusterSnapshot>("kubernetes");

describe("cluster source", () => {
  it("publishes nodes, the API Service's endpoints named after the plan, Calico, and MetalLB as absent", async () => {
    const { hub, watcher } = await watcherOn(cluster.kubeconfig(0));
    try {
      const s = await until(() => snapshotOf(hub)?.data, "the first snapshot");
      expect(snapshotOf(hub)?.status).toBe("ok");
      expect(s.nodes.map((n) => [n.name, n.ready, n.etcd, n.controlPlane, n.unschedulable])).toEqual([
        ["node01", "ready", true, true, false],
        ["node02", "ready", true, true, false],
        ["node03", "ready", true, true, false],
      ]);
      expect(s.nodes[0]?.kubeletVersion).toMatch(/\+k3s1$/);
      expect(s.apiService?.endpoints.map((e) => [e.address, e.node, e.ready])).toEqual([
        ["2001:db8:1::11", "node01", true],
        ["2001:db8:1::12", "node02", true],
        ["2001:db8:1::13", "node03", true],
      ]);
      expect(s.apiService?.ports).toEqual([{ name: "https", port: 443, protocol: "TCP" }]);
      expect(s.metallb).toMatchObject({ installed: false, pools: [], controllers: [] });
      expect(s.resources.ipaddresspools).toEqual({ status: "absent" });
      expect(s.resources.nodes).toEqual({ status: "ok" });
      expect(s.calico.nodeStatuses).toEqual([]);
    } finally {
      watcher.stop();
    }
  });

  it("sees a cordon through the watch, and MetalLB once its CRDs are installed", async () => {
    const { hub, watcher } = await watcherOn(cluster.kubeconfig(0));
    const client = cluster.servers[0]?.kube.client;
    if (!client) throw new Error("no client");
    try {
      await until(() => snapshotOf(hub)?.data, "the first snapshot");
      const node = client.get(R.nodes, undefined, "node02");
      if (!node) throw new Error("node02");
      client.update(R.nodes, { ...node, spec: { ...(node.spec ?? {}), unschedulable: true } });
      await until(
        () =>
          snapshotOf(hub)?.data?.nodes.find((n) => n.name === "node02")?.unschedulable ? true : undefined,
        "node02 cordoned",
      );
      installLabCrds(client, { calico: "v3.31.7", metallb: true });
      client.create(R.ipAddressPools, {
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: "api-vip", namespace: "metallb-system" },
        spec: { addresses: ["2001:db8:1:ff01::1/128"], autoAssign: false },
      });
      const pools = await until(
        () =>
          snapshotOf(hub)?.data?.metallb.pools.length ? snapshotOf(hub)?.data?.metallb.pools : undefined,
        "the pool",
      );
      expect(pools).toEqual([
        {
          name: "api-vip",
          namespace: "metallb-system",
          addresses: ["2001:db8:1:ff01::1/128"],
          autoAssign: false,
        },
      ]);
      expect(snapshotOf(hub)?.data?.metallb.installed).toBe(true);
    } finally {
      watcher.stop();
      const node = client.get(R.nodes, undefined, "node02");
      if (node) client.update(R.nodes, { ...node, spec: { ...(node.spec ?? {}), unschedulable: false } });
      client.delete(R.ipAddressPools, "metallb-system", "api-vip");
      for (const crd of metallbCrds()) client.delete(R.crds, undefined, crd.metadata.name ?? "");
    }
  });

  it("looks for a missing CRD again at once when asked (the setup has just created it), not at the next retry", async () => {
    const { hub, watcher } = await watcherOn(cluster.kubeconfig(0), 600_000);
    const client = cluster.servers[0]?.kube.client;
    if (!client) throw new Error("no lab API");
    try {
      await until(
        () => (snapshotOf(hub)?.data?.resources.ipaddresspools?.status === "absent" ? true : undefined),
        "absent",
        4_000,
      );
      installLabCrds(client, { calico: "v3.31.7", metallb: true });
      client.create(R.ipAddressPools, {
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: "asked", namespace: "metallb-system" },
        spec: { addresses: ["2001:db8:1:ff01::2/128"] },
      });
      watcher.lookAgain();
      const pools = await until(
        () =>
          snapshotOf(hub)
            ?.data?.metallb.pools.map((p) => p.name)
            .join() || undefined,
        "the pool",
        4_000,
      ).catch((e: unknown) => {
        throw new Error(`${String(e)}: ${JSON.stringify(snapshotOf(hub)?.data?.resources)}`);
      });
      expect(pools).toBe("asked");
    } finally {
      watcher.stop();
      client.delete(R.ipAddressPools, "metallb-system", "asked");
      for (const crd of metallbCrds()) client.delete(R.crds, undefined, crd.metadata.name ?? "");
    }
  });

  it("reads with a view-only user; a user without rights is K8S_FORBIDDEN naming the verb and resource", async () => {
    const view = await watcherOn(cluster.kubeconfig(0, { token: "view-token" }));
    const none = await watcherOn(cluster.kubeconfig(0, { token: "nobody-token" }));
    try {
      await until(() => snapshotOf(view.hub)?.data, "the viewer's snapshot");
      expect(snapshotOf(view.hub)?.status).toBe("ok");
      const failed = await until(
        () => (snapshotOf(none.hub)?.status === "failing" ? snapshotOf(none.hub) : undefined),
        "the forbidden state",
      );
      expect(failed.lastError?.code).toBe("K8S_FORBIDDEN");
      expect(failed.lastError?.message).toMatch(
        /^cannot list [a-z.-]+: forbidden \([a-z.-]+ is forbidden: User "nobody" cannot list resource "[a-z]+"/,
      );
      expect(failed.data).toBeUndefined();
    } finally {
      view.watcher.stop();
      none.watcher.stop();
    }
  });

  it("a kubeconfig that is missing or names an unknown context is a source error, not a crash", async () => {
    const hub = new Hub();
    const missing = planWith("/nonexistent/kubeconfig");
    const w = new ClusterWatcher(hub, () => kubeAccess(missing), { names: () => () => undefined });
    await w.start();
    expect(hub.source("kubernetes")?.lastError).toMatchObject({
      code: "K8S_CONFIG_INVALID",
      message: "kubernetes.kubeconfig /nonexistent/kubeconfig: no such file",
    });
    const wrongContext = { ...missing, kubernetes: { kubeconfig: cluster.kubeconfig(0), context: "prod" } };
    await expect(kubeAccess(wrongContext)).rejects.toMatchObject({
      code: "K8S_CONFIG_INVALID",
      message: expect.stringContaining("has no context prod"),
    });
  });

  it("keeps the last snapshot and fails as K8S_UNREACHABLE when the API server goes away", async () => {
    const extra = await cluster.addServer();
    const index = cluster.servers.indexOf(extra);
    const { hub, watcher } = await watcherOn(cluster.kubeconfig(index));
    try {
      await until(() => snapshotOf(hub)?.data, "the first snapshot");
      await extra.stop();
      const failed = await until(
        () => (snapshotOf(hub)?.status === "failing" ? snapshotOf(hub) : undefined),
        "the unreachable state",
        15_000,
      );
      expect(failed.lastError?.code).toBe("K8S_UNREACHABLE");
      expect(failed.data?.nodes).toHaveLength(3);
    } finally {
      watcher.stop();
    }
  });
});

describe("watch failures", () => {
  const server = new URL("https://[2001:db8::1]:6443");
  it("maps a 404 of a custom resource to absent, of a core one to an error; 403 to forbidden", () => {
    const pools = { group: "metallb.io", version: "v1beta1", plural: "ipaddresspools", custom: true };
    const nodes = { group: "", version: "v1", plural: "nodes", custom: false };
    expect(
      resourceFailure(Object.assign(new Error("Not Found"), { statusCode: 404 }), pools, server),
    ).toEqual({
      status: "absent",
    });
    expect(
      resourceFailure(Object.assign(new Error("Not Found"), { statusCode: 404 }), nodes, server),
    ).toMatchObject({
      status: "failing",
      error: { code: "K8S_ERROR", message: "cannot watch nodes: HTTP 404" },
    });
    expect(
      resourceFailure(Object.assign(new Error("Forbidden"), { statusCode: 403 }), pools, server),
    ).toMatchObject({
      status: "forbidden",
      error: {
        code: "K8S_FORBIDDEN",
        message: expect.stringContaining("cannot watch ipaddresspools.metallb.io"),
      },
    });
    expect(
      resourceFailure(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), nodes, server),
    ).toMatchObject({ status: "failing", error: { code: "K8S_UNREACHABLE" } });
  });

  it("backs off from 1 s to 30 s with jitter between half and all of the step", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((a) => backoffMs(a, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffMs(3, () => 0)).toBe(4000);
  });
});
