// What the console shows of the router's BGP: sessions with their negotiated timers, graceful restart and BFD, and
// routes with their paths and FIB next hops, each address mapped to the plan's node names. Pure; the router
// collector feeds it parsed command output.
import type { BfdPeer } from "../frr/bfd-peers.js";
import type { BgpNeighbor } from "../frr/bgp-neighbors.js";
import type { BgpRoute } from "../frr/bgp-routes.js";
import type { BgpState } from "../frr/bgp-state.js";
import type { BgpSummaryPeer } from "../frr/bgp-summary.js";
import type { Ipv6Route } from "../frr/ipv6-route.js";
import { canonicalIp, cidrContainsIp, parseCidr, parseIp } from "../net/ip.js";

export interface BgpPeerView {
  /** Whose view: the router's, or a node's Calico (`node:<name>`). */
  source: "router" | `node:${string}`;
  address: string;
  /** The plan's name for the peer (a node name, or `router`). */
  name?: string;
  state: BgpState;
  peerState?: string;
  /**
   * When the session came up (ISO 8601 UTC), so a snapshot stays equal between polls; the API adds `uptimeMs`
   * from it when it answers.
   */
  establishedAt?: string;
  prefixesReceived?: number;
  prefixesSent?: number;
  holdTimeMs?: number;
  keepaliveMs?: number;
  gracefulRestart?: {
    localMode?: string;
    remoteMode?: string;
    peerRestartTimeS?: number;
    endOfRibReceived?: boolean;
  };
  bfd?: {
    status: string;
    detectMultiplier?: number;
    receiveIntervalMs?: number;
    transmitIntervalMs?: number;
  };
}

export interface RouteView {
  prefix: string;
  paths: {
    nextHop: string;
    node?: string;
    peer: string;
    best: boolean;
    multipath: boolean;
    valid: boolean;
    stale: boolean;
  }[];
  fib: { nextHops: { address: string; node?: string; active: boolean }[] };
}

/** What the router source publishes: FRR's version, its sessions, and its routes for the plan's ranges. */
export interface RouterSnapshot {
  frrVersion?: string;
  peers: BgpPeerView[];
  routes: RouteView[];
}

/** Address → plan name (canonical addresses, so `2001:DB8::11` and `2001:db8::11` meet). */
export type NameOf = (address: string) => string | undefined;

export function namesFrom(entries: readonly { name: string; address: string }[]): NameOf {
  const map = new Map(entries.map((e) => [canonicalIp(e.address) ?? e.address, e.name]));
  return (address) => map.get(canonicalIp(address) ?? address);
}

const same = (a: string, b: string) => (canonicalIp(a) ?? a) === (canonicalIp(b) ?? b);

/** The router's sessions: the summary's state and counters, the neighbor detail's timers and GR, BFD by peer. */
export function routerPeerViews(
  summary: readonly BgpSummaryPeer[],
  neighbors: readonly BgpNeighbor[],
  bfd: readonly BfdPeer[],
  nameOf: NameOf,
): BgpPeerView[] {
  return summary.map((p) => {
    const n = neighbors.find((x) => same(x.address, p.address));
    const b = bfd.find((x) => same(x.peer, p.address));
    const name = nameOf(p.address);
    const gr = n?.gracefulRestart;
    return {
      source: "router",
      address: p.address,
      ...(name ? { name } : {}),
      state: p.state,
      ...(p.peerState ? { peerState: p.peerState } : {}),
      ...(p.establishedEpochS !== undefined && p.state === "Established"
        ? { establishedAt: new Date(p.establishedEpochS * 1000).toISOString() }
        : {}),
      ...(p.prefixesReceived !== undefined ? { prefixesReceived: p.prefixesReceived } : {}),
      ...(p.prefixesSent !== undefined ? { prefixesSent: p.prefixesSent } : {}),
      ...(n?.holdTimeMs !== undefined ? { holdTimeMs: n.holdTimeMs } : {}),
      ...(n?.keepaliveMs !== undefined ? { keepaliveMs: n.keepaliveMs } : {}),
      ...(gr
        ? {
            gracefulRestart: {
              ...(gr.localMode ? { localMode: gr.localMode } : {}),
              ...(gr.remoteMode ? { remoteMode: gr.remoteMode } : {}),
              ...(gr.peerRestartTimeS !== undefined ? { peerRestartTimeS: gr.peerRestartTimeS } : {}),
              ...(gr.endOfRibReceived !== undefined ? { endOfRibReceived: gr.endOfRibReceived } : {}),
            },
          }
        : {}),
      ...(b
        ? {
            bfd: {
              status: b.status,
              ...(b.detectMultiplier !== undefined ? { detectMultiplier: b.detectMultiplier } : {}),
              ...(b.receiveIntervalMs !== undefined ? { receiveIntervalMs: b.receiveIntervalMs } : {}),
              ...(b.transmitIntervalMs !== undefined ? { transmitIntervalMs: b.transmitIntervalMs } : {}),
            },
          }
        : {}),
    };
  });
}

