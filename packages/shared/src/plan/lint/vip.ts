// API VIP and cluster DNS rules: each must come from the range that actually hands it out.
import { intervalContainsIp } from "../../net/ip.js";
import type { PlanAddress, PlanRange, RangeKind } from "../ranges.js";
import type { Finding, LintRule } from "./finding.js";
import { addressInRange, describeRange, type PlanLayout, planLayout } from "./lookup.js";

/** A free address for the VIP: the first address after the LoadBalancer range's network address. */
function vipSuggestion(lb: PlanRange | undefined): string {
  return lb
    ? `Take the VIP from ${describeRange(lb)}, e.g. ${addressInRange(lb, 1n)} (reserve it for the API Service in the MetalLB pool), set network.apiVip to it, and update k3s.tlsSan and the AAAA record of dns.vipName to match.`
    : "Take the VIP from network.loadBalancerCidr.";
}

function vipRangeRules(layout: PlanLayout): Finding[] {
  const vip = layout.addresses.find((a) => a.kind === "apiVip");
  if (!vip) return [];
  const lb = layout.range("loadBalancers");
  const services = layout.range("services");
  const out: Finding[] = [];
  if (services && intervalContainsIp(services.interval, vip)) {
    out.push({
      id: "vip-in-service-range",
      severity: "error",
      message: `API VIP ${vip.text} lies inside ${describeRange(services)}: kube-proxy drops traffic to addresses of the ClusterIP range that no Service holds as its ClusterIP, so packets to the VIP die on the nodes, and the Service allocator may hand the address to another Service; nothing in MetalLB or Calico checks this overlap (the design document's Option 1 VIP ff00::100 is exactly this case).`,
      paths: ["network.apiVip", services.path],
      fix: vipSuggestion(lb),
    });
  }
  if (lb && lb.interval.family === vip.family && !intervalContainsIp(lb.interval, vip)) {
    const other = (["services", "pods", "hosts"] as RangeKind[])
      .map((k) => layout.range(k))
      .find((r) => r !== undefined && intervalContainsIp(r.interval, vip));
    out.push({
      id: "vip-outside-lb-range",
      severity: "error",
      message: `API VIP ${vip.text} is outside ${describeRange(lb)}${other ? ` (it lies in ${describeRange(other)} instead)` : ""}: MetalLB assigns LoadBalancer addresses only from its pool and Calico advertises only serviceLoadBalancerIPs, so the API Service never gets this VIP and the router never learns a route to it.`,
      paths: ["network.apiVip", lb.path],
      fix: vipSuggestion(lb),
    });
  }
  const hosts = layout.addresses.filter(
    (a) => (a.kind === "node" || a.kind === "router" || a.kind === "dnsServer") && a.family === vip.family,
  );
  for (const h of hosts.filter((a) => a.value === vip.value)) {
    out.push({
      id: "vip-equals-host-address",
      severity: "error",
      message: `API VIP ${vip.text} is also ${h.label.toLowerCase()}'s address (${h.path}): a VIP has to move between servers, but this address is pinned to one machine, so the API is down whenever that machine is and its BGP route competes with the host's own address.`,
      paths: ["network.apiVip", h.path],
      fix: vipSuggestion(lb),
    });
  }
  return out;
}

function clusterDnsRules(layout: PlanLayout): Finding[] {
  const dns = layout.addresses.find((a) => a.kind === "clusterDns");
  const services = layout.range("services");
  if (!dns || !services || services.interval.family !== dns.family) return [];
  const fix = `Set network.clusterDns to ${addressInRange(services, 10n)} (the tenth address of ${services.text}, k3s's convention).`;
  const paths = ["network.clusterDns", services.path];
  if (!intervalContainsIp(services.interval, dns)) {
    return [
      {
        id: "cluster-dns-outside-service-range",
        severity: "error",
        message: `Cluster DNS ${dns.text} is outside ${describeRange(services)}: k3s writes it into every pod's resolv.conf, but the kube-dns Service can only get a ClusterIP inside the range, so nothing answers there and DNS lookups in pods fail.`,
        paths,
        fix,
      },
    ];
  }
  return clusterDnsReserved(dns, services, fix, paths);
}

function clusterDnsReserved(dns: PlanAddress, services: PlanRange, fix: string, paths: string[]): Finding[] {
  const offset = dns.value - services.interval.first;
  if (offset === 1n) {
    return [
      {
        id: "cluster-dns-is-kubernetes-service",
        severity: "error",
        message: `Cluster DNS ${dns.text} is the first address of ${describeRange(services)}, which kube-apiserver always gives to the \`kubernetes\` Service in the default namespace: the kube-dns Service cannot get it, so pods send DNS queries to the API server's Service and lookups fail.`,
        paths,
        fix,
      },
    ];
  }
  if (offset === 0n) {
    return [
      {
        id: "cluster-dns-is-network-address",
        severity: "error",
        message: `Cluster DNS ${dns.text} is the network address of ${describeRange(services)}, which the Service allocator never hands out: the kube-dns Service cannot be created with it, so pod DNS does not work.`,
        paths,
        fix,
      },
    ];
  }
  return [];
}

export const serviceAddressRules: LintRule = (plan) => {
  const layout = planLayout(plan);
  return [...vipRangeRules(layout), ...clusterDnsRules(layout)];
};
