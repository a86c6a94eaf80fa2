// Runs every rule family over a plan and returns findings, most severe first.
import type { Plan } from "../schema.js";
import { asnRules } from "./asn.js";
import { dnsRules } from "./dns.js";
import { etcdRules } from "./etcd.js";
import { addressFamilyRules } from "./family.js";
import { type Finding, type LintRule, severityOrder } from "./finding.js";
import { hostAddressRules } from "./hosts.js";
import { hostKeyRules } from "./keys.js";
import { onLinkRules } from "./onlink.js";
import { rangeLayoutRules } from "./ranges.js";
import { podRoutingRules } from "./routing.js";
import { rangeSizeRules } from "./sizes.js";
import { tlsSanRules } from "./tls.js";
import { serviceAddressRules } from "./vip.js";

export const ruleFamilies: Record<string, LintRule> = {
  "address-family": addressFamilyRules,
  "range-layout": rangeLayoutRules,
  "range-sizes": rangeSizeRules,
  "host-addresses": hostAddressRules,
  "service-addresses": serviceAddressRules,
  "on-link": onLinkRules,
  "tls-san": tlsSanRules,
  dns: dnsRules,
  asn: asnRules,
  "pod-routing": podRoutingRules,
  etcd: etcdRules,
  "host-keys": hostKeyRules,
};

export function lintPlan(plan: Plan): Finding[] {
  const findings = Object.values(ruleFamilies).flatMap((rule) => rule(plan));
  return findings.sort(
    (a, b) => severityOrder[a.severity] - severityOrder[b.severity] || a.id.localeCompare(b.id),
  );
}
