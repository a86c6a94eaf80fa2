// What a failover run's time axis shows besides samples, pure: a digest of the router's view (the VIP's and the
// service range's FIB next hops by node, each session's state, BFD) and of the cluster's (each node's Ready and
// cordon, the API Service's endpoints), and the events between two digests, each with its sentence.
import { bestRouteFor, type RouterSnapshot, type RouteView } from "../bgp/views.js";
import { canonicalIp, formatCidr, parseCidr } from "../net/ip.js";
import type { ClusterSnapshot } from "../protocol/cluster.js";
import type { RunEvent } from "../protocol/failover.js";

export interface RouterDigest {
  /** Prefix → the nodes (or addresses) the router's FIB sends it to, sorted. */
  paths: Record<string, string[]>;
  /** Peer (plan name or address) → BGP state. */
  sessions: Record<string, string>;
  bfd: Record<string, string>;
}

export interface ClusterDigest {
  nodes: Record<string, { ready: string; unschedulable: boolean; excluded: boolean }>;
  /** The API LoadBalancer Service's endpoints by node: ready or not. */
  apiEndpoints: Record<string, boolean>;
}

export type TimelineEvent = Omit<RunEvent, "seq" | "atMs">;

const sameIp = (a: string, b: string) => (canonicalIp(a) ?? a) === (canonicalIp(b) ?? b);

/** How the timeline names the VIP's path (the key of `RouterDigest.paths`, the `prefix` of its events). */
const VIP_PATH = "the VIP ";

/** `watch`: the VIP (its most specific route) and the service range (its own route), as the timeline names them. */
export function routerDigest(
  snapshot: RouterSnapshot,
  watch: { vip: string; serviceCidr: string },
): RouterDigest {
  const paths: Record<string, string[]> = {};
  const service = parseCidr(watch.serviceCidr);
  const routes: [string, RouteView | undefined][] = [
    [`${VIP_PATH}${watch.vip}`, bestRouteFor(snapshot.routes, watch.vip)],
    [
      `the service range ${watch.serviceCidr}`,
      snapshot.routes.find((r) => {
        const c = parseCidr(r.prefix);
        return c && service && formatCidr(c) === formatCidr(service);
      }),
    ],
  ];
  for (const [prefix, route] of routes) {
    paths[prefix] = (route?.fib.nextHops ?? [])
      .filter((h) => h.active)
      .map((h) => h.node ?? h.address)
      .sort();
  }
  const sessions: Record<string, string> = {};
  const bfd: Record<string, string> = {};
  for (const p of snapshot.peers) {
    const who = p.name ?? p.address;
    sessions[who] = p.state;
    if (p.bfd) bfd[who] = p.bfd.status;
  }
  return { paths, sessions, bfd };
}

/** The API Service: a LoadBalancer Service whose address is the VIP. */
export function clusterDigest(snapshot: ClusterSnapshot, vip: string): ClusterDigest {
  const nodes: ClusterDigest["nodes"] = {};
  for (const n of snapshot.nodes)
    nodes[n.name] = { ready: n.ready, unschedulable: n.unschedulable, excluded: n.excludedFromLoadBalancers };
  const apiEndpoints: Record<string, boolean> = {};
  const service = snapshot.loadBalancerServices.find((s) => s.loadBalancerIPs.some((ip) => sameIp(ip, vip)));
  for (const e of service?.endpoints ?? []) apiEndpoints[e.node ?? e.address] = e.ready;
  return { nodes, apiEndpoints };
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "nowhere");

/** How often the router is polled while a run is active. */
export const RUN_ROUTER_POLL_MS = 250;

/** When a run's timeline saw the router's paths to the VIP change (not the first view of them). */
export function vipPathChangesAtMs(
  events: readonly { kind: string; atMs: number; detail?: Record<string, unknown> | undefined }[],
): number[] {
  return events
    .filter(
      (e) =>
        e.kind === "router-path" &&
        e.detail?.before !== undefined &&
        String(e.detail?.prefix ?? "").startsWith(VIP_PATH),
    )
    .map((e) => e.atMs);
}

export function routerEvents(prev: RouterDigest | undefined, next: RouterDigest): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const [prefix, hops] of Object.entries(next.paths)) {
    const before = prev?.paths[prefix];
    if (before && before.join() === hops.join()) continue;
    const gone = before?.filter((h) => !hops.includes(h)) ?? [];
    const added = before ? hops.filter((h) => !before.includes(h)) : [];
    const change = before
      ? [gone.length ? `lost ${gone.join(", ")}` : "", added.length ? `gained ${added.join(", ")}` : ""]
          .filter(Boolean)
          .join(" and ")
      : `goes to ${list(hops)}`;
    out.push({
      kind: "router-path",
      summary: `The router's path to ${prefix} ${change}${before ? ` (now ${list(hops)})` : ""}`,
      detail: { prefix, nextHops: hops, ...(before ? { before } : {}) },
    });
  }
  for (const [peer, state] of Object.entries(next.sessions)) {
    const before = prev?.sessions[peer];
    if (prev && before !== state)
      out.push({
        kind: "bgp-session",
        summary: `BGP session with ${peer}: ${before ?? "absent"} → ${state}`,
        detail: { peer, state, ...(before ? { before } : {}) },
      });
  }
  for (const [peer, status] of Object.entries(next.bfd)) {
    const before = prev?.bfd[peer];
    if (prev && before !== status)
      out.push({
        kind: "bgp-session",
        summary: `BFD with ${peer}: ${before ?? "absent"} → ${status}`,
        detail: { peer, bfd: status, ...(before ? { before } : {}) },
      });
  }
  return out;
}

export function clusterEvents(prev: ClusterDigest | undefined, next: ClusterDigest): TimelineEvent[] {
  if (!prev) return [];
  const out: TimelineEvent[] = [];
  for (const [name, n] of Object.entries(next.nodes)) {
    const b = prev.nodes[name];
    if (!b) continue;
    if (b.ready !== n.ready)
      out.push({
        kind: "node",
        summary: `Node ${name} is ${n.ready === "ready" ? "Ready" : n.ready === "not-ready" ? "NotReady" : "Unknown"}`,
        detail: { node: name, ready: n.ready, before: b.ready },
      });
    if (b.unschedulable !== n.unschedulable)
      out.push({
        kind: "node",
        summary: `Node ${name} is ${n.unschedulable ? "cordoned" : "uncordoned"}`,
        detail: { node: name, unschedulable: n.unschedulable },
      });
    if (b.excluded !== n.excluded)
      out.push({
        kind: "node",
        summary: `Node ${name} is ${n.excluded ? "excluded from" : "back in"} load balancers`,
        detail: { node: name, excludedFromLoadBalancers: n.excluded },
      });
  }
  const names = new Set([...Object.keys(prev.apiEndpoints), ...Object.keys(next.apiEndpoints)]);
  for (const name of names) {
    const b = prev.apiEndpoints[name];
    const n = next.apiEndpoints[name];
    if (b === n) continue;
    const state = n === undefined ? "gone" : n ? "ready" : "not ready";
    out.push({
      kind: "endpoint",
      summary: `The API Service's endpoint on ${name} is ${state}`,
      detail: { node: name, ready: n ?? null },
    });
  }
  return out;
}
