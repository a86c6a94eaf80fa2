// routePolicyAudit: from the plan, the live cluster and the router's table, the routes the router must and must not
// have — each check pass | fail | unknown with a one-line message and the evidence it rests on. Unknown is honest:
// when a source it needs is not fresh, the check says which and why instead of guessing.
import { bestRouteFor, type RouterSnapshot, type RouteView } from "../bgp/views.js";
import { cidrContainsCidr, parseCidr } from "../net/ip.js";
import type { Plan } from "../plan/schema.js";
import type { ClusterSnapshot, ServiceView } from "../protocol/cluster.js";
import type { AuditCheck, Evidence } from "../protocol/route-audit.js";

/** A source as the audit sees it: its data when fresh, else why not. */
export interface AuditSource<T> {
  data?: T;
  /** Why the data cannot be trusted (failing, stale, never refreshed). */
  unavailable?: string;
}

export interface AuditInput {
  plan: Plan;
  router: AuditSource<RouterSnapshot>;
  cluster: AuditSource<ClusterSnapshot>;
}

const unknown = (id: string, title: string, why: string): AuditCheck => ({
  id,
  title,
  status: "unknown",
  severity: "error",
  message: why,
  evidence: [],
});

/** `prefix: via node01 ×3 best, node02 ×3 multipath; FIB node01, node02` — add-path gives one path per peer. */
function routeLine(r: RouteView): Evidence {
  const byNode = new Map<string, { n: number; best: boolean; multipath: boolean }>();
  for (const p of r.paths.filter((x) => x.valid)) {
    const key = p.node ?? p.nextHop;
    const e = byNode.get(key) ?? { n: 0, best: false, multipath: false };
    byNode.set(key, { n: e.n + 1, best: e.best || p.best, multipath: e.multipath || p.multipath });
  }
  const via = [...byNode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([node, e]) =>
        `${node}${e.n > 1 ? ` ×${e.n}` : ""}${e.best ? " best" : e.multipath ? " multipath" : ""}`,
    );
  const fib = r.fib.nextHops.map((h) => h.node ?? h.address);
  return {
    source: "router",
    text: `${r.prefix}: ${via.length ? `via ${via.join(", ")}` : "no valid path"}; FIB ${fib.join(", ") || "none"}`,
  };
}

/** Routes of the table inside `range` (the range itself included). */
function routesInside(routes: readonly RouteView[], range: string): RouteView[] {
  const outer = parseCidr(range);
  if (!outer) return [];
  return routes.filter((r) => {
    const inner = parseCidr(r.prefix);
    return inner !== null && inner.family === outer.family && cidrContainsCidr(outer, inner);
  });
}

/** The most specific route that covers `address`. */
const validNodes = (r: RouteView) =>
  [...new Set(r.paths.filter((p) => p.valid).map((p) => p.node ?? p.nextHop))].sort();

function serviceRangeLearned(plan: Plan, router: RouterSnapshot): AuditCheck {
  const range = plan.network.serviceCidr;
  const route = router.routes.find((r) => r.prefix === range);
  const nodes = route ? validNodes(route) : [];
  return {
    id: "service-range-learned",
    title: "Service range learned",
    status: nodes.length > 0 ? "pass" : "fail",
    severity: "error",
    message:
      nodes.length > 0
        ? `${range} is learned via ${nodes.join(", ")}`
        : `${range} is not in the router's table: Calico does not advertise serviceClusterIPs to it`,
    evidence: route ? [routeLine(route)] : [{ source: "plan", text: `network.serviceCidr: ${range}` }],
  };
}

/** The LoadBalancer service that carries the VIP (assigned or asked for). */
function vipService(cluster: ClusterSnapshot, vip: string): ServiceView | undefined {
  return cluster.loadBalancerServices.find(
    (s) => s.loadBalancerIPs.includes(vip) || s.requestedIPs.includes(vip),
  );
}

