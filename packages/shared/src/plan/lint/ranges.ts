// Range layout rules: Kubernetes ranges apart from each other and from the host range, host range sane, CIDRs aligned.
import {
  alignCidr,
  cidrsOverlap,
  formatCidr,
  formatIp,
  intervalContainsInterval,
  intervalContainsIp,
  intervalIntersection,
  intervalsOverlap,
  isAligned,
} from "../../net/ip.js";
import type { PlanRange, RangeKind } from "../ranges.js";
import type { Plan } from "../schema.js";
import type { Finding, FixPatch, LintRule } from "./finding.js";
import {
  capitalize,
  describeRange,
  freeBlockFor,
  K8S_RANGE_KINDS,
  type PlanLayout,
  planLayout,
} from "./lookup.js";

const HANDED_OUT_BY: Partial<Record<RangeKind, string>> = {
  services: "the ClusterIP allocator",
  loadBalancers: "MetalLB",
  pods: "Calico IPAM",
};

/** Pairs of Kubernetes ranges that must not share addresses; the second is the one cheapest to move. */
const PAIRS: [RangeKind, RangeKind][] = [
  ["services", "loadBalancers"],
  ["services", "pods"],
  ["pods", "loadBalancers"],
];

function isInverted(r: PlanRange): boolean {
  return r.interval.first > r.interval.last;
}

function moveFix(layout: PlanLayout, r: PlanRange, reason: string): string {
  const free = freeBlockFor(layout, r);
  return free
    ? `Move ${describeRange(r)} to ${formatCidr(free)} (${reason}) and set ${r.path} to it.`
    : `Give ${describeRange(r)} its own block (${reason}) and set ${r.path} to it.`;
}

/** The moved range, and the API VIP with it when the VIP lived in the LoadBalancer range that moves. */
function movePatch(plan: Plan, layout: PlanLayout, r: PlanRange): { patch?: FixPatch[] } {
  const free = freeBlockFor(layout, r);
  if (!free) return {};
  const patch: FixPatch[] = [{ path: r.path, value: formatCidr(free) }];
  const vip = layout.addresses.find((a) => a.kind === "apiVip");
  const vipMoves =
    r.kind === "loadBalancers" &&
    vip &&
    vip.family === r.interval.family &&
    intervalContainsIp(r.interval, vip);
  if (vip && vipMoves) {
    const moved = formatIp(vip.family, free.address + (vip.value - r.interval.first));
    patch.push(
      { path: "network.apiVip", value: moved },
      { path: "k3s.tlsSan", value: [...plan.k3s.tlsSan.filter((n) => n !== plan.network.apiVip), moved] },
    );
  }
  return { patch };
}

function k8sRangeOverlap(plan: Plan, layout: PlanLayout): Finding[] {
  return PAIRS.flatMap(([kindA, kindB]): Finding[] => {
    const a = layout.range(kindA);
    const b = layout.range(kindB);
    if (!a?.cidr || !b?.cidr || !cidrsOverlap(a.cidr, b.cidr)) return [];
    const how = intervalContainsInterval(a.interval, b.interval)
      ? `${describeRange(b)} lies inside ${describeRange(a)}`
      : intervalContainsInterval(b.interval, a.interval)
        ? `${describeRange(a)} lies inside ${describeRange(b)}`
        : `${describeRange(a)} and ${describeRange(b)} share addresses`;
    return [
      {
        id: "k8s-range-overlap",
        severity: "error",
        message: `${capitalize(how)}: ${HANDED_OUT_BY[kindA]} and ${HANDED_OUT_BY[kindB]} hand out addresses without looking at each other, so one address can end up on two things at once, and the routes Calico advertises for them collide.`,
        paths: [a.path, b.path],
        fix: moveFix(
          layout,
          b,
          "free in the site prefix, outside the host range and the other Kubernetes ranges",
        ),
        ...movePatch(plan, layout, b),
      },
    ];
  });
}

