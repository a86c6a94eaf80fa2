// The allocation map's view of a plan: its ranges and key addresses, where each sits against the site prefix, overlaps.
import {
  type IpInterval,
  type Plan,
  type PlanAddress,
  type PlanRange,
  planAddresses,
  planRanges,
  rangeText,
} from "@k3s-ha/shared";
import { type Block, blockFromCidr, intersectIntervals, relation } from "./layout";

export type Placement = "inside" | "partly" | "outside";

export interface MapRange extends PlanRange {
  /** CIDR in canonical form, or the host range as written. */
  display: string;
  /** Against the site prefix. */
  placement: Placement;
}

export interface MapAddress extends PlanAddress {
  interval: IpInterval;
  placement: Placement;
}

export interface Overlap {
  /** Paths of the two ranges. */
  paths: [string, string];
  labels: [string, string];
  interval: IpInterval;
}

export interface PlanMap {
  /** The site prefix as a block; null when the plan has none that parses. */
  root: Block | null;
  ranges: MapRange[];
  addresses: MapAddress[];
  overlaps: Overlap[];
}

function overlapsOf(ranges: readonly MapRange[]): Overlap[] {
  const lanes = ranges.filter((r) => r.kind !== "prefix");
  return lanes.flatMap((a, i) =>
    lanes.slice(i + 1).flatMap((b): Overlap[] => {
      const interval = intersectIntervals(a.interval, b.interval);
      return interval ? [{ paths: [a.path, b.path], labels: [a.label, b.label], interval }] : [];
    }),
  );
}

export function buildPlanMap(plan: Plan): PlanMap {
  const found = planRanges(plan);
  const prefix = found.find((r) => r.kind === "prefix");
  const root = prefix?.cidr ? blockFromCidr(prefix.cidr) : null;
  const place = (iv: IpInterval): Placement => (root ? relation(root, iv) : "outside");
  const ranges = found.map((r) => ({ ...r, display: rangeText(r), placement: place(r.interval) }));
  const addresses = planAddresses(plan).map((a) => {
    const interval = { family: a.family, first: a.value, last: a.value };
    return { ...a, interval, placement: place(interval) };
  });
  return { root, ranges, addresses, overlaps: overlapsOf(ranges) };
}

/** Ranges (site prefix excluded) that hold an address. */
export function rangesHolding(map: PlanMap, address: MapAddress): MapRange[] {
  return map.ranges.filter(
    (r) =>
      r.kind !== "prefix" &&
      r.interval.family === address.family &&
      r.interval.first <= address.value &&
      address.value <= r.interval.last,
  );
}

/** Addresses that lie in a range. */
export function addressesIn(map: PlanMap, range: MapRange): MapAddress[] {
  return map.addresses.filter(
    (a) =>
      a.family === range.interval.family && range.interval.first <= a.value && a.value <= range.interval.last,
  );
}

export function overlapsOfRange(map: PlanMap, path: string): Overlap[] {
  return map.overlaps.filter((o) => o.paths.includes(path));
}