function vipPaths(plan: Plan, router: RouterSnapshot, cluster: ClusterSnapshot): AuditCheck {
  const vip = plan.network.apiVip;
  const base = { id: "vip-paths-follow-ready-endpoints", title: "VIP paths follow ready API endpoints" };
  const service = vipService(cluster, vip);
  if (!service)
    return {
      ...base,
      status: "fail",
      severity: "warning",
      message: `no LoadBalancer service carries the VIP ${vip}: option 1 is not set up`,
      evidence: cluster.loadBalancerServices.map((s) => ({
        source: "kubernetes",
        text: `${s.namespace}/${s.name}: ${s.loadBalancerIPs.join(", ") || "no IP"}`,
      })),
    };
  const route = bestRouteFor(router.routes, vip);
  const ready = [
    ...new Set(service.endpoints.filter((e) => e.ready && e.node).map((e) => e.node ?? "")),
  ].sort();
  const notReady = [
    ...new Set(
      service.endpoints.filter((e) => !e.ready && e.node && !ready.includes(e.node)).map((e) => e.node ?? ""),
    ),
  ].sort();
  const endpointsLine: Evidence = {
    source: "kubernetes",
    text: `${service.namespace}/${service.name} endpoints: ${
      service.endpoints.map((e) => `${e.node ?? e.address} ${e.ready ? "ready" : "not ready"}`).join(", ") ||
      "none"
    }`,
  };
  if (!route)
    return {
      ...base,
      status: "fail",
      severity: "error",
      message: `the router has no route to the VIP ${vip}`,
      evidence: [endpointsLine],
    };
  const via = validNodes(route);
  // eTP=Local: a path through a node without a ready endpoint attracts traffic that kube-proxy there drops.
  const local = service.externalTrafficPolicy === "Local";
  const bad = local ? via.filter((n) => !ready.includes(n)) : [];
  const missing = ready.filter((n) => !via.includes(n));
  const problems = [
    ...bad.map(
      (n) =>
        `${n} ${notReady.includes(n) ? "has no ready API endpoint" : "runs no API endpoint"} but is a path`,
    ),
    ...missing.map((n) => `${n} has a ready endpoint but no path`),
  ];
  return {
    ...base,
    status: problems.length === 0 && via.length > 0 ? "pass" : "fail",
    severity: bad.length > 0 ? "error" : "warning",
    message:
      problems.length > 0
        ? `${route.prefix}: ${problems.join("; ")}`
        : via.length > 0
          ? `${route.prefix} has one path per server with a ready endpoint (${via.join(", ")})`
          : `${route.prefix} has no valid path`,
    evidence: [routeLine(route), endpointsLine],
  };
}

function noPodRoutes(plan: Plan, router: RouterSnapshot): AuditCheck {
  const leaked = routesInside(router.routes, plan.network.podCidr).filter((r) =>
    r.paths.some((p) => p.valid),
  );
  return {
    id: "no-pod-routes",
    title: "No pod routes at the router",
    status: leaked.length === 0 ? "pass" : "fail",
    severity: "error",
    message:
      leaked.length === 0
        ? `nothing inside the pod range ${plan.network.podCidr} reaches the router`
        : `${leaked.length} route${leaked.length === 1 ? "" : "s"} inside the pod range ${plan.network.podCidr} ` +
          `reach the router (${leaked
            .slice(0, 3)
            .map((r) => r.prefix)
            .join(
              ", ",
            )}${leaked.length > 3 ? ", …" : ""}): attach a BGPFilter that rejects them to the router's BGPPeer`,
    evidence: leaked.slice(0, 20).map(routeLine),
  };
}