function hostRangeOverlap(layout: PlanLayout): Finding[] {
  const hosts = layout.range("hosts");
  if (!hosts || isInverted(hosts)) return [];
  const overlapping = K8S_RANGE_KINDS.map((k) => layout.range(k)).filter(
    (r): r is PlanRange => r !== undefined && intervalsOverlap(hosts.interval, r.interval),
  );
  const above = overlapping.filter((r) => r.interval.first > hosts.interval.first);
  const lowestStart = above.reduce<bigint | null>(
    (low, r) => (low === null || r.interval.first < low ? r.interval.first : low),
    null,
  );
  return overlapping.map((r): Finding => {
    const contains = intervalContainsInterval(hosts.interval, r.interval);
    const fix =
      lowestStart !== null && r.interval.first > hosts.interval.first
        ? `Set network.hostRange.to to ${formatIp(hosts.interval.family, lowestStart - 1n)} so the host range ends below the Kubernetes ranges (as in the lab plan), and keep the router's DHCPv6 pool and static assignments inside it.`
        : moveFix(layout, r, "outside the host range");
    return {
      id: "host-range-overlap",
      severity: "error",
      message: `The host range ${hosts.text} ${contains ? "contains" : "overlaps"} ${describeRange(r)}: its addresses may be given to LAN hosts (DHCPv6, static) while ${HANDED_OUT_BY[r.kind]} hands out the same addresses; a host holding one is shadowed by the more specific route Calico advertises to the router, and on an on-link prefix LAN clients reach the host instead of the Kubernetes address.`,
      paths: [hosts.path, r.path],
      fix,
    };
  });
}

function hostRangeInverted(plan: Plan, layout: PlanLayout): Finding[] {
  const hosts = layout.range("hosts");
  if (!hosts || !isInverted(hosts) || !plan.network.hostRange) return [];
  const { from, to } = plan.network.hostRange;
  return [
    {
      id: "host-range-inverted",
      severity: "error",
      message: `The host range starts at ${from}, which is above its end ${to}: the range is empty, so no node address can be checked against it and no DHCPv6 pool can be derived from it.`,
      paths: [hosts.path],
      fix: `Swap the ends: from "${to}" to "${from}".`,
    },
  ];
}

function hostRangeOutsidePrefix(layout: PlanLayout): Finding[] {
  const hosts = layout.range("hosts");
  const prefix = layout.range("prefix");
  if (!hosts || !prefix?.cidr || isInverted(hosts) || hosts.interval.family !== prefix.cidr.family) return [];
  if (intervalContainsInterval(prefix.interval, hosts.interval)) return [];
  const inside = intervalIntersection(hosts.interval, prefix.interval);
  const fix = inside
    ? `Keep both ends inside ${prefix.text}: from "${formatIp(inside.family, inside.first)}" to "${formatIp(inside.family, inside.last)}".`
    : `Choose a host range inside ${prefix.text}, below the Kubernetes ranges.`;
  return [
    {
      id: "host-range-outside-prefix",
      severity: "error",
      message: `The host range ${hosts.text} reaches outside the site prefix ${prefix.text}: addresses outside the prefix are not on the LAN, so hosts given them are unreachable.`,
      paths: [hosts.path, prefix.path],
      fix,
    },
  ];
}

function cidrNotAligned(layout: PlanLayout): Finding[] {
  return layout.ranges.flatMap((r): Finding[] => {
    if (!r.cidr || isAligned(r.cidr)) return [];
    const aligned = formatCidr(alignCidr(r.cidr));
    return [
      {
        id: "cidr-not-aligned",
        severity: "error",
        message: `${r.path} is ${r.text}, which has bits set after the /${r.cidr.prefix} prefix length: some tools reject it, others silently use ${aligned}, so what gets configured (k3s, Calico, MetalLB, the router) may not be what you meant.`,
        paths: [r.path],
        fix: `Write the network address: ${aligned}.`,
        patch: [{ path: r.path, value: aligned }],
      },
    ];
  });
}

export const rangeLayoutRules: LintRule = (plan) => {
  const layout = planLayout(plan);
  return [
    ...k8sRangeOverlap(plan, layout),
    ...hostRangeOverlap(layout),
    ...hostRangeInverted(plan, layout),
    ...hostRangeOutsidePrefix(layout),
    ...cidrNotAligned(layout),
  ];
};
