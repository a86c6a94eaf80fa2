// `show ipv6 route [<prefix>] json` (zebra vty_show_ip_route): what the router's FIB does with a prefix — the
// selected route's protocol and its next hops, with which of them are active and installed (FRR 8.4-10.x).
import { z } from "zod";
import { guarded, type Parsed, parseFailed, parseJsonOutput, withSchema } from "./parsed.js";

export const IPV6_ROUTE_ID = "frr-show-ipv6-route";

export interface FibNextHop {
  /** The gateway; absent for a connected route or a blackhole. */
  address?: string;
  interface?: string;
  active: boolean;
  /** In the kernel's FIB (FRR's `fib` flag). */
  fib: boolean;
}

export interface Ipv6Route {
  prefix: string;
  protocol: string;
  selected: boolean;
  installed: boolean;
  distance?: number;
  metric?: number;
  nextHops: FibNextHop[];
}

const nexthopSchema = z.object({
  ip: z.string().optional(),
  interfaceName: z.string().optional(),
  active: z.boolean().optional(),
  fib: z.boolean().optional(),
});

const routeSchema = z.object({
  prefix: z.string(),
  protocol: z.string(),
  selected: z.boolean().optional(),
  installed: z.boolean().optional(),
  distance: z.number().optional(),
  metric: z.number().optional(),
  nexthops: z.array(nexthopSchema).optional(),
});

const tableSchema = z.record(z.string(), z.array(routeSchema));

export function parseIpv6Routes(stdout: string): Parsed<Ipv6Route[]> {
  const id = IPV6_ROUTE_ID;
  return guarded(id, stdout, () => {
    const json = parseJsonOutput(id, stdout);
    if (!json.ok) return json;
    if (typeof json.value !== "object" || json.value === null || Array.isArray(json.value))
      return parseFailed(id, "expected a JSON object keyed by prefix", stdout);
    const r = withSchema(id, tableSchema, json.value, stdout);
    if (!r.ok) return r;
    return {
      ok: true,
      value: Object.values(r.value).flatMap((routes) =>
        routes.map((x) => ({
          prefix: x.prefix,
          protocol: x.protocol,
          selected: x.selected === true,
          installed: x.installed === true,
          ...(x.distance !== undefined ? { distance: x.distance } : {}),
          ...(x.metric !== undefined ? { metric: x.metric } : {}),
          nextHops: (x.nexthops ?? []).map((h) => ({
            ...(h.ip ? { address: h.ip } : {}),
            ...(h.interfaceName ? { interface: h.interfaceName } : {}),
            active: h.active === true,
            fib: h.fib === true,
          })),
        })),
      ),
    };
  });
}
