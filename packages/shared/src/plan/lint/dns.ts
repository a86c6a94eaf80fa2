// DNS rules: the names the console updates with nsupdate must sit in the zone, be distinct, and fail over in time.
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";
import { nameInZone, normalizeName } from "./lookup.js";

/** Above this TTL, resolvers keep a dead server's address long enough to matter for failover. */
const FAILOVER_TTL = 300;

function namesOutsideZone(plan: Plan): Finding[] {
  const { zone } = plan.dns;
  const names = [
    { path: "dns.roundRobinName", name: plan.dns.roundRobinName },
    { path: "dns.vipName", name: plan.dns.vipName },
  ];
  return names
    .filter((n) => !nameInZone(n.name, zone))
    .map(
      (n): Finding => ({
        id: "dns-name-outside-zone",
        severity: "error",
        message: `${n.path} ${n.name} is not inside the zone ${zone} (dns.zone): the console's nsupdate for it is sent to that zone and BIND answers NOTZONE, so the record is never created or changed.`,
        paths: [n.path, "dns.zone"],
        fix: `Use a name ending in .${normalizeName(zone)}, e.g. ${normalizeName(n.name).split(".")[0]}.${normalizeName(zone)}, or set dns.zone to the zone that holds ${normalizeName(n.name)}.`,
      }),
    );
}

function namesEqual(plan: Plan): Finding[] {
  const { roundRobinName, vipName } = plan.dns;
  if (normalizeName(roundRobinName) !== normalizeName(vipName)) return [];
  return [
    {
      id: "dns-names-equal",
      severity: "error",
      message: `dns.roundRobinName and dns.vipName are both ${normalizeName(vipName)}: the round-robin name carries one AAAA record per server, the VIP name exactly one for the VIP; as one name, every update of one set deletes the other and clients get a mix of node addresses and the VIP.`,
      paths: ["dns.roundRobinName", "dns.vipName"],
      fix: `Use two names, e.g. k8s-cluster.${normalizeName(plan.dns.zone)} for round robin and k8s-api.${normalizeName(plan.dns.zone)} for the VIP.`,
    },
  ];
}

function ttlHigh(plan: Plan): Finding[] {
  const { ttl } = plan.dns;
  if (ttl <= FAILOVER_TTL) return [];
  return [
    {
      id: "dns-ttl-high",
      severity: "info",
      message: `dns.ttl is ${ttl} s: after a server fails and the console removes its AAAA record, resolvers and clients may keep the old answer for up to ${ttl} s and keep trying the dead server.`,
      paths: ["dns.ttl"],
      fix: "Use 60 s for the round-robin records (the design document's value) unless query load matters more than failover time.",
    },
  ];
}

export const dnsRules: LintRule = (plan) => [
  ...namesOutsideZone(plan),
  ...namesEqual(plan),
  ...ttlHigh(plan),
];
