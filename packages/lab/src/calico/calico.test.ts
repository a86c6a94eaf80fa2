// calico-node in a real lab (root): Calico and Service objects applied through the Kubernetes API change what
// BIRD advertises, and the router (FRR) sees it; CalicoNodeStatus reports the BGP peers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vtyshJson } from "../daemons/frr.js";
import { run, sleep, waitFor } from "../exec.js";
import { startK3s, stopK3s } from "../faults.js";
import { createKubeApi, type KubeApi, type KubeClient, type KubeObject, R } from "../kube/index.js";
import { kubeDbFile } from "../kube-state.js";
import { labDown, labUp } from "../lab.js";
import { listNamespaces } from "../netns.js";
import { uniqueLabName } from "../testing.js";
import { labTopology } from "../topology.js";
import { CALICO } from "./inputs.js";
import { calicoNodeRunning } from "./process.js";

const name = uniqueLabName("calico");
const t = labTopology(name);
const [n1, n2] = t.nodes;
let kube: KubeApi;
let client: KubeClient;

const FILTER = "test-reject-pods";
const LB_FILTER = "test-own-lb-routes-only";
const PEER = "router";
const SERVICE = "calico-test";
const LB_IP = t.loadBalancerCidr.replace("::/112", "::50");
const WAIT = { timeoutMs: 30_000, intervalMs: 200 };

type BgpRoutes = { routes?: Record<string, unknown> };

async function podRoutesAtRouter(): Promise<string[]> {
  const r = await vtyshJson<BgpRoutes>(t, `show bgp ipv6 unicast ${t.podCidr} longer-prefixes json`);
  return Object.keys(r.routes ?? {});
}

/** Gateways of the router's kernel route for exactly `prefix` (sorted; [] when there is none). */
async function fibGateways(prefix: string): Promise<string[]> {
  const r = await run("ip", ["-n", t.router.ns, "-6", "-j", "route", "show", "exact", prefix], {
    timeoutMs: 3_000,
  });
  const routes = JSON.parse(r.stdout || "[]") as { gateway?: string; nexthops?: { gateway?: string }[] }[];
  const route = routes[0];
  if (!route) return [];
  const gws = route.nexthops ? route.nexthops.map((h) => h.gateway ?? "") : [route.gateway ?? ""];
  return gws.filter(Boolean).sort();
}

const until = <T>(what: string, probe: () => Promise<T | undefined>) => waitFor(what, probe, WAIT);
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function patchPeerFilters(filters: string[]): void {
  const peer = client.get(CALICO.bgpPeers, undefined, PEER);
  if (!peer) throw new Error("no BGPPeer router");
  const spec = { ...(peer as { spec?: Record<string, unknown> }).spec, filters };
  client.update(CALICO.bgpPeers, { ...peer, spec } as KubeObject);
}

function patchBgpConfiguration(patch: Record<string, unknown>): void {
  const config = client.get(CALICO.bgpConfigurations, undefined, "default");
  if (!config) throw new Error("no BGPConfiguration default");
  const spec = { ...(config as { spec?: Record<string, unknown> }).spec, ...patch };
  client.update(CALICO.bgpConfigurations, { ...config, spec } as KubeObject);
}

