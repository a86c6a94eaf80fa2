// API VIP and cluster DNS rules: each must come from the range that actually hands it out.
import { formatIp, intervalContainsIp } from "../../net/ip.js";
import type { PlanAddress, PlanRange, RangeKind } from "../ranges.js";
import type { Plan } from "../schema.js";
import type { Finding, FixPatch, LintRule } from "./finding.js";
import { addressInRange, describeRange, type PlanLayout, planLayout } from "./lookup.js";

/**
 * A VIP that fixes the finding: an address of the LoadBalancer range (its second one, or its only one for a /128)
 * that no other range or host holds. When the LoadBalancer range itself lies in the ClusterIP or pod range (the
 * design document's Option 1 pool ff00::100/128 does), no address of it can work: the range moves first.
 */
function vipSuggestion(
  plan: Plan,
  layout: PlanLayout,
  lb: PlanRange | undefined,
): { fix: string; patch?: FixPatch[] } {
  if (!lb) return { fix: "Take the VIP from network.loadBalancerCidr." };
  const taken = (value: bigint) =>
    // The host range is no bar (a host range reaching the Kubernetes ranges is its own finding); host addresses are.
    (["services", "pods"] as RangeKind[]).some((k) => {
      const r = layout.range(k);
      return r !== undefined && intervalContainsIp(r.interval, { family: lb.interval.family, value });
    }) ||
    layout.addresses.some((a) => a.kind !== "apiVip" && a.family === lb.interval.family && a.value === value);
  const size = lb.interval.last - lb.interval.first + 1n;
  const offsets = size === 1n ? [0n] : [1n, 2n, 3n].filter((o) => o < size);
  const free = offsets.map((o) => lb.interval.first + o).find((v) => !taken(v));
  if (free === undefined)
    return {
      fix: `${describeRange(lb)} itself lies where no VIP can work (inside the ClusterIP or pod range, or on the hosts' own addresses): first give network.loadBalancerCidr a block of its own (see k8s-range-overlap), then take the VIP from it and set network.apiVip, k3s.tlsSan and the AAAA record of dns.vipName to it.`,
    };
  const vip = formatIp(lb.interval.family, free);
  return {
    fix: `Take the VIP from ${describeRange(lb)}, e.g. ${vip} (reserve it for the API Service in the MetalLB pool), set network.apiVip to it, and update k3s.tlsSan and the AAAA record of dns.vipName to match.`,
    patch: [
      { path: "network.apiVip", value: vip },
      // The serving certificate must name the new VIP (and no longer needs the old one).
      { path: "k3s.tlsSan", value: [...plan.k3s.tlsSan.filter((n) => n !== plan.network.apiVip), vip] },
    ],
  };
}

function vipRangeRules(plan: Plan, layout: PlanLayout): Finding[] {
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
      ...vipSuggestion(plan, layout, lb),
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
      ...vipSuggestion(plan, layout, lb),
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
      ...vipSuggestion(plan, layout, lb),
    });
  }
  return out;
}

function clusterDnsRules(layout: PlanLayout): Finding[] {
  const dns = layout.addresses.find((a) => a.kind === "clusterDns");
  const services = layout.range("services");
  if (!dns || !services || services.interval.family !== dns.family) return [];
  const suggested = addressInRange(services, 10n);
  const fix = `Set network.clusterDns to ${suggested} (the tenth address of ${services.text}, k3s's convention).`;
  const patch: FixPatch[] = [{ path: "network.clusterDns", value: suggested }];
  const paths = ["network.clusterDns", services.path];
  if (!intervalContainsIp(services.interval, dns)) {
    return [
      {
        id: "cluster-dns-outside-service-range",
        severity: "error",
        message: `Cluster DNS ${dns.text} is outside ${describeRange(services)}: k3s writes it into every pod's resolv.conf, but the kube-dns Service can only get a ClusterIP inside the range, so nothing answers there and DNS lookups in pods fail.`,
        paths,
        fix,
        patch,
      },
    ];
  }
  return clusterDnsReserved(dns, services, fix, paths, patch);
}

function clusterDnsReserved(
  dns: PlanAddress,
  services: PlanRange,
  fix: string,
  paths: string[],
  patch: FixPatch[],
): Finding[] {
  const offset = dns.value - services.interval.first;
  if (offset === 1n) {
    return [
      {
        id: "cluster-dns-is-kubernetes-service",
        severity: "error",
        message: `Cluster DNS ${dns.text} is the first address of ${describeRange(services)}, which kube-apiserver always gives to the \`kubernetes\` Service in the default namespace: the kube-dns Service cannot get it, so pods send DNS queries to the API server's Service and lookups fail.`,
        paths,
        fix,
        patch,
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
        patch,
      },
    ];
  }
  return [];
}

export const serviceAddressRules: LintRule = (plan) => {
  const layout = planLayout(plan);
  return [...vipRangeRules(plan, layout), ...clusterDnsRules(layout)];
};
