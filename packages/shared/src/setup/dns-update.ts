// The signed dynamic updates the DNS steps send (nsupdate's input): one name's AAAA records replaced in one update
// — delete and add together, so no resolver sees the name half-written — built only from the plan's validated names
// and canonical IPv6 addresses.
import { canonicalIp } from "../net/ip.js";
import type { Plan } from "../plan/schema.js";

export interface AaaaUpdate {
  name: string;
  ttl: number;
  /** The addresses the name answers afterwards (none: the name is deleted). */
  addresses: readonly string[];
}

const NAME = /^[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const fqdn = (n: string) => (n.endsWith(".") ? n : `${n}.`);

/** nsupdate's script for one name, or an error naming what is not a name or an IPv6 address. */
export function renderNsupdate(
  plan: Plan,
  update: AaaaUpdate,
): { ok: true; script: string } | { ok: false; message: string } {
  if (!NAME.test(update.name) || update.name.length > 253)
    return { ok: false, message: `not a DNS name: ${JSON.stringify(update.name.slice(0, 60))}` };
  if (!NAME.test(plan.dns.zone)) return { ok: false, message: `dns.zone is not a DNS name` };
  const server = canonicalIp(plan.dns.server);
  if (!server) return { ok: false, message: "dns.server is not an IP address" };
  const addresses: string[] = [];
  for (const a of update.addresses) {
    const ip = canonicalIp(a);
    if (!ip?.includes(":"))
      return { ok: false, message: `not an IPv6 address: ${JSON.stringify(a.slice(0, 60))}` };
    addresses.push(ip);
  }
  if (!Number.isInteger(update.ttl) || update.ttl < 0 || update.ttl > 2147483647)
    return { ok: false, message: `not a TTL: ${update.ttl}` };
  const name = fqdn(update.name.toLowerCase());
  return {
    ok: true,
    script: [
      `server ${server} ${plan.dns.port}`,
      `zone ${fqdn(plan.dns.zone.toLowerCase())}`,
      `update delete ${name} AAAA`,
      ...[...new Set(addresses)].map((a) => `update add ${name} ${update.ttl} AAAA ${a}`),
      "send",
      "",
    ].join("\n"),
  };
}

/** What the round-robin name must answer: every server's address, the plan's TTL. */
export function roundRobinUpdate(plan: Plan): AaaaUpdate {
  return {
    name: plan.dns.roundRobinName,
    ttl: plan.dns.ttl,
    addresses: plan.nodes.filter((n) => n.role === "server").map((n) => n.address),
  };
}

/** What the VIP's name must answer: the VIP, the plan's TTL. */
export function vipNameUpdate(plan: Plan): AaaaUpdate {
  return { name: plan.dns.vipName, ttl: plan.dns.ttl, addresses: [plan.network.apiVip] };
}