function endpointSlice(ready: Record<string, boolean>): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${SERVICE}-manual`,
      namespace: "default",
      labels: {
        "kubernetes.io/service-name": SERVICE,
        "endpointslice.kubernetes.io/managed-by": "calico-test.k3s-ha.lab",
      },
    },
    addressType: "IPv6",
    ports: [{ name: "https", port: 6443, protocol: "TCP" }],
    endpoints: Object.entries(ready).map(([node, r]) => ({
      addresses: [t.nodes.find((n) => n.name === node)?.address ?? ""],
      nodeName: node,
      conditions: { ready: r, serving: r, terminating: false },
    })),
  } as KubeObject;
}

beforeAll(async () => {
  await labUp(name);
  kube = createKubeApi({
    dbFile: kubeDbFile(t),
    config: { serviceCidr: t.serviceCidr },
    compactIntervalMs: 0,
  });
  client = kube.client.as("calico-test");
}, 180_000);

afterAll(async () => {
  kube?.close();
  await labDown(name);
  expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
}, 60_000);

describe(`calico-node stand-in (${name})`, () => {
  it("runs on every node and renders the `before` preset: no filter, so the pod blocks reach the router", async () => {
    expect(t.nodes.every(calicoNodeRunning)).toBe(true);
    const routes = await until("pod blocks at the router", async () => {
      const r = await podRoutesAtRouter();
      return t.nodes.every((n) => r.includes(n.podBlock)) ? r : undefined;
    });
    expect(routes.length).toBeGreaterThanOrEqual(3);
  });

  it("a BGPFilter rejecting the pod CIDR, attached to the router BGPPeer, withdraws every pod route; removing it brings them back", async () => {
    client.create(CALICO.bgpFilters, {
      apiVersion: "crd.projectcalico.org/v1",
      kind: "BGPFilter",
      metadata: { name: FILTER },
      spec: { exportV6: [{ action: "Reject", matchOperator: "In", cidr: t.podCidr }] },
    } as KubeObject);
    patchPeerFilters([FILTER]);
    await until("no pod route at the router", async () =>
      (await podRoutesAtRouter()).length === 0 ? true : undefined,
    );
    // The mesh is not filtered: node01 still learns node02's block.
    const held = await run(
      "birdc",
      ["-s", `${n1?.dir}/bird/bird.ctl`, "show", "route", "for", n2?.podBlock ?? ""],
      {
        ns: n1?.ns ?? "",
      },
    );
    expect(held.stdout).toContain(n2?.podBlock);

    patchPeerFilters([]);
    client.delete(CALICO.bgpFilters, undefined, FILTER);
    await until("pod routes back at the router", async () => {
      const r = await podRoutesAtRouter();
      return t.nodes.every((n) => r.includes(n.podBlock)) ? true : undefined;
    });
  });

  it("serviceLoadBalancerIPs makes every node advertise the LoadBalancer range", async () => {
    expect(await fibGateways(t.loadBalancerCidr)).toEqual([]);
    patchBgpConfiguration({ serviceLoadBalancerIPs: [{ cidr: t.loadBalancerCidr }] });
    const all = t.nodes.map((n) => n.address).sort();
    await until("the LB range from every node", async () =>
      sameSet(await fibGateways(t.loadBalancerCidr), all) ? true : undefined,
    );
  });

  it("an eTP Local LoadBalancer /128 comes from nodes with a ready local endpoint (and the mesh re-export, unless filtered)", async () => {
    // The test sets the Service's status as another LoadBalancer controller would; its loadBalancerClass keeps
    // MetalLB (which withdraws addresses it has no pool for) out of it.
    const svc = client.create(R.services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: SERVICE, namespace: "default" },
      spec: {
        type: "LoadBalancer",
        loadBalancerClass: "lab.k3s-ha/test",
        externalTrafficPolicy: "Local",
        ipFamilies: ["IPv6"],
        ipFamilyPolicy: "SingleStack",
        ports: [{ name: "https", port: 6443, protocol: "TCP", targetPort: 6443 }],
      },
    } as KubeObject);
    client.updateStatus(R.services, {
      ...svc,
      status: { loadBalancer: { ingress: [{ ip: LB_IP, ipMode: "VIP" }] } },
    } as KubeObject);
    client.create(R.endpointslices, endpointSlice({ node01: true, node02: true }));
    const all = t.nodes.map((n) => n.address).sort();
    const both = [n1?.address ?? "", n2?.address ?? ""].sort();
    // As with real Calico (projectcalico/calico#5235, #7512): node03 learns the /128 over the mesh and, the LB
    // range being one of its static routes, re-exports it to the router with itself as next hop.
    await until("the /128 at the router (re-exported over the mesh by node03 too)", async () =>
      sameSet(await fibGateways(`${LB_IP}/128`), all) ? true : undefined,
    );
    const mesh = await run(
      "birdc",
      ["-s", `${t.nodes[2]?.dir}/bird/bird.ctl`, "show", "route", "for", LB_IP],
      {
        ns: t.nodes[2]?.ns ?? "",
      },
    );
    expect(mesh.stdout).toMatch(/Mesh_/);

    // The BGPFilter that keeps only each node's own /128s: reject LB routes learned from other peers.
    client.create(CALICO.bgpFilters, {
      apiVersion: "crd.projectcalico.org/v1",
      kind: "BGPFilter",
      metadata: { name: LB_FILTER },
      spec: {
        exportV6: [
          { action: "Reject", matchOperator: "In", cidr: t.loadBalancerCidr, source: "RemotePeers" },
        ],
      },
    } as KubeObject);
    patchPeerFilters([LB_FILTER]);
    await until("the /128 from node01 and node02 only", async () =>
      sameSet(await fibGateways(`${LB_IP}/128`), both) ? true : undefined,
    );
    // The range itself is each node's own static route: still from every node.
    expect(await fibGateways(t.loadBalancerCidr)).toEqual(all);

    const slice = client.get(R.endpointslices, "default", `${SERVICE}-manual`);
    if (!slice) throw new Error("no EndpointSlice");
    client.update(R.endpointslices, {
      ...endpointSlice({ node01: true, node02: false }),
      metadata: slice.metadata,
    });
    await until("node02's path withdrawn", async () =>
      sameSet(await fibGateways(`${LB_IP}/128`), [n1?.address ?? ""]) ? true : undefined,
    );
  });

  it("fills the CalicoNodeStatus objects a user creates for a node — and creates none itself — writing only on change", async () => {
    expect(client.list(CALICO.calicoNodeStatuses)).toEqual([]);
    for (const n of t.nodes) {
      client.create(CALICO.calicoNodeStatuses, {
        apiVersion: "crd.projectcalico.org/v1",
        kind: "CalicoNodeStatus",
        metadata: { name: `debug-${n.name}` },
        spec: { node: n.name, classes: ["Agent", "BGP"], updatePeriodSeconds: 1 },
      });
    }
    type Status = {
      metadata: { resourceVersion?: string };
      spec?: { node?: string };
      status?: {
        lastUpdated?: string;
        agent?: { birdV6?: { state: string; routerID?: string } };
        bgp?: { peersV6?: { peerIP: string; state: string; type: string }[] };
      };
    };
    for (const n of t.nodes) {
      const status = await until(`CalicoNodeStatus debug-${n.name}`, async () => {
        const o = client.get(CALICO.calicoNodeStatuses, undefined, `debug-${n.name}`) as Status | undefined;
        const router = o?.status?.bgp?.peersV6?.find((p) => p.peerIP === t.router.address);
        const mesh = o?.status?.bgp?.peersV6?.filter(
          (p) => p.type === "NodeMesh" && p.state === "Established",
        );
        return router?.state === "Established" && mesh?.length === 2 ? o : undefined;
      });
      expect(status.spec?.node).toBe(n.name);
      expect(status.status?.agent?.birdV6?.state).toBe("Ready");
      expect(status.status?.lastUpdated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(status.status?.bgp?.peersV6?.find((p) => p.peerIP === t.router.address)?.type).toBe(
        "GlobalPeer",
      );
    }
    // Nothing changed: three periods later the objects were not written again.
    const versions = t.nodes.map(
      (n) => client.get(CALICO.calicoNodeStatuses, undefined, `debug-${n.name}`)?.metadata.resourceVersion,
    );
    await sleep(3_500);
    expect(
      t.nodes.map(
        (n) => client.get(CALICO.calicoNodeStatuses, undefined, `debug-${n.name}`)?.metadata.resourceVersion,
      ),
    ).toEqual(versions);
    expect(client.list(CALICO.calicoNodeStatuses)).toHaveLength(t.nodes.length);
  });

  it("keeps rendering while its node's k3s is stopped: labelling node01 exclude-from-external-load-balancers withdraws its service routes", async () => {
    await stopK3s(t, "node01");
    try {
      const node = client.get(R.nodes, undefined, "node01");
      if (!node) throw new Error("no Node node01");
      const labels = {
        ...node.metadata.labels,
        "node.kubernetes.io/exclude-from-external-load-balancers": "true",
      };
      client.update(R.nodes, { ...node, metadata: { ...node.metadata, labels } });
      const others = t.nodes
        .slice(1)
        .map((n) => n.address)
        .sort();
      await until("the LB and service ranges without node01", async () =>
        sameSet(await fibGateways(t.loadBalancerCidr), others) &&
        sameSet(await fibGateways(t.serviceCidr), others)
          ? true
          : undefined,
      );
      expect(n1 && calicoNodeRunning(n1)).toBe(true);
    } finally {
      await startK3s(t, "node01");
    }
  });
});
