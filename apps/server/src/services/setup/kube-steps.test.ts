// Option 1's Kubernetes steps against the lab's API server (real server-side apply, dry-run and CRD validation):
// each previews what it writes with the API server's dry-run answer, applies it under the console's field manager,
// changes nothing the second time, notices drift, and undo leaves what others own.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { installLabCrds, R, startCluster, type TestCluster } from "@k3s-ha/lab";
import {
  bgpConfiguration,
  bgpFilter,
  bgpPeerFilters,
  type ClusterSnapshot,
  ipAddressPool,
  type Plan,
  SETUP_FIELD_MANAGER,
  validatePlan,
} from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubeAccess } from "../../plugins/kube.js";
import type { SshPool } from "../../plugins/ssh.js";
import { REPO } from "../../test/harness.js";
import type { StepContext, StepDriver } from "./driver.js";
import { KubeObjects } from "./kube-objects.js";
import type { StepRecord } from "./setup-store.js";
import { bgpConfigStep, bgpFilterStep } from "./steps/calico.js";
import { metallbStep, poolStep } from "./steps/metallb.js";

let cluster: TestCluster;
let plan: Plan;
const CRD = { group: "crd.projectcalico.org", version: "v1" };
const bgpConfigurations = { ...CRD, resource: "bgpconfigurations" };
const bgpPeers = { ...CRD, resource: "bgppeers" };
const bgpFilters = { ...CRD, resource: "bgpfilters" };
const pools = { group: "metallb.io", version: "v1beta1", resource: "ipaddresspools" };

const client = () => {
  const c = cluster.servers[0]?.kube.client;
  if (!c) throw new Error("no lab API");
  return c;
};

function ctx(preview = true): StepContext {
  let objects: Promise<KubeObjects> | undefined;
  return {
    plan,
    planFile: join(REPO, "examples/lab.yaml"),
    kubeAccess: () => kubeAccess(plan),
    kube: () => {
      objects ??= kubeAccess(plan).then((a) => new KubeObjects(a));
      return objects;
    },
    ssh: {} as SshPool,
    router: () => undefined,
    cluster: () => undefined,
    dns: () => undefined,
    refresh: async () => {},
    record: () => undefined,
    signal: new AbortController().signal,
    preview,
    progress: () => {},
  };
}

async function applyStep(d: StepDriver): Promise<StepRecord> {
  const planned = await d.plan(ctx());
  expect(planned.refusals).toEqual([]);
  const out = await d.apply?.(ctx(), planned, { force: false });
  return {
    step: d.id,
    state: "applied",
    applied: out?.applied,
    previous: null,
    checks: null,
    progress: [],
    last: null,
  };
}

beforeAll(async () => {
  cluster = await startCluster(1);
  installLabCrds(client(), { calico: "v3.31.7", metallb: true });
  const k = client().as("kubectl");
  k.create(R.namespaces, { metadata: { name: "metallb-system" } });
  // What calicoctl stored before the setup: the AS, the mesh, the ClusterIP range; the router's peer.
  k.create(bgpConfigurations, {
    apiVersion: "crd.projectcalico.org/v1",
    kind: "BGPConfiguration",
    metadata: { name: "default" },
    spec: {
      asNumber: 65010,
      nodeToNodeMeshEnabled: true,
      serviceClusterIPs: [{ cidr: "2001:db8:1162:79fb:ff00::/112" }],
    },
  });
  k.create(bgpPeers, {
    apiVersion: "crd.projectcalico.org/v1",
    kind: "BGPPeer",
    metadata: { name: "router" },
    spec: { peerIP: "2001:db8:1162:79fb::1", asNumber: 65101 },
  });
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  plan = { ...r.plan, kubernetes: { kubeconfig: cluster.kubeconfig(0, { token: "admin-token" }) } };
});
afterAll(() => cluster?.stop());

describe("the pool step", () => {
  it("previews a create with the API server's dry-run answer, applies it owned by the console, then is satisfied", async () => {
    const before = await poolStep.plan(ctx());
    expect(before.satisfied).toBe(false);
    expect(before.changes).toMatchObject([
      {
        kind: "kubernetes",
        object: "IPAddressPool metallb-system/api-vip",
        action: "create",
        dryRun: { ok: true },
      },
    ]);
    expect(before.changes[0]?.diff).toContain("+  autoAssign: false");
    // The dry-run stored nothing.
    expect(client().get(pools, "metallb-system", "api-vip")).toBeUndefined();
    const rec = await applyStep(poolStep);
    const live = client().get(pools, "metallb-system", "api-vip");
    expect(live?.spec).toMatchObject({ addresses: ["2001:db8:1162:79fb:ff01::/112"], autoAssign: false });
    const managers = (live?.metadata.managedFields ?? []).map((f) => (f as { manager?: string }).manager);
    expect(managers).toContain(SETUP_FIELD_MANAGER);
    const again = await poolStep.plan(ctx());
    expect(again.satisfied).toBe(true);
    expect(again.changes.map((c) => c.action)).toEqual(["unchanged"]);
    expect(await poolStep.holds?.(ctx(), rec)).toBe(true);
    // Someone changes the pool: drift.
    client()
      .as("kubectl")
      .update(pools, { ...live, spec: { ...(live?.spec as object), autoAssign: true } } as never);
    expect(await poolStep.holds?.(ctx(), rec)).toBe(false);
    expect(await poolStep.undo?.(ctx(), rec)).toBe("deleted IPAddressPool metallb-system/api-vip");
    expect(client().get(pools, "metallb-system", "api-vip")).toBeUndefined();
  });
});

