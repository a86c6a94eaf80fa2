// `show bgp ipv6 unicast [<range> longer-prefixes] json` (bgp_show_table) and `show bgp ipv6 unicast <prefix> json`
// (bgp_show_route): the router's BGP paths per prefix, in FRR 8.4-10.x's shapes — the table form (an array of paths
// per prefix), `json detail` (9.1+: `{paths: […]}` per prefix, detail paths), 10.3's totals, `{}` for no prefix.
import { z } from "zod";
import { asnSchema } from "./asn.js";
import { guarded, type Parsed, parseFailed, parseJsonOutput, withSchema } from "./parsed.js";

export const BGP_ROUTES_ID = "frr-show-bgp-ipv6-unicast";
export const BGP_PREFIX_ID = "frr-show-bgp-ipv6-unicast-prefix";

export interface BgpPath {
  /** The global next hop (what the router forwards to once resolved). */
  nextHop: string;
  /** The link-local next hop when the peer sent one too (FRR's scope link-local). */
  nextHopLinkLocal?: string;
  /** The peer the path came from (its address). */
  peer: string;
  best: boolean;
  multipath: boolean;
  valid: boolean;
  /** Kept by graceful restart while the peer restarts; dropped at End-of-RIB or when the restart timer expires. */
  stale: boolean;
  asPath: string;
  origin?: string;
}

export interface BgpRoute {
  prefix: string;
  paths: BgpPath[];
}

export interface BgpTable {
  routerId?: string;
  localAs?: number;
  routes: BgpRoute[];
  /** FRR 10.3+ prints totals; older versions leave it to us. */
  totalRoutes: number;
  totalPaths: number;
}

const nexthopSchema = z.object({
  ip: z.string(),
  scope: z.string().optional(),
  used: z.boolean().optional(),
});

/** Table paths: FRR adds a boolean key only when it is true. */
const tablePathSchema = z.object({
  valid: z.boolean().optional(),
  bestpath: z.boolean().optional(),
  multipath: z.boolean().optional(),
  stale: z.boolean().optional(),
  peerId: z.string().optional(),
  path: z.string().optional(),
  origin: z.string().optional(),
  nexthops: z.array(nexthopSchema).optional(),
});

/** Detail paths (`json detail`, and `show bgp … <prefix> json`). */
const detailPathSchema = z.object({
  valid: z.boolean().optional(),
  bestpath: z.object({ overall: z.boolean().optional() }).optional(),
  multipath: z.boolean().optional(),
  stale: z.boolean().optional(),
  aspath: z.object({ string: z.string().optional() }).optional(),
  origin: z.string().optional(),
  nexthops: z.array(nexthopSchema).optional(),
  peer: z.object({ peerId: z.string().optional() }).optional(),
});

const tableSchema = z.object({
  routerId: z.string().optional(),
  localAS: asnSchema.optional(),
  routes: z.record(
    z.string(),
    z.union([z.array(tablePathSchema), z.object({ paths: z.array(detailPathSchema) })]),
  ),
  totalRoutes: z.number().int().nonnegative().optional(),
  totalPaths: z.number().int().nonnegative().optional(),
});

const prefixSchema = z.object({ prefix: z.string(), paths: z.array(detailPathSchema) });

type Nexthop = z.output<typeof nexthopSchema>;

function nextHops(list: Nexthop[] | undefined): { nextHop: string; nextHopLinkLocal?: string } {
  const all = list ?? [];
  const global = all.find((n) => n.scope !== "link-local") ?? all[0];
  const ll = all.find((n) => n.scope === "link-local" || n.ip.toLowerCase().startsWith("fe80:"));
  return { nextHop: global?.ip ?? "", ...(ll && ll !== global ? { nextHopLinkLocal: ll.ip } : {}) };
}

function fromTablePath(p: z.output<typeof tablePathSchema>): BgpPath {
  return {
    ...nextHops(p.nexthops),
    peer: p.peerId ?? "",
    best: p.bestpath === true,
    multipath: p.multipath === true,
    valid: p.valid === true,
    stale: p.stale === true,
    asPath: p.path ?? "",
    ...(p.origin ? { origin: p.origin } : {}),
  };
}

function fromDetailPath(p: z.output<typeof detailPathSchema>): BgpPath {
  return {
    ...nextHops(p.nexthops),
    peer: p.peer?.peerId ?? "",
    best: p.bestpath?.overall === true,
    multipath: p.multipath === true,
    valid: p.valid === true,
    stale: p.stale === true,
    asPath: p.aspath?.string ?? "",
    ...(p.origin ? { origin: p.origin } : {}),
  };
}

export function parseBgpTable(stdout: string): Parsed<BgpTable> {
  const id = BGP_ROUTES_ID;
  return guarded(id, stdout, () => {
    const json = parseJsonOutput(id, stdout);
    if (!json.ok) return json;
    const r = withSchema(id, tableSchema, json.value, stdout);
    if (!r.ok) return r;
    const routes: BgpRoute[] = Object.entries(r.value.routes).map(([prefix, v]) => ({
      prefix,
      paths: Array.isArray(v) ? v.map(fromTablePath) : v.paths.map(fromDetailPath),
    }));
    const paths = routes.reduce((n, x) => n + x.paths.length, 0);
    return {
      ok: true,
      value: {
        ...(r.value.routerId ? { routerId: r.value.routerId } : {}),
        ...(r.value.localAS !== undefined ? { localAs: r.value.localAS } : {}),
        routes,
        totalRoutes: r.value.totalRoutes ?? routes.length,
        totalPaths: r.value.totalPaths ?? paths,
      },
    };
  });
}

/** One prefix's paths; `undefined` when the router has no such prefix (FRR prints `{}`). */
export function parseBgpPrefix(stdout: string): Parsed<BgpRoute | undefined> {
  const id = BGP_PREFIX_ID;
  return guarded(id, stdout, () => {
    const json = parseJsonOutput(id, stdout);
    if (!json.ok) return json;
    if (typeof json.value === "object" && json.value !== null && Object.keys(json.value).length === 0)
      return { ok: true, value: undefined };
    const r = withSchema(id, prefixSchema, json.value, stdout);
    if (!r.ok) return r;
    if (!r.value.prefix.includes("/"))
      return parseFailed(id, `prefix "${r.value.prefix}" has no length`, stdout);
    return { ok: true, value: { prefix: r.value.prefix, paths: r.value.paths.map(fromDetailPath) } };
  });
}
