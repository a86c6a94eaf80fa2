// The router source: FRR's sessions (summary, neighbor timers, BFD) and, for the plan's ranges only, the BGP table
// and the FIB — so a router carrying a full Internet table costs nothing — parsed and named after the plan's nodes.
import {
  type BatchPart,
  type CommandParams,
  cidrContainsCidr,
  commands,
  ipv6Peers,
  type NameOf,
  namesFrom,
  type Parsed,
  type Plan,
  parseCidr,
  type RegisteredCommandId,
  type RouterSnapshot,
  routerSnapshotOf,
} from "@k3s-ha/shared";
import type { SshPool } from "../plugins/ssh.js";
import { CollectError } from "./poller.js";

export type { RouterSnapshot } from "@k3s-ha/shared";

/**
 * The ranges the console asks the router about: the service range, the LoadBalancer range (the VIP is in it) and the
 * pod range (which must be empty there).
 */
export function routerRanges(plan: Plan): string[] {
  const net = plan.network;
  // The pod range too: the audit must see a pod route that leaked to the router.
  const ranges = [net.serviceCidr, net.loadBalancerCidr, `${net.apiVip}/128`, net.podCidr].filter(
    (r): r is string => typeof r === "string" && r.length > 0,
  );
  return [...new Set(ranges)];
}

/** The ranges worth a query: one already inside another (the VIP in the LoadBalancer range) comes with it. */
function queryRanges(ranges: string[]): string[] {
  const cidrs = ranges.map((r) => ({ r, c: parseCidr(r) }));
  return cidrs
    .filter(
      ({ r, c }) =>
        !cidrs.some((o) => o.r !== r && o.c && c && o.c.family === c.family && cidrContainsCidr(o.c, c)),
    )
    .map(({ r }) => r);
}

/** Addresses named after the plan: its nodes, and the router. */
export function planNames(plan: Plan): NameOf {
  return namesFrom([
    ...plan.nodes.map((n) => ({ name: n.name, address: n.address })),
    { name: "router", address: plan.bgp.router.address },
  ]);
}

function value<T>(r: Parsed<T>): T {
  if (!r.ok) throw new CollectError(r.error.code, `${r.error.commandId}: ${r.error.message}`);
  return r.value;
}

/**
 * A pfSense router whose FRR does not answer: if it is the backup of a CARP pair its FRR package keeps FRR stopped,
 * and the source is `standby` (ROUTER_STANDBY) rather than failing. Anything else keeps the original error.
 */
async function standbyOr(pool: SshPool, plan: Plan, err: unknown, signal: AbortSignal): Promise<never> {
  if (
    plan.bgp.router.platform !== "pfsense-frr" ||
    !(err instanceof CollectError) ||
    err.code !== "COMMAND_FAILED"
  )
    throw err;
  const out = await pool.exec("router", "pfsense-ifconfig", {}, signal).catch(() => undefined);
  const carp = out ? commands["pfsense-ifconfig"].parse(out.stdout) : undefined;
  if (!carp?.ok || !carp.value.standby) throw err;
  const vhids = carp.value.vhids.map((v) => `vhid ${v.vhid} ${v.state} on ${v.interface}`).join(", ");
  throw new CollectError(
    "ROUTER_STANDBY",
    `the router is the CARP backup (${vhids}): pfSense's FRR package runs FRR on the master only`,
  );
}

export interface RouterPollOptions {
  /** FRR's version from an earlier poll: `show version` is asked only now and then, not every 2 s. */
  knownVersion?: string;
}

export async function collectRouter(
  pool: SshPool,
  plan: Plan,
  signal: AbortSignal,
  options: RouterPollOptions = {},
): Promise<RouterSnapshot> {
  try {
    return await collectRouterFrr(pool, plan, signal, options);
  } catch (err) {
    return standbyOr(pool, plan, err, signal);
  }
}

async function collectRouterFrr(
  pool: SshPool,
  plan: Plan,
  signal: AbortSignal,
  options: RouterPollOptions,
): Promise<RouterSnapshot> {
  const run = async <I extends RegisteredCommandId>(id: I, params: CommandParams<I>) => {
    const out = await pool.exec("router", id, params, signal);
    if (out.code !== 0 && out.stdout.trim() === "")
      throw new CollectError(
        "COMMAND_FAILED",
        `${id} exited ${out.code}: ${out.stderr.trim().split("\n")[0] ?? ""}`,
      );
    return out.stdout;
  };
  const ranges = queryRanges(routerRanges(plan));
  const parts: BatchPart[] = [
    { id: "frr-show-bgp-summary", params: {} },
    { id: "frr-show-bgp-neighbors", params: {} },
    { id: "frr-show-bfd-peers", params: {} },
    ...ranges.map((range): BatchPart => ({ id: "frr-show-bgp-ipv6-unicast", params: { range } })),
    ...ranges.map((range): BatchPart => ({ id: "frr-show-ipv6-route", params: { range } })),
  ];
  // One channel for the JSON commands; if vtysh stopped at a failing one, each on its own names it.
  const [version, outputs] = await Promise.all([
    options.knownVersion ? Promise.resolve(undefined) : run("frr-show-version", {}),
    pool
      .execVtyshBatch("router", parts, signal)
      .then((o) => o ?? Promise.all(parts.map((p) => run(p.id, p.params as never)))),
  ]);
  const [summary = "", neighbors = "", bfd = "", ...rest] = outputs;
  const tables = rest
    .slice(0, ranges.length)
    .map((t) => value(commands["frr-show-bgp-ipv6-unicast"].parse(t)));
  const fib = rest.slice(ranges.length).flatMap((t) => value(commands["frr-show-ipv6-route"].parse(t)));
  const v = version === undefined ? undefined : commands["frr-show-version"].parse(version);
  const frrVersion = v?.ok ? v.value.version : options.knownVersion;
  return routerSnapshotOf(
    {
      ...(frrVersion ? { frrVersion } : {}),
      summary: ipv6Peers(value(commands["frr-show-bgp-summary"].parse(summary))),
      neighbors: value(commands["frr-show-bgp-neighbors"].parse(neighbors)),
      bfd: value(commands["frr-show-bfd-peers"].parse(bfd)),
      routes: tables.flatMap((t) => t.routes),
      fib,
    },
    planNames(plan),
  );
}
