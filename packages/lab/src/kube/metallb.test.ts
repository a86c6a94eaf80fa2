// The MetalLB controller stand-in against MetalLB's own CRDs: assignment, exhausted pools, taken and foreign IPs,
// the current and deprecated annotations, spec.loadBalancerIP, release on delete and type change, pool status.
import { readFileSync } from "node:fs";
import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type KubeClient, R } from "./client.js";
import { type RunningControllers, startControllers } from "./controllers/index.js";
import { isObject, type KubeObject } from "./meta.js";
import { ensureMetalLbController } from "./seed/index.js";
import { startCluster, type TestCluster, waitFor } from "./testkit/index.js";

let cluster: TestCluster;
let c: KubeClient;
const running: RunningControllers[] = [];

const lb = (
  name: string,
  annotations: Record<string, string> = {},
  spec: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name, namespace: "default", annotations },
  spec: { type: "LoadBalancer", selector: { app: name }, ports: [{ port: 443 }], ...spec },
});

const ingress = (name: string) => {
  const s = c.get(R.services, "default", name);
  const lbStatus = isObject(s?.status) && isObject(s.status.loadBalancer) ? s.status.loadBalancer : {};
  return (Array.isArray(lbStatus.ingress) ? lbStatus.ingress : []) as Array<{ ip: string; ipMode?: string }>;
};
const ipOf = (name: string) => ingress(name)[0]?.ip;
const events = (name: string) =>
  c
    .list(R.events, { namespace: "default", fieldSelector: `involvedObject.name=${name}` })
    .map((e) => `${e.type} ${e.reason} ${e.message}`);

beforeAll(async () => {
  cluster = await startCluster(2);
  const kube = cluster.servers[0]?.kube;
  if (!kube) throw new Error("no server");
  c = kube.client;
  for (const kind of ["ipaddresspools", "l2advertisements"]) {
    c.create(
      R.crds,
      parse(
        readFileSync(`/work/shared/reference/crds/metallb/metallb.io_${kind}@v0.15.3.yaml`, "utf8"),
      ) as KubeObject,
    );
  }
  ensureMetalLbController(c, { name: "node01", address: "fd00::11" });
  const pool = (name: string, addresses: string[], autoAssign = true): KubeObject => ({
    apiVersion: "metallb.io/v1beta1",
    kind: "IPAddressPool",
    metadata: { name, namespace: "metallb-system" },
    spec: { addresses, autoAssign },
  });
  c.create(R.ipAddressPools, pool("main", ["fd00:ff01::10-fd00:ff01::11"]));
  c.create(R.ipAddressPools, pool("reserved", ["fd00:ff02::/126"], false));
  for (const [i, s] of cluster.servers.entries()) {
    running.push(
      startControllers(s.kube, {
        identity: `k3s-${i + 1}`,
        nodeLifecycle: false,
        endpoints: false,
        mirroring: false,
        disruption: false,
        resyncMs: 300,
        leaderElection: { retryPeriodMs: 200 },
      }),
    );
  }
});
afterAll(async () => {
  for (const r of running) r.stop();
  await cluster.stop();
});

