// MetalLB's allocator, reduced to what the lab needs: pools from IPAddressPools, who holds which IP, and the errors
// MetalLB reports (internal/allocator) when a pool is exhausted or an address is taken.
import { cidrFirst, cidrLast, formatIp, type IpFamily, parseCidr, parseIp } from "@k3s-ha/shared";
import { isObject, type KubeObject } from "../meta.js";

export interface Pool {
  name: string;
  autoAssign: boolean;
  /** spec.serviceAllocation: the pool serves only the Services these select (undefined: every Service). */
  allocation?: {
    namespaces: string[];
    namespaceSelectors: Record<string, string>[];
    serviceSelectors: Record<string, string>[];
  };
  avoidBuggyIPs: boolean;
  priority: number;
  ranges: Array<{ family: IpFamily; first: bigint; last: bigint }>;
}

export function parsePool(obj: KubeObject): Pool {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const ranges: Pool["ranges"] = [];
  for (const entry of Array.isArray(spec.addresses) ? spec.addresses : []) {
    const text = String(entry).trim();
    const cidr = parseCidr(text);
    if (cidr) {
      ranges.push({ family: cidr.family, first: cidrFirst(cidr), last: cidrLast(cidr) });
      continue;
    }
    const [a, b] = text.split("-").map((s) => parseIp(s.trim()));
    if (a && b && a.family === b.family && a.value <= b.value)
      ranges.push({ family: a.family, first: a.value, last: b.value });
  }
  const alloc = isObject(spec.serviceAllocation) ? spec.serviceAllocation : {};
  const labelMaps = (v: unknown) =>
    (Array.isArray(v) ? v : []).map((sel) =>
      isObject(sel) && isObject(sel.matchLabels) ? (sel.matchLabels as Record<string, string>) : {},
    );
  return {
    name: obj.metadata.name ?? "",
    autoAssign: spec.autoAssign !== false,
    ...(isObject(spec.serviceAllocation)
      ? {
          allocation: {
            namespaces: (Array.isArray(alloc.namespaces) ? alloc.namespaces : []).map(String),
            namespaceSelectors: labelMaps(alloc.namespaceSelectors),
            serviceSelectors: labelMaps(alloc.serviceSelectors),
          },
        }
      : {}),
    avoidBuggyIPs: spec.avoidBuggyIPs === true,
    priority: typeof alloc.priority === "number" ? alloc.priority : Number.MAX_SAFE_INTEGER,
    ranges,
  };
}

const buggy = (family: IpFamily, v: bigint) => family === 4 && ((v & 0xffn) === 0n || (v & 0xffn) === 0xffn);

export function poolFor(pools: readonly Pool[], ip: string): Pool | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  return pools.find(
    (p) =>
      !(p.avoidBuggyIPs && buggy(parsed.family, parsed.value)) &&
      p.ranges.some((r) => r.family === parsed.family && parsed.value >= r.first && parsed.value <= r.last),
  );
}

export function poolSize(pool: Pool, family: IpFamily): bigint {
  return pool.ranges.filter((r) => r.family === family).reduce((n, r) => n + (r.last - r.first + 1n), 0n);
}

/** Which service holds which address: "ns/name" keyed by canonical IP. */
export class Assignments {
  private readonly byIp = new Map<string, string>();

  holder(ip: string): string | undefined {
    return this.byIp.get(canonical(ip));
  }

  assign(ip: string, svc: string): void {
    this.byIp.set(canonical(ip), svc);
  }

  release(svc: string): void {
    for (const [ip, who] of this.byIp) if (who === svc) this.byIp.delete(ip);
  }

  countIn(pool: Pool, family: IpFamily): number {
    let n = 0;
    for (const ip of this.byIp.keys()) if (parseIp(ip)?.family === family && poolFor([pool], ip)) n++;
    return n;
  }

  /** Assign (allocator.Assign): the address must be in a pool and free (no IP sharing in the lab). */
  tryAssign(pools: readonly Pool[], ip: string, svc: string): string | undefined {
    // allocator.go: fmt.Errorf("%q is not allowed in config", ips) — Go's %q of an IP list.
    if (!poolFor(pools, ip)) return `["${ip}"] is not allowed in config`;
    const holder = this.holder(ip);
    if (holder && holder !== svc)
      return `can't change sharing key for "${svc}", address also in use by ${holder}`;
    this.assign(ip, svc);
    return undefined;
  }

  /** AllocateFromPool: the first free address of the family. */
  fromPool(pool: Pool, family: IpFamily, svc: string): string | undefined {
    for (const r of pool.ranges) {
      if (r.family !== family) continue;
      const limit = r.first + 1_000_000n < r.last ? r.first + 1_000_000n : r.last;
      for (let v = r.first; v <= limit; v++) {
        if (pool.avoidBuggyIPs && buggy(family, v)) continue;
        const ip = formatIp(family, v);
        if (!this.holder(ip)) {
          this.assign(ip, svc);
          return ip;
        }
      }
    }
    return undefined;
  }
}

export const canonical = (ip: string) => {
  const p = parseIp(ip);
  return p ? formatIp(p.family, p.value) : ip;
};

const matchesAll = (want: Record<string, string>, have: Record<string, string> | undefined) =>
  Object.entries(want).every(([k, v]) => have?.[k] === v);

/**
 * Whether a pool may serve a Service: a pool without serviceAllocation serves every Service; one with it only
 * those in its namespaces (or namespaces its selectors match) and matching one of its service selectors.
 */
export function poolServes(
  pool: Pool,
  svc: KubeObject,
  namespaceLabels: (ns: string) => Record<string, string> | undefined,
): boolean {
  const a = pool.allocation;
  if (!a) return true;
  const ns = svc.metadata.namespace ?? "";
  const nsOk =
    (a.namespaces.length === 0 && a.namespaceSelectors.length === 0) ||
    a.namespaces.includes(ns) ||
    a.namespaceSelectors.some((sel) => matchesAll(sel, namespaceLabels(ns)));
  const svcOk =
    a.serviceSelectors.length === 0 || a.serviceSelectors.some((sel) => matchesAll(sel, svc.metadata.labels));
  return nsOk && svcOk;
}
