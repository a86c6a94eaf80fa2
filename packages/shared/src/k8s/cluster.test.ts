// buildClusterSnapshot on the lab Kubernetes API's captured lists (fixtures/README.md): option 1 healthy, node02's
// k3s stopped, the document's starting point without MetalLB; and objects of an unknown shape counted, not dropped.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildClusterSnapshot, type ClusterLists, type WatchedList } from "./cluster.js";
import { type ClusterResourceId, clusterResourceIds } from "./resources.js";

const DIR = join(import.meta.dirname, "fixtures");
const names: Record<string, string> = {
  "2001:db8:1162:79fb::11": "node01",
  "2001:db8:1162:79fb::12": "node02",
  "2001:db8:1162:79fb::13": "node03",
};

function listsOf(scenario: string, absent: ClusterResourceId[] = []): ClusterLists {
  const lists = new Map<ClusterResourceId, WatchedList>();
  for (const id of clusterResourceIds) {
    if (absent.includes(id)) {
      lists.set(id, { state: { status: "absent" }, items: [] });
      continue;
    }
    const body = JSON.parse(readFileSync(join(DIR, `${id}.${scenario}.lab-kube-api.json`), "utf8")) as {
      items: unknown[];
    };
    lists.set(id, { state: { status: "ok" }, items: body.items });
  }
  return (id) => lists.get(id) ?? { state: { status: "syncing" }, items: [] };
}

describe("buildClusterSnapshot on the lab's captures", () => {
  it("option 1, healthy: three ready etcd servers, the VIP service assigned by MetalLB with three ready endpoints", () => {
    const s = buildClusterSnapshot(listsOf("vip-healthy"), (a) => names[a]);
    expect(s.nodes.map((n) => [n.name, n.ready, n.roles])).toEqual([
      ["node01", "ready", ["control-plane", "etcd", "master"]],
      ["node02", "ready", ["control-plane", "etcd", "master"]],
      ["node03", "ready", ["control-plane", "etcd", "master"]],
    ]);
    expect(s.nodes[0]?.addresses).toContainEqual({ type: "InternalIP", address: "2001:db8:1162:79fb::11" });
    expect(s.apiService).toMatchObject({ namespace: "default", name: "kubernetes", type: "ClusterIP" });
    expect(s.apiService?.endpoints.map((e) => `${e.node}:${e.ready}`)).toEqual([
      "node01:true",
      "node02:true",
      "node03:true",
    ]);
    expect(s.loadBalancerServices).toEqual([
      {
        namespace: "default",
        name: "kubernetes-api-vip",
        type: "LoadBalancer",
        clusterIPs: expect.any(Array),
        loadBalancerIPs: ["2001:db8:1162:79fb:ff01::1"],
        requestedIPs: ["2001:db8:1162:79fb:ff01::1"],
        externalTrafficPolicy: "Local",
        ports: [{ name: "https", port: 6443, protocol: "TCP" }],
        endpoints: [1, 2, 3].map((i) => ({
          address: `2001:db8:1162:79fb::1${i}`,
          ready: true,
          serving: true,
          terminating: false,
          node: `node0${i}`,
        })),
      },
    ]);
    expect(s.metallb.installed).toBe(true);
    expect(s.metallb.controllers.map((p) => [p.node, p.ready])).toEqual([["node01", true]]);
    expect(s.metallb.speakers).toEqual([]);
    expect(s.metallb.pools).toEqual([
      {
        name: "api-vip",
        namespace: "metallb-system",
        addresses: ["2001:db8:1162:79fb:ff01::/112"],
        autoAssign: false,
      },
    ]);
    expect([s.metallb.l2Advertisements, s.metallb.bgpAdvertisements, s.metallb.bgpPeers]).toEqual([
      [],
      [],
      [],
    ]);
    expect(s.calico.version).toBe("v3.31.7");
    expect(s.calico.datastoreReady).toBe(true);
    expect(s.calico.bgpFilters.map((f) => f.name)).toEqual(["reject-pod-routes"]);
    expect(s.calico.bgpPeers[0]?.spec).toMatchObject({
      peerIP: "2001:db8:1162:79fb::1",
      filters: ["reject-pod-routes"],
    });
    expect(Object.values(s.resources).every((r) => r.status === "ok")).toBe(true);
  });

  it("node02's k3s stopped: the node Unknown with k3s's reason and taints, both endpoints of node02 not ready", () => {
    const s = buildClusterSnapshot(listsOf("vip-k3s-stopped-node02"), (a) => names[a]);
    const node02 = s.nodes.find((n) => n.name === "node02");
    expect(node02).toMatchObject({ ready: "unknown", readyReason: "NodeStatusUnknown" });
    expect(node02?.taints).toEqual([
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
    ]);
    expect(s.apiService?.endpoints.map((e) => e.node)).toEqual(["node01", "node03"]);
    expect(s.loadBalancerServices[0]?.endpoints.map((e) => `${e.node}:${e.ready}:${e.serving}`)).toEqual([
      "node01:true:true",
      "node02:false:false",
      "node03:true:true",
    ]);
  });

  it("the starting point: no MetalLB (its lists absent), no LoadBalancer service, the router peer without filters", () => {
    const absent: ClusterResourceId[] = [
      "ipaddresspools",
      "l2advertisements",
      "bgpadvertisements",
      "metallb-bgppeers",
    ];
    const s = buildClusterSnapshot(listsOf("before", absent), (a) => names[a]);
    expect(s.metallb).toMatchObject({ installed: false, controllers: [], pools: [] });
    expect(s.resources.ipaddresspools).toEqual({ status: "absent" });
    expect(s.loadBalancerServices).toEqual([]);
    expect(s.calico.bgpFilters).toEqual([]);
    expect(s.calico.bgpPeers[0]?.spec.filters).toBeUndefined();
  });

  it("counts objects of an unknown shape on their resource, naming the first problem", () => {
    const base = listsOf("vip-healthy");
    const lists: ClusterLists = (id) =>
      id === "nodes"
        ? { state: { status: "ok" }, items: [...base("nodes").items, { metadata: { name: 7 } }, "junk"] }
        : base(id);
    const s = buildClusterSnapshot(lists);
    expect(s.nodes).toHaveLength(3);
    expect(s.resources.nodes).toEqual({
      status: "ok",
      skipped: 2,
      error: {
        code: "K8S_UNEXPECTED_OBJECT",
        message:
          "2 nodes of an unknown shape skipped (metadata.name: Invalid input: expected string, received number)",
      },
    });
  });
});
