// Address family rules: the plan is IPv6-only, uses no special-purpose addresses, and says when it is still documentation.
import {
  type Cidr,
  cidrsOverlap,
  DOCUMENTATION_V6,
  type IpAddress,
  parseCidr,
  parseIp,
} from "../../net/ip.js";
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";

/** One address or CIDR field of the plan, with the path the address map uses. */
interface AddressField {
  path: string;
  text: string;
  kind: "address" | "cidr" | "tls-san";
}

function addressFields(plan: Plan): AddressField[] {
  const n = plan.network;
  const out: AddressField[] = [
    { path: "network.prefix", text: n.prefix, kind: "cidr" },
    ...(n.hostRange
      ? [
          { path: "network.hostRange.from", text: n.hostRange.from, kind: "address" as const },
          { path: "network.hostRange.to", text: n.hostRange.to, kind: "address" as const },
        ]
      : []),
    { path: "network.podCidr", text: n.podCidr, kind: "cidr" },
    { path: "network.serviceCidr", text: n.serviceCidr, kind: "cidr" },
    { path: "network.clusterDns", text: n.clusterDns, kind: "address" },
    { path: "network.loadBalancerCidr", text: n.loadBalancerCidr, kind: "cidr" },
    { path: "network.apiVip", text: n.apiVip, kind: "address" },
    { path: "bgp.router.address", text: plan.bgp.router.address, kind: "address" },
    ...plan.nodes.map((node, i) => ({
      path: `nodes[${i}].address`,
      text: node.address,
      kind: "address" as const,
    })),
    { path: "dns.server", text: plan.dns.server, kind: "address" },
  ];
  plan.k3s.tlsSan.forEach((san, i) => {
    if (parseIp(san)) out.push({ path: `k3s.tlsSan[${i}]`, text: san, kind: "tls-san" });
  });
  return out;
}

/** The field as a CIDR (an address is its /128 or /32), or null when it does not parse. */
function fieldCidr(f: AddressField): Cidr | null {
  if (f.kind === "cidr") return parseCidr(f.text);
  const ip: IpAddress | null = parseIp(f.text);
  return ip ? { family: ip.family, address: ip.value, prefix: ip.family === 6 ? 128 : 32 } : null;
}

function ipv4InPlan(plan: Plan): Finding[] {
  return addressFields(plan).flatMap((f): Finding[] => {
    if (fieldCidr(f)?.family !== 4) return [];
    const fix =
      f.kind === "tls-san"
        ? `Remove "${f.text}" from k3s.tlsSan: clients reach the API server over IPv6 only.`
        : `Replace ${f.text} with an IPv6 ${f.kind === "cidr" ? "CIDR" : "address"}${f.path === "network.prefix" ? " (your delegated /64)" : ` inside the site prefix ${plan.network.prefix} or a prefix routed to the cluster`}.`;
    return [
      {
        id: "ipv4-in-plan",
        severity: "error",
        message: `${f.path} is the IPv4 value ${f.text}, but this plan describes an IPv6-only cluster: k3s, Calico's IPv6 pool, the IPv6 BGP session and the AAAA records never use it, so whatever depends on this field will not work.`,
        paths: [f.path],
        fix,
      },
    ];
  });
}

const SPECIAL_V6: { cidr: Cidr; what: string }[] = [
  { text: "::/128", what: "the unspecified address" },
  { text: "::1/128", what: "the loopback address" },
  { text: "::ffff:0:0/96", what: "an IPv4-mapped address (an IPv4 address in IPv6 notation)" },
  {
    text: "fe80::/10",
    what: "link-local (valid on one link only, never routed, unusable for BGP next hops or services)",
  },
  { text: "ff00::/8", what: "multicast" },
].map(({ text, what }) => ({ cidr: parseCidr(text) as Cidr, what }));

function specialPurpose(plan: Plan): Finding[] {
  // A loopback or link-local tls-san entry is harmless (k3s lists ::1 itself), so only addresses the plan uses count.
  return addressFields(plan).flatMap((f): Finding[] => {
    const c = fieldCidr(f);
    if (c?.family !== 6 || f.kind === "tls-san") return [];
    const hit = SPECIAL_V6.find((s) => cidrsOverlap(s.cidr, c));
    if (!hit) return [];
    return [
      {
        id: "special-purpose-address",
        severity: "error",
        message: `${f.path} is ${f.text}, which is ${hit.what}; hosts and routers do not forward it like a normal unicast address, so nothing configured with it will be reachable.`,
        paths: [f.path],
        fix: `Use a global unicast address (2000::/3) from your prefix ${plan.network.prefix}, or a unique local address (fd00::/8) for a closed lab.`,
      },
    ];
  });
}

const DOCUMENTATION_PREFIXES: Cidr[] = [DOCUMENTATION_V6, parseCidr("3fff::/20") as Cidr];

function documentationPrefix(plan: Plan): Finding[] {
  const used = addressFields(plan).filter((f) => {
    const c = fieldCidr(f);
    return c !== null && DOCUMENTATION_PREFIXES.some((d) => cidrsOverlap(d, c));
  });
  if (used.length === 0) return [];
  const prefixNote = used.some((f) => f.path === "network.prefix")
    ? ` (starting with network.prefix ${plan.network.prefix})`
    : "";
  return [
    {
      id: "documentation-prefix",
      severity: "info",
      message: `${used.length} address value${used.length > 1 ? "s are in" : " is in"} documentation space${prefixNote}: 2001:db8::/32 (RFC 3849) and 3fff::/20 (RFC 9637) are reserved for examples and labs and are never routed on the Internet.`,
      paths: used.map((f) => f.path),
      fix: "Before production, replace the documentation prefix with your own delegated prefix in every listed field (keep the same layout inside the /64).",
    },
  ];
}

export const addressFamilyRules: LintRule = (plan) => [
  ...ipv4InPlan(plan),
  ...specialPurpose(plan),
  ...documentationPrefix(plan),
];
