// The route-policy audit on captured router tables (FRR 8.4 in the lab) and cluster lists (the lab's API): healthy
// passes; node02's endpoint not ready while it keeps its path names node02; a peer down; the starting point's pod
// leak; and unknown — never a guess — when a source is not fresh.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { namesFrom, type RouterSnapshot, routerSnapshotOf } from "../bgp/views.js";
import { commands } from "../commands/registry.js";
import { ipv6Peers } from "../frr/bgp-summary.js";
import type { Parsed } from "../frr/parsed.js";
import { buildClusterSnapshot, type WatchedList } from "../k8s/cluster.js";
import { type ClusterResourceId, clusterResourceIds } from "../k8s/resources.js";
import type { Plan } from "../plan/schema.js";
import { validatePlan } from "../plan/validate.js";
import type { ClusterSnapshot } from "../protocol/cluster.js";
import { routePolicyAudit, worstFirst } from "./route-policy.js";

const SRC = join(import.meta.dirname, "..");
const read = (rel: string) => readFileSync(join(SRC, rel), "utf8");
const r = validatePlan(parse(readFileSync(join(SRC, "../../../examples/lab.yaml"), "utf8")));
if (!r.ok) throw new Error("examples/lab.yaml");
const plan: Plan = r.plan;
const nameOf = namesFrom([
  ...plan.nodes.map((n) => ({ name: n.name, address: n.address })),
  { name: "router", address: plan.bgp.router.address },
]);

function value<T>(p: Parsed<T>): T {
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
}

function router(scenario: string, fallback = "healthy"): RouterSnapshot {
  const f = (id: string) => {
    try {
      return read(`frr/fixtures/${id}.${scenario}.frr-8.4.4.json`);
    } catch {
      return read(`frr/fixtures/${id}.${fallback}.frr-8.4.4.json`);
    }
  };
  return routerSnapshotOf(
    {
      summary: ipv6Peers(value(commands["frr-show-bgp-summary"].parse(f("frr-show-bgp-summary")))),
      neighbors: value(commands["frr-show-bgp-neighbors"].parse(f("frr-show-bgp-neighbors"))),
      bfd: value(commands["frr-show-bfd-peers"].parse(f("frr-show-bfd-peers"))),
      routes: value(commands["frr-show-bgp-ipv6-unicast"].parse(f("frr-show-bgp-ipv6-unicast"))).routes,
      fib: value(commands["frr-show-ipv6-route"].parse(f("frr-show-ipv6-route"))),
    },
    nameOf,
  );
}

function cluster(scenario: string, absent: ClusterResourceId[] = []): ClusterSnapshot {
  const lists = new Map<ClusterResourceId, WatchedList>();
  for (const id of clusterResourceIds) {
    if (absent.includes(id)) lists.set(id, { state: { status: "absent" }, items: [] });
    else {
      const body = JSON.parse(read(`k8s/fixtures/${id}.${scenario}.lab-kube-api.json`)) as {
        items: unknown[];
      };
      lists.set(id, { state: { status: "ok" }, items: body.items });
    }
  }
  return buildClusterSnapshot((id) => lists.get(id) ?? { state: { status: "syncing" }, items: [] }, nameOf);
}

const byId = (checks: ReturnType<typeof routePolicyAudit>) =>
  Object.fromEntries(checks.map((c) => [c.id, c]));

