// The named ranges and key addresses of a plan, in one list that the linter and the address map both read.
import {
  type Cidr,
  cidrInterval,
  formatCidr,
  formatIp,
  type IpInterval,
  parseCidr,
  parseIp,
} from "../net/ip.js";
import type { Plan } from "./schema.js";

export type RangeKind = "prefix" | "hosts" | "pods" | "services" | "loadBalancers";
export type AddressKind = "router" | "node" | "clusterDns" | "apiVip" | "dnsServer";

export interface PlanRange {
  kind: RangeKind;
  /** Plan path of the field that defines the range. */
  path: string;
  label: string;
  /** The text as written in the plan. */
  text: string;
  interval: IpInterval;
  /** Set when the range is a CIDR (every range but the host range). */
  cidr?: Cidr;
}

export interface PlanAddress {
  kind: AddressKind;
  path: string;
  label: string;
  text: string;
  /** Canonical form (RFC 5952). */
  canonical: string;
  family: 4 | 6;
  value: bigint;
}

export function planRanges(plan: Plan): PlanRange[] {
  const out: PlanRange[] = [];
  const addCidr = (kind: RangeKind, path: string, label: string, text: string) => {
    const cidr = parseCidr(text);
    if (cidr) out.push({ kind, path, label, text, cidr, interval: cidrInterval(cidr) });
  };
  const n = plan.network;
  addCidr("prefix", "network.prefix", "Site prefix", n.prefix);
  if (n.hostRange) {
    const from = parseIp(n.hostRange.from);
    const to = parseIp(n.hostRange.to);
    if (from && to && from.family === to.family) {
      out.push({
        kind: "hosts",
        path: "network.hostRange",
        label: "Host range",
        text: `${n.hostRange.from} – ${n.hostRange.to}`,
        interval: { family: from.family, first: from.value, last: to.value },
      });
    }
  }
  addCidr("services", "network.serviceCidr", "ClusterIP services", n.serviceCidr);
  addCidr("loadBalancers", "network.loadBalancerCidr", "LoadBalancer IPs", n.loadBalancerCidr);
  addCidr("pods", "network.podCidr", "Pods", n.podCidr);
  return out;
}

/** "Router edge1", but "Router" for a router named "router" (never "Router router"). */
function withRole(role: string, name: string): string {
  return name.toLowerCase() === role.toLowerCase() ? role : `${role} ${name}`;
}

export function planAddresses(plan: Plan): PlanAddress[] {
  const out: PlanAddress[] = [];
  const add = (kind: AddressKind, path: string, label: string, text: string) => {
    const ip = parseIp(text);
    if (ip)
      out.push({
        kind,
        path,
        label,
        text,
        canonical: formatIp(ip.family, ip.value),
        family: ip.family,
        value: ip.value,
      });
  };
  add("router", "bgp.router.address", withRole("Router", plan.bgp.router.name), plan.bgp.router.address);
  plan.nodes.forEach((node, i) => {
    add("node", `nodes[${i}].address`, withRole("Node", node.name), node.address);
  });
  add("clusterDns", "network.clusterDns", "Cluster DNS", plan.network.clusterDns);
  add("apiVip", "network.apiVip", "API VIP", plan.network.apiVip);
  add("dnsServer", "dns.server", "DNS server", plan.dns.server);
  return out;
}

export function rangeText(r: PlanRange): string {
  return r.cidr ? formatCidr(r.cidr) : r.text;
}