describe("the metallb step's verification", () => {
  it("asks the API whether MetalLB's CRDs are served, not a cluster snapshot that lags behind the apply", async () => {
    const kube = await ctx().kube();
    const lagging = {
      metallb: { installed: false, speakers: [], l2Advertisements: [], bgpAdvertisements: [] },
    } as unknown as ClusterSnapshot;
    const checks = await metallbStep.verify({ ...ctx(), kube: async () => kube, cluster: () => lagging });
    expect(checks.find((c) => c.id === "metallb-crds")).toMatchObject({
      ok: true,
      evidence: "the API serves metallb.io/v1beta1 IPAddressPool",
    });
  });
});

describe("the Calico steps", () => {
  it("adds the LoadBalancer range to the BGPConfiguration, and undo removes only what the console alone owns", async () => {
    const planned = await bgpConfigStep.plan(ctx());
    expect(planned.changes[0]).toMatchObject({
      object: "BGPConfiguration default",
      action: "update",
      risky: true,
    });
    expect(planned.changes[0]?.diff).toContain("+  serviceLoadBalancerIPs:");
    expect(planned.changes[0]?.diff).not.toContain("-  serviceClusterIPs");
    const rec = await applyStep(bgpConfigStep);
    const spec = client().get(bgpConfigurations, undefined, "default")?.spec as Record<string, unknown>;
    expect(spec.serviceLoadBalancerIPs).toEqual([{ cidr: "2001:db8:1162:79fb:ff01::/112" }]);
    expect((await bgpConfigStep.plan(ctx())).satisfied).toBe(true);
    await bgpConfigStep.undo?.(ctx(), rec);
    const after = client().get(bgpConfigurations, undefined, "default")?.spec as Record<string, unknown>;
    expect(after.serviceLoadBalancerIPs).toBeUndefined();
    // kubectl's fields stay: the console shared them, it never took them.
    expect(after.serviceClusterIPs).toEqual([{ cidr: "2001:db8:1162:79fb:ff00::/112" }]);
    expect(after.asNumber).toBe(65010);
  });

  it("refuses to turn the mesh off while pod routes are filtered from the only peer without encapsulation", async () => {
    const saved = plan;
    plan = { ...plan, bgp: { ...plan.bgp, nodeToNodeMesh: false } };
    try {
      const planned = await bgpConfigStep.plan(ctx());
      expect(planned.refusals[0]).toContain("pod-to-pod traffic across nodes would break");
    } finally {
      plan = saved;
    }
  });

  it("creates the filter with the RemotePeers rule (this CRD has `source`) and attaches it to the router's peer", async () => {
    const planned = await bgpFilterStep.plan(ctx());
    expect(planned.changes.map((c) => `${c.action} ${c.object}`)).toEqual([
      "create BGPFilter reject-pod-routes",
      "update BGPPeer router",
    ]);
    expect(planned.changes.every((c) => c.dryRun?.ok)).toBe(true);
    const rec = await applyStep(bgpFilterStep);
    const filter = client().get(bgpFilters, undefined, "reject-pod-routes")?.spec as { exportV6: unknown[] };
    expect(filter.exportV6).toHaveLength(2);
    expect(
      (client().get(bgpPeers, undefined, "router")?.spec as { filters?: string[] } | undefined)?.filters,
    ).toEqual(["reject-pod-routes"]);
    expect((await bgpFilterStep.plan(ctx())).satisfied).toBe(true);
    await bgpFilterStep.undo?.(ctx(), rec);
    expect(client().get(bgpFilters, undefined, "reject-pod-routes")).toBeUndefined();
    const peer = client().get(bgpPeers, undefined, "router")?.spec as Record<string, unknown>;
    expect(peer.filters).toBeUndefined();
    expect(peer.peerIP).toBe("2001:db8:1162:79fb::1");
  });

  it("refuses a filter when no BGPPeer peers with the router", async () => {
    const saved = plan;
    plan = {
      ...plan,
      bgp: { ...plan.bgp, router: { ...plan.bgp.router, address: "2001:db8:1162:79fb::99" } },
    };
    try {
      expect((await bgpFilterStep.plan(ctx())).refusals[0]).toContain(
        "no global BGPPeer peers with the router",
      );
    } finally {
      plan = saved;
    }
  });
});

describe("the rendered objects against upstream's CRD schemas", () => {
  it("validate strictly (dryRun=All, fieldValidation=Strict) against Calico v3.32.1's CRDs and MetalLB v0.15.3's", async () => {
    const other = await startCluster(1);
    try {
      const c = other.servers[0]?.kube.client;
      if (!c) throw new Error("no lab API");
      installLabCrds(c, { calico: "v3.32.1", metallb: true });
      c.create(R.namespaces, { metadata: { name: "metallb-system" } });
      const access = await kubeAccess({
        ...plan,
        kubernetes: { kubeconfig: other.kubeconfig(0, { token: "admin-token" }) },
      });
      const kube = new KubeObjects(access);
      const api = "crd.projectcalico.org/v1" as const;
      for (const m of [
        bgpConfiguration(plan, api),
        bgpFilter(plan, api, true),
        ipAddressPool(plan),
        bgpPeerFilters({ name: "router", filters: ["other"] }, api),
      ])
        await expect(kube.apply(m, { dryRun: true }), `${m.kind}`).resolves.toMatchObject({ kind: m.kind });
      // A field the schema does not have is refused, not dropped.
      const bad = bgpFilter(plan, api, true);
      (bad.spec as { exportV6: Record<string, unknown>[] }).exportV6[0] = { action: "Reject", cidrs: "x" };
      await expect(kube.apply(bad, { dryRun: true })).rejects.toMatchObject({ code: "K8S_INVALID" });
    } finally {
      other.stop();
    }
  });
});