describe("route-policy audit", () => {
  it("passes every check on the healthy option-1 lab, with the evidence it rests on", () => {
    const checks = routePolicyAudit({
      plan,
      router: { data: router("healthy") },
      cluster: { data: cluster("vip-healthy") },
    });
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ["service-range-learned", "pass"],
      ["vip-paths-follow-ready-endpoints", "pass"],
      ["no-pod-routes", "pass"],
      ["sessions-established", "pass"],
      ["no-session-in-policy", "pass"],
      ["vip-load-shared", "pass"],
    ]);
    const c = byId(checks);
    expect(c["vip-paths-follow-ready-endpoints"]?.message).toBe(
      "2001:db8:1162:79fb:ff01::1/128 has one path per server with a ready endpoint (node01, node02, node03)",
    );
    expect(c["vip-paths-follow-ready-endpoints"]?.evidence.map((e) => e.source)).toEqual([
      "router",
      "kubernetes",
    ]);
    expect(c["vip-load-shared"]?.message).toBe(
      "the router load-shares 2001:db8:1162:79fb:ff01::1/128 over node01, node02, node03",
    );
    expect(c["service-range-learned"]?.evidence[0]?.text).toBe(
      "2001:db8:1162:79fb:ff00::/112: via node01 ×3 best, node02 ×3 multipath, node03 ×3 multipath; " +
        "FIB node01, node02, node03",
    );
  });

  it("names the node whose API endpoint is not ready while the router still has a path through it", () => {
    const checks = routePolicyAudit({
      plan,
      router: { data: router("healthy") },
      cluster: { data: cluster("vip-k3s-stopped-node02") },
    });
    const vip = byId(checks)["vip-paths-follow-ready-endpoints"];
    expect(vip).toMatchObject({ status: "fail", severity: "error" });
    expect(vip?.message).toBe(
      "2001:db8:1162:79fb:ff01::1/128: node02 has no ready API endpoint but is a path",
    );
    expect(vip?.evidence[1]?.text).toBe(
      "default/kubernetes-api-vip endpoints: node01 ready, node02 not ready, node03 ready",
    );
    expect(worstFirst(checks)[0]?.id).toBe("vip-paths-follow-ready-endpoints");
  });

  it("a peer down: the session check names node02, and the VIP check expects its path back", () => {
    const c = byId(
      routePolicyAudit({
        plan,
        router: { data: router("peer-down") },
        cluster: { data: cluster("vip-healthy") },
      }),
    );
    expect(c["sessions-established"]).toMatchObject({ status: "fail", message: "node02 Active" });
    expect(c["vip-paths-follow-ready-endpoints"]).toMatchObject({
      status: "fail",
      severity: "warning",
      message: "2001:db8:1162:79fb:ff01::1/128: node02 has a ready endpoint but no path",
    });
  });

  it("the starting point: pod blocks at the router raise the leak alarm, and the VIP is not set up", () => {
    const absent: ClusterResourceId[] = [
      "ipaddresspools",
      "l2advertisements",
      "bgpadvertisements",
      "metallb-bgppeers",
    ];
    const c = byId(
      routePolicyAudit({
        plan,
        router: { data: router("before-pod-leak") },
        cluster: { data: cluster("before", absent) },
      }),
    );
    expect(c["no-pod-routes"]).toMatchObject({ status: "fail", severity: "error" });
    expect(c["no-pod-routes"]?.message).toBe(
      "3 routes inside the pod range 2001:db8:1162:79fb:ffcc::/112 reach the router (2001:db8:1162:79fb:ffcc::/122, " +
        "2001:db8:1162:79fb:ffcc::40/122, 2001:db8:1162:79fb:ffcc::80/122): attach a BGPFilter that rejects them to " +
        "the router's BGPPeer",
    );
    expect(c["no-pod-routes"]?.evidence).toHaveLength(3);
    expect(c["vip-paths-follow-ready-endpoints"]).toMatchObject({
      status: "fail",
      severity: "warning",
      message: "no LoadBalancer service carries the VIP 2001:db8:1162:79fb:ff01::1: option 1 is not set up",
    });
    expect(c["service-range-learned"]?.status).toBe("pass");
  });

  it("a session in Policy (FRR 10's ebgp-requires-policy) fails with pfSense's fix", () => {
    const data = router("healthy");
    const peers = data.peers.map((p, i) =>
      i === 0 ? { ...p, state: "Established" as const, peerState: "Policy" } : p,
    );
    const c = byId(
      routePolicyAudit({
        plan,
        router: { data: { ...data, peers } },
        cluster: { data: cluster("vip-healthy") },
      }),
    );
    expect(c["no-session-in-policy"]?.status).toBe("fail");
    expect(c["no-session-in-policy"]?.message).toMatch(/^node01 in Policy: FRR's ebgp-requires-policy/);
  });

  it("one FIB next hop is reported as a choice (info), not as an error", () => {
    const data = router("healthy");
    const routes = data.routes.map((r) =>
      r.prefix.endsWith("ff01::1/128") ? { ...r, fib: { nextHops: r.fib.nextHops.slice(0, 1) } } : r,
    );
    const c = byId(
      routePolicyAudit({
        plan,
        router: { data: { ...data, routes } },
        cluster: { data: cluster("vip-healthy") },
      }),
    );
    expect(c["vip-load-shared"]).toMatchObject({ status: "fail", severity: "info" });
    expect(c["vip-load-shared"]?.message).toMatch(/sends all VIP traffic to node01 \(no multipath\)/);
  });

  it("says unknown, with the reason, when the router or the cluster is not fresh", () => {
    const noRouter = routePolicyAudit({
      plan,
      router: { unavailable: "HOST_UNREACHABLE: connect ETIMEDOUT" },
      cluster: { data: cluster("vip-healthy") },
    });
    expect(new Set(noRouter.map((c) => c.status))).toEqual(new Set(["unknown"]));
    expect(noRouter[0]?.message).toBe("the router source is not fresh: HOST_UNREACHABLE: connect ETIMEDOUT");
    const staleCluster = routePolicyAudit({
      plan,
      router: { data: router("healthy") },
      cluster: { data: cluster("vip-healthy"), unavailable: "stale" },
    });
    expect(byId(staleCluster)["vip-paths-follow-ready-endpoints"]?.status).toBe("unknown");
    expect(byId(staleCluster)["sessions-established"]?.status).toBe("pass");
  });
});