/** A prefix's BGP paths as the pages show them, each named after the plan's node (by next hop, else by peer). */
export function pathViews(route: BgpRoute, nameOf: NameOf): RouteView["paths"] {
  return route.paths.map((p) => {
    const node = nameOf(p.nextHop) ?? nameOf(p.peer);
    return {
      nextHop: p.nextHop,
      ...(node ? { node } : {}),
      peer: p.peer,
      best: p.best,
      multipath: p.multipath,
      valid: p.valid,
      stale: p.stale,
    };
  });
}

/** Each BGP prefix with its paths and what the FIB does with it, next hops named. */
export function routeViews(bgp: readonly BgpRoute[], fib: readonly Ipv6Route[], nameOf: NameOf): RouteView[] {
  return bgp.map((r) => {
    const installed = fib.find((f) => f.prefix === r.prefix && f.selected);
    return {
      prefix: r.prefix,
      paths: pathViews(r, nameOf),
      fib: {
        nextHops: (installed?.nextHops ?? [])
          .filter((h): h is typeof h & { address: string } => h.address !== undefined)
          .map((h) => {
            const node = nameOf(h.address);
            return { address: h.address, ...(node ? { node } : {}), active: h.active && h.fib };
          }),
      },
    };
  });
}

/** One poll's parsed answers → the router snapshot: sessions with their timers, routes (each prefix once) named. */
export function routerSnapshotOf(
  parts: {
    frrVersion?: string;
    summary: readonly BgpSummaryPeer[];
    neighbors: readonly BgpNeighbor[];
    bfd: readonly BfdPeer[];
    /** The routes of every range asked for (a prefix in two ranges comes once). */
    routes: readonly BgpRoute[];
    fib: readonly Ipv6Route[];
  },
  nameOf: NameOf,
): RouterSnapshot {
  const seen = new Set<string>();
  const routes = parts.routes.filter((r) => !seen.has(r.prefix) && seen.add(r.prefix));
  return {
    ...(parts.frrVersion ? { frrVersion: parts.frrVersion } : {}),
    peers: routerPeerViews(parts.summary, parts.neighbors, parts.bfd, nameOf),
    routes: routeViews(routes, parts.fib, nameOf).sort((a, b) => a.prefix.localeCompare(b.prefix)),
  };
}

/** The most specific route that covers `address` (the VIP's /128, else the range it lies in). */
export function bestRouteFor(routes: readonly RouteView[], address: string): RouteView | undefined {
  const ip = parseIp(address);
  if (!ip) return undefined;
  let best: { r: RouteView; len: number } | undefined;
  for (const r of routes) {
    const c = parseCidr(r.prefix);
    if (!c || c.family !== ip.family) continue;
    if (!cidrContainsIp(c, ip)) continue;
    if (!best || c.prefix > best.len) best = { r, len: c.prefix };
  }
  return best?.r;
}