function sessions(plan: Plan, router: RouterSnapshot): AuditCheck[] {
  const byName = new Map(router.peers.map((p) => [p.name ?? p.address, p]));
  const down = plan.nodes
    .map((n) => ({ node: n.name, peer: byName.get(n.name) }))
    .filter((x) => x.peer?.state !== "Established");
  const policy = router.peers.filter((p) => p.peerState === "Policy");
  const evidence = router.peers.map(
    (p): Evidence => ({
      source: "router",
      text: `${p.name ?? p.address} ${p.state}${p.peerState && p.peerState !== "OK" ? ` (${p.peerState})` : ""}`,
    }),
  );
  return [
    {
      id: "sessions-established",
      title: "Every planned session Established",
      status: down.length === 0 ? "pass" : "fail",
      severity: "error",
      message:
        down.length === 0
          ? `all ${plan.nodes.length} node sessions are Established`
          : down.map((d) => `${d.node} ${d.peer ? d.peer.state : "has no session on the router"}`).join("; "),
      evidence,
    },
    {
      id: "no-session-in-policy",
      title: "No session held by ebgp-requires-policy",
      status: policy.length === 0 ? "pass" : "fail",
      severity: "error",
      message:
        policy.length === 0
          ? "no session is held in Policy"
          : `${policy.map((p) => p.name ?? p.address).join(", ")} in Policy: FRR's ebgp-requires-policy blocks ` +
            "every route without a route-map; on pfSense tick the BGP setting that disables it",
      evidence,
    },
  ];
}

function vipMultipath(plan: Plan, router: RouterSnapshot): AuditCheck {
  const route = bestRouteFor(router.routes, plan.network.apiVip);
  const base = { id: "vip-load-shared", title: "VIP load-shared" };
  if (!route)
    return { ...base, status: "fail", severity: "info", message: "no route to the VIP", evidence: [] };
  const active = route.fib.nextHops.filter((h) => h.active);
  const names = active.map((h) => h.node ?? h.address);
  return {
    ...base,
    status: active.length > 1 ? "pass" : "fail",
    severity: "info",
    message:
      active.length > 1
        ? `the router load-shares ${route.prefix} over ${names.join(", ")}`
        : active.length === 1
          ? `the router sends all VIP traffic to ${names[0]} (no multipath): failover still works; ` +
            "load-sharing needs maximum-paths"
          : `${route.prefix} is not installed in the router's FIB`,
    evidence: [routeLine(route)],
  };
}

export function routePolicyAudit(input: AuditInput): AuditCheck[] {
  const { plan, router, cluster } = input;
  const r = router.data && !router.unavailable ? router.data : undefined;
  const c = cluster.data && !cluster.unavailable ? cluster.data : undefined;
  const routerWhy = `the router source is not fresh: ${router.unavailable ?? "no data yet"}`;
  const clusterWhy = `the cluster source is not fresh: ${cluster.unavailable ?? "no data yet"}`;
  if (!r)
    return [
      unknown("service-range-learned", "Service range learned", routerWhy),
      unknown("vip-paths-follow-ready-endpoints", "VIP paths follow ready API endpoints", routerWhy),
      unknown("no-pod-routes", "No pod routes at the router", routerWhy),
      unknown("sessions-established", "Every planned session Established", routerWhy),
      unknown("no-session-in-policy", "No session held by ebgp-requires-policy", routerWhy),
      unknown("vip-load-shared", "VIP load-shared", routerWhy),
    ];
  return [
    serviceRangeLearned(plan, r),
    c
      ? vipPaths(plan, r, c)
      : unknown("vip-paths-follow-ready-endpoints", "VIP paths follow ready API endpoints", clusterWhy),
    noPodRoutes(plan, r),
    ...sessions(plan, r),
    vipMultipath(plan, r),
  ];
}

const RANK = { fail: 0, unknown: 1, pass: 2 } as const;
const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

/** Worst first: failed errors, then warnings, unknowns, passes. */
export function worstFirst(checks: readonly AuditCheck[]): AuditCheck[] {
  return [...checks].sort(
    (a, b) => RANK[a.status] - RANK[b.status] || SEVERITY[a.severity] - SEVERITY[b.severity],
  );
}
