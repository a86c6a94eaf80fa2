// AS number rules: private ASNs on both ends of an eBGP session, never reserved or documentation numbers.
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";
import { routerName } from "./lookup.js";

type AsnClass = "reserved" | "documentation" | "private" | "public";

/** IANA special-purpose AS numbers (RFC 1930, 5398, 6793, 6996, 7300, 7607). */
const SPECIAL: { first: number; last: number; cls: AsnClass; why: string }[] = [
  { first: 0, last: 0, cls: "reserved", why: "AS 0 is reserved (RFC 7607)" },
  {
    first: 23456,
    last: 23456,
    cls: "reserved",
    why: "AS 23456 is AS_TRANS (RFC 6793), the placeholder 2-byte speakers see for 4-byte ASNs",
  },
  {
    first: 64496,
    last: 64511,
    cls: "documentation",
    why: "64496-64511 are reserved for documentation (RFC 5398)",
  },
  { first: 64512, last: 65534, cls: "private", why: "" },
  { first: 65535, last: 65535, cls: "reserved", why: "AS 65535 is reserved (RFC 7300)" },
  {
    first: 65536,
    last: 65551,
    cls: "documentation",
    why: "65536-65551 are reserved for documentation (RFC 5398)",
  },
  { first: 65552, last: 131071, cls: "reserved", why: "65552-131071 are reserved by IANA" },
  { first: 4200000000, last: 4294967294, cls: "private", why: "" },
  { first: 4294967295, last: 4294967295, cls: "reserved", why: "AS 4294967295 is reserved (RFC 7300)" },
];

function classifyAsn(asn: number): { cls: AsnClass; why: string } {
  return SPECIAL.find((s) => asn >= s.first && asn <= s.last) ?? { cls: "public", why: "" };
}

const PRIVATE_HINT = "private ASNs are 64512-65534 (2-byte) and 4200000000-4294967294 (4-byte)";

function asnClassRules(plan: Plan): Finding[] {
  const speakers = [
    { path: "bgp.clusterAsn", asn: plan.bgp.clusterAsn, who: "the cluster (Calico)", example: 65010 },
    { path: "bgp.router.asn", asn: plan.bgp.router.asn, who: routerName(plan), example: 65101 },
  ];
  return speakers.flatMap((s): Finding[] => {
    const { cls, why } = classifyAsn(s.asn);
    if (cls === "private") return [];
    if (cls === "public") {
      return [
        {
          id: "asn-public",
          severity: "info",
          message: `${s.path} ${s.asn} for ${s.who} is a public AS number: fine if your organisation holds it, otherwise the routes it originates could collide with that network's if they ever leak.`,
          paths: [s.path],
          fix: `Keep it if the ASN is yours; otherwise use a private ASN such as ${s.example} (${PRIVATE_HINT}).`,
        },
      ];
    }
    return [
      {
        id: cls === "reserved" ? "asn-reserved" : "asn-documentation",
        severity: "error",
        message: `${s.path} ${s.asn} for ${s.who} cannot be used: ${why}. ${cls === "reserved" ? "BGP speakers refuse the session or treat routes carrying it as invalid" : "Such numbers are meant for examples; routers that filter bogon ASNs drop routes carrying them"}.`,
        paths: [s.path],
        fix: `Use a private ASN such as ${s.example} (${PRIVATE_HINT}).`,
      },
    ];
  });
}

function sameAsn(plan: Plan): Finding[] {
  const { clusterAsn, router } = plan.bgp;
  if (clusterAsn !== router.asn) return [];
  const other = clusterAsn === 65101 ? 65010 : 65101;
  return [
    {
      id: "cluster-asn-equals-router-asn",
      severity: "error",
      message: `bgp.clusterAsn and bgp.router.asn are both ${clusterAsn}, which turns the eBGP design into iBGP: the router does not pass routes learned from one node on to the others (no route reflector configured), keeps the nodes' next hops, and the filters and AS-path loop rules the plan relies on no longer apply.`,
      paths: ["bgp.clusterAsn", "bgp.router.asn"],
      fix: `Give the router its own private ASN, e.g. bgp.router.asn: ${other} (the design document uses 65010 for Calico and 65101 for pfSense).`,
    },
  ];
}

export const asnRules: LintRule = (plan) => [...asnClassRules(plan), ...sameAsn(plan)];