describe("MetalLB controller stand-in", () => {
  it("assigns the first free address of an autoAssign pool, as a VIP, with an IPAllocated event", async () => {
    const core = cluster.kc(1).makeApiClient(CoreV1Api);
    await core.createNamespacedService({ namespace: "default", body: lb("a") as never });
    await waitFor(() => ipOf("a"), "an IP for a");
    expect(ingress("a")).toEqual([{ ip: "fd00:ff01::10", ipMode: "VIP" }]);
    expect(
      c.get(R.services, "default", "a")?.metadata.annotations?.["metallb.io/ip-allocated-from-pool"],
    ).toBe("main");
    await waitFor(() => events("a").length > 0, "an event for a");
    expect(events("a")).toEqual(['Normal IPAllocated Assigned IP ["fd00:ff01::10"]']);
    expect(running.filter((r) => r.leading().metallb)).toHaveLength(1);
  });

  it("reports AllocationFailed when the pool is exhausted, and assigns once an address is released", async () => {
    c.create(R.services, lb("b"));
    await waitFor(() => ipOf("b"), "an IP for b");
    c.create(R.services, lb("c"));
    await waitFor(() => events("c").length > 0, "an event for c");
    expect(events("c")).toEqual([
      'Warning AllocationFailed Failed to allocate IP for "default/c": no available IPs',
    ]);
    expect(ingress("c")).toEqual([]);
    c.delete(R.services, "default", "a");
    await waitFor(() => ipOf("c") === "fd00:ff01::10", "c to get the released address");
    expect(events("c")).toContain('Normal IPAllocated Assigned IP ["fd00:ff01::10"]');
  });

  it("refuses an address another service holds, and one outside every pool", async () => {
    c.create(R.services, lb("d", { "metallb.io/loadBalancerIPs": "fd00:ff01::11" }));
    await waitFor(() => events("d").length > 0, "an event for d");
    expect(events("d")).toEqual([
      `Warning AllocationFailed Failed to allocate IP for "default/d": can't change sharing key for "default/d", address also in use by default/b`,
    ]);
    c.create(R.services, lb("e", {}, { loadBalancerIP: "fd00:dead::1" }));
    await waitFor(() => events("e").length > 0, "an event for e");
    expect(events("e")).toEqual([
      'Warning AllocationFailed Failed to allocate IP for "default/e": ["fd00:dead::1"] is not allowed in config',
    ]);
  });

  it("honours the deprecated pool and IP annotations and spec.loadBalancerIP on a pool without autoAssign", async () => {
    c.create(R.services, lb("f", { "metallb.universe.tf/address-pool": "reserved" }));
    c.create(R.services, lb("g", { "metallb.universe.tf/loadBalancerIPs": "fd00:ff02::3" }));
    c.create(R.services, lb("h", {}, { loadBalancerIP: "fd00:ff02::2" }));
    await waitFor(() => ipOf("f") && ipOf("g") && ipOf("h"), "addresses for f, g and h");
    expect([ipOf("f"), ipOf("g"), ipOf("h")]).toEqual(["fd00:ff02::", "fd00:ff02::3", "fd00:ff02::2"]);
    expect(
      c.get(R.services, "default", "g")?.metadata.annotations?.["metallb.io/ip-allocated-from-pool"],
    ).toBe("reserved");
    // Still honoured, but each deprecated annotation gets one Warning (v0.15.3 main.go SetBalancer).
    await waitFor(
      () => events("g").some((e) => e.includes("deprecatedAnnotation")),
      "a deprecation warning for g",
    );
    expect(events("g").filter((e) => e.includes("deprecatedAnnotation"))).toEqual([
      "Warning deprecatedAnnotation Service uses deprecated annotation metallb.universe.tf/loadBalancerIPs",
    ]);
    expect(events("f").filter((e) => e.includes("deprecatedAnnotation"))).toEqual([
      "Warning deprecatedAnnotation Service uses deprecated annotation metallb.universe.tf/address-pool",
    ]);
    expect(events("h").some((e) => e.includes("deprecatedAnnotation"))).toBe(false);
    c.create(R.services, lb("i", { "metallb.io/address-pool": "nope" }));
    await waitFor(() => events("i").length > 0, "an event for i");
    expect(events("i")).toEqual([
      'Warning AllocationFailed Failed to allocate IP for "default/i": unknown pool "nope"',
    ]);
  });

  it("releases the address when the Service stops being a LoadBalancer, and updates pool status", async () => {
    const b = c.get(R.services, "default", "b");
    if (!b) throw new Error("no b");
    const {
      allocateLoadBalancerNodePorts: _a,
      externalTrafficPolicy: _e,
      ...spec
    } = b.spec as Record<string, unknown>;
    c.update(R.services, {
      ...b,
      spec: { ...spec, type: "ClusterIP", ports: [{ port: 443, protocol: "TCP", targetPort: 443 }] },
    });
    await waitFor(
      () =>
        ingress("b").length === 0 &&
        !c.get(R.services, "default", "b")?.metadata.annotations?.["metallb.io/ip-allocated-from-pool"],
      "b released",
    );
    await waitFor(() => ipOf("d") === "fd00:ff01::11", "d to get the address it asked for");
    await waitFor(
      () =>
        (
          c.get(R.ipAddressPools, "metallb-system", "reserved")?.status as
            | { assignedIPv6?: number }
            | undefined
        )?.assignedIPv6 === 3,
      "pool status",
    );
    expect(c.get(R.ipAddressPools, "metallb-system", "reserved")?.status).toEqual({
      assignedIPv4: 0,
      assignedIPv6: 3,
      availableIPv4: 0,
      availableIPv6: 1,
    });
  });

  it("serves a pool with serviceAllocation only to the Services it selects, and withdraws every IP when the pools go", async () => {
    c.create(R.ipAddressPools, {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: "scoped", namespace: "metallb-system" },
      spec: {
        addresses: ["fd00:ff03::/126"],
        serviceAllocation: { priority: 1, serviceSelectors: [{ matchLabels: { tier: "api" } }] },
      },
    });
    c.create(R.services, {
      ...lb("tiered"),
      metadata: { name: "tiered", namespace: "default", labels: { tier: "api" } },
    });
    c.create(R.services, lb("plain"));
    await waitFor(() => ipOf("tiered")?.startsWith("fd00:ff03::") === true, "tiered from the scoped pool");
    expect(
      c.get(R.services, "default", "tiered")?.metadata.annotations?.["metallb.io/ip-allocated-from-pool"],
    ).toBe("scoped");
    await waitFor(() => events("plain").some((e) => e.includes("AllocationFailed")), "plain refused");
    expect(ipOf("plain")).toBeUndefined();

    // A Service of another load balancer class is another controller's: MetalLB leaves its status alone.
    const foreign = c.create(R.services, lb("foreign", {}, { loadBalancerClass: "example.org/other" }));
    c.updateStatus(R.services, { ...foreign, status: { loadBalancer: { ingress: [{ ip: "fd00:ee::1" }] } } });

    // Deleting the pools (MetalLB's configuration stays loaded) takes every address back.
    for (const pool of c.list(R.ipAddressPools, { namespace: "metallb-system" }))
      c.delete(R.ipAddressPools, "metallb-system", pool.metadata.name ?? "");
    await waitFor(
      () =>
        c
          .list(R.services, { namespace: "default" })
          .filter((svc) => svc.metadata.name !== "foreign")
          .every(
            (svc) =>
              ingress(svc.metadata.name ?? "").length === 0 &&
              !svc.metadata.annotations?.["metallb.io/ip-allocated-from-pool"],
          ),
      "every address withdrawn",
    );
    expect(ipOf("foreign")).toBe("fd00:ee::1");
  });
});
