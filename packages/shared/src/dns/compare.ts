// compareDnsName: what the DNS server answered for a name against what the plan expects of it.
import { canonicalIp, cidrContainsIp, parseCidr, parseIp } from "../net/ip.js";
import type { Plan } from "../plan/schema.js";
import type { DnsNameView } from "../protocol/dns.js";

export interface DnsLookup {
  answers: { address: string; ttl: number }[];
  error?: { code: string; message: string };
}

const canon = (a: string) => canonicalIp(a) ?? a;

/** The names the plan publishes and the addresses each must answer. */
export function expectedDnsNames(
  plan: Plan,
): { name: string; kind: DnsNameView["kind"]; expected: string[] }[] {
  const servers = plan.nodes.filter((n) => n.role === "server").map((n) => canon(n.address));
  return [
    { name: plan.dns.roundRobinName, kind: "round-robin", expected: servers },
    { name: plan.dns.vipName, kind: "vip-name", expected: [canon(plan.network.apiVip)] },
  ];
}

export function compareDnsName(
  plan: Plan,
  want: { name: string; kind: DnsNameView["kind"]; expected: string[] },
  lookup: DnsLookup,
): DnsNameView {
  const answers = lookup.answers.map((a) => ({ address: canon(a.address), ttl: a.ttl }));
  const got = new Set(answers.map((a) => a.address));
  const missing = want.expected.filter((a) => !got.has(a));
  const network = parseCidr(plan.network.prefix);
  const extra = [...got]
    .filter((a) => !want.expected.includes(a))
    .map((address) => {
      const ip = parseIp(address);
      return { address, stale: !!(network && ip && cidrContainsIp(network, ip)) };
    });
  const ttlOk = answers.every((a) => a.ttl === plan.dns.ttl);
  return {
    name: want.name,
    kind: want.kind,
    expected: want.expected,
    answers,
    missing,
    extra,
    ttlExpected: plan.dns.ttl,
    ttlOk,
    ...(lookup.error ? { error: lookup.error } : {}),
    consistent: !lookup.error && missing.length === 0 && extra.length === 0 && ttlOk,
  };
}
