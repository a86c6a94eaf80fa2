// Look-ups the rule families share: a plan's ranges and addresses by kind, and DNS name comparison.
import {
  type Cidr,
  cidrContainsCidr,
  cidrFirst,
  cidrSize,
  familyBits,
  formatIp,
  type IpInterval,
  intervalsOverlap,
} from "../../net/ip.js";
import { type PlanAddress, type PlanRange, planAddresses, planRanges, type RangeKind } from "../ranges.js";
import type { Plan } from "../schema.js";

/** The ranges Kubernetes hands addresses out of. */
export const K8S_RANGE_KINDS: readonly RangeKind[] = ["services", "loadBalancers", "pods"];

export interface PlanLayout {
  ranges: PlanRange[];
  addresses: PlanAddress[];
  range(kind: RangeKind): PlanRange | undefined;
}

export function planLayout(plan: Plan): PlanLayout {
  const ranges = planRanges(plan);
  const addresses = planAddresses(plan);
  return { ranges, addresses, range: (kind) => ranges.find((r) => r.kind === kind) };
}

/** The address `offset` places after the network address of a CIDR range, in canonical text. */
export function addressInRange(r: PlanRange, offset: bigint): string {
  return formatIp(r.interval.family, r.interval.first + offset);
}

/** A DNS name in comparable form: lower case, no trailing dot. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

export function nameInZone(name: string, zone: string): boolean {
  const n = normalizeName(name);
  const z = normalizeName(zone);
  return n === z || n.endsWith(`.${z}`);
}

/** "the ClusterIP range 2001:db8::/112" — a range as the operator reads it in a message. */
export function describeRange(r: PlanRange): string {
  const names: Record<RangeKind, string> = {
    prefix: "the site prefix",
    hosts: "the host range",
    pods: "the pod range",
    services: "the ClusterIP range",
    loadBalancers: "the LoadBalancer range",
  };
  return `${names[r.kind]} ${r.text}`;
}

/**
 * A block of the same size as `moving` inside the site prefix that overlaps no other range and no node or router
 * address, searched on boundaries of the first hextet after the prefix (ff01::/112 rather than ff00::1:0/112),
 * starting at the block's own slot. Null when the range is not inside the prefix or nothing is free.
 */
export function freeBlockFor(layout: PlanLayout, moving: PlanRange): Cidr | null {
  const prefix = layout.range("prefix")?.cidr;
  const cidr = moving.cidr;
  if (!prefix || !cidr || !cidrContainsCidr(prefix, cidr)) return null;
  const bits = familyBits(prefix.family);
  const granularity = Math.min(cidr.prefix, prefix.prefix + 16);
  const step = 1n << BigInt(bits - granularity);
  const slots = 1n << BigInt(granularity - prefix.prefix);
  const base = cidrFirst(prefix);
  const size = cidrSize(cidr);
  const occupied: IpInterval[] = [
    ...layout.ranges.filter((r) => r.kind !== "prefix" && r.path !== moving.path).map((r) => r.interval),
    ...layout.addresses
      .filter((a) => a.kind === "router" || a.kind === "node")
      .map((a) => ({ family: a.family, first: a.value, last: a.value })),
  ].filter((o) => o.first <= o.last);
  const start = (cidrFirst(cidr) - base) / step;
  for (let k = 0n; k < slots; k++) {
    const first = base + ((start + k) % slots) * step;
    const candidate: IpInterval = { family: prefix.family, first, last: first + size - 1n };
    if (!occupied.some((o) => intervalsOverlap(o, candidate))) {
      return { family: prefix.family, address: first, prefix: cidr.prefix };
    }
  }
  return null;
}

/** The sentence-initial form of a phrase ("the pod range …" → "The pod range …"). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "the router pfsense", or just "the router" when it is named that. */
export function routerName(plan: Plan): string {
  const { name } = plan.bgp.router;
  return name.toLowerCase() === "router" ? "the router" : `the router ${name}`;
}
