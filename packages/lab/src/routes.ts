// Reading the router's view (vtysh JSON and the kernel FIB) — how tests and figures time control-plane changes.

import { vtyshJson } from "./daemons/frr.js";
import { run, sleep } from "./exec.js";
import type { LabTopology } from "./topology.js";

interface SummaryPeer {
  state: string;
  pfxRcd?: number;
  desc?: string;
}
type Summary = { ipv6Unicast?: { peers?: Record<string, SummaryPeer> } };

/** Peer address → BGP state, from `show bgp summary json`. */
export async function peerStates(t: LabTopology): Promise<Record<string, string>> {
  const summary = await vtyshJson<Summary>(t, "show bgp summary json");
  const peers = summary.ipv6Unicast?.peers ?? {};
  return Object.fromEntries(Object.entries(peers).map(([addr, p]) => [addr, p.state]));
}

export async function establishedCount(t: LabTopology): Promise<number> {
  return Object.values(await peerStates(t)).filter((s) => s === "Established").length;
}

/** Number of BGP paths the router holds for a prefix (`show bgp ipv6 unicast PREFIX json`; `{}` when none). */
export async function bgpPathCount(t: LabTopology, prefix: string): Promise<number> {
  const r = await vtyshJson<{ paths?: unknown[] }>(t, `show bgp ipv6 unicast ${prefix} json`);
  return r.paths?.length ?? 0;
}

interface FibRoute {
  dst: string;
  gateway?: string;
  nexthops?: { gateway?: string }[];
}

/** Next hops of the router's kernel route for exactly this prefix (0 when there is none). */
export async function fibNextHops(t: LabTopology, prefix: string): Promise<number> {
  const r = await run("ip", ["-n", t.router.ns, "-6", "-j", "route", "show", "exact", prefix], {
    timeoutMs: 3_000,
  });
  const routes = JSON.parse(r.stdout || "[]") as FibRoute[];
  const route = routes[0];
  if (!route) return 0;
  return route.nexthops?.length ?? (route.gateway ? 1 : 0);
}

/** Any route in the router's FIB inside the pod range (there must be none). */
export async function fibRoutesWithin(t: LabTopology, cidr: string): Promise<string[]> {
  const r = await run("ip", ["-n", t.router.ns, "-6", "-j", "route", "show", "root", cidr], {
    timeoutMs: 3_000,
  });
  return (JSON.parse(r.stdout || "[]") as FibRoute[]).map((x) => x.dst);
}

/** Polls the router's FIB every `intervalMs` until `accept(nextHops)`; returns ms since `since`, or undefined. */
export async function waitForFib(
  t: LabTopology,
  prefix: string,
  accept: (nextHops: number) => boolean,
  { since = Date.now(), timeoutMs = 10_000, intervalMs = 20 } = {},
): Promise<number | undefined> {
  const deadline = since + timeoutMs;
  const attempts = Math.ceil(timeoutMs / intervalMs) + 1;
  for (let i = 0; i < attempts && Date.now() <= deadline; i++) {
    if (accept(await fibNextHops(t, prefix))) return Date.now() - since;
    await sleep(intervalMs);
  }
  return undefined;
}

/**
 * Waits until the router has `count` next hops for each prefix: by default the VIP and the service range; a lab
 * whose preset advertises no VIP (`before`) passes the service range only.
 */
export async function waitForConverged(
  t: LabTopology,
  {
    count = t.nodes.length,
    timeoutMs = 30_000,
    prefixes = [`${t.vip}/128`, t.serviceCidr],
  }: { count?: number; timeoutMs?: number; prefixes?: string[] } = {},
): Promise<number> {
  const since = Date.now();
  for (const prefix of prefixes) {
    const left = timeoutMs - (Date.now() - since);
    const ms = await waitForFib(t, prefix, (n) => n === count, {
      since,
      timeoutMs: Math.max(left, 0),
      intervalMs: 50,
    });
    if (ms === undefined) {
      const states = await peerStates(t).catch(() => ({}));
      throw new Error(
        `router did not reach ${count} paths for ${prefix} in ${timeoutMs} ms (peers: ${JSON.stringify(states)})`,
      );
    }
  }
  return Date.now() - since;
}
