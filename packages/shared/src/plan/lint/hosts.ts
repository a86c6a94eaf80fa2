// Node and router address rules: where the BGP peers sit relative to the prefix, host range and Kubernetes ranges.
import { cidrFirst, formatCidr, formatIp, intervalContainsIp } from "../../net/ip.js";
import type { PlanAddress, RangeKind } from "../ranges.js";
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";
import { describeRange, K8S_RANGE_KINDS, type PlanLayout, planLayout } from "./lookup.js";

const CAPTURED_BY: Partial<Record<RangeKind, string>> = {
  services: "kube-proxy treats it as a Service address and drops or redirects traffic to it",
  loadBalancers:
    "MetalLB may assign it to a LoadBalancer Service and Calico then advertises it to the router",
  pods: "Calico IPAM may give it to a pod and the router learns a route for it towards another node",
};

/** Addresses inside a Kubernetes range are reported by address-in-k8s-range alone. */
function inK8sRange(layout: PlanLayout, a: PlanAddress): boolean {
  return K8S_RANGE_KINDS.some((k) => {
    const r = layout.range(k);
    return r !== undefined && intervalContainsIp(r.interval, a);
  });
}

/** The BGP speakers of the plan: the router and every node. */
function peers(layout: PlanLayout): PlanAddress[] {
  return layout.addresses.filter((a) => a.kind === "router" || a.kind === "node");
}

function addressInK8sRange(layout: PlanLayout): Finding[] {
  return peers(layout).flatMap((a) =>
    K8S_RANGE_KINDS.flatMap((kind): Finding[] => {
      const r = layout.range(kind);
      if (!r || !intervalContainsIp(r.interval, a)) return [];
      return [
        {
          id: "address-in-k8s-range",
          severity: "error",
          message: `${a.label} (${a.path} ${a.text}) lies inside ${describeRange(r)}: ${CAPTURED_BY[kind]}, so the ${a.kind === "router" ? "router" : "node"} stops being reachable at its own address and its BGP session breaks.`,
          paths: [a.path, r.path],
          fix: `Give ${a.label.toLowerCase()} an address from the host range${layout.range("hosts") ? ` ${layout.range("hosts")?.text}` : ""}, outside every Kubernetes range.`,
        },
      ];
    }),
  );
}

function nodeOutsideHostRange(layout: PlanLayout): Finding[] {
  const hosts = layout.range("hosts");
  const prefix = layout.range("prefix");
  if (!hosts || !prefix || hosts.interval.first > hosts.interval.last) return [];
  return layout.addresses
    .filter(
      (a) =>
        a.kind === "node" && intervalContainsIp(prefix.interval, a) && !intervalContainsIp(hosts.interval, a),
    )
    .filter((a) => !inK8sRange(layout, a))
    .map(
      (a): Finding => ({
        id: "node-outside-host-range",
        severity: "warning",
        message: `${a.label} (${a.path} ${a.text}) is inside the site prefix but outside the host range ${hosts.text}: the part of the /64 the plan keeps for hosts does not cover it, so the router's DHCPv6 pool or another host may hand it out too.`,
        paths: [a.path, hosts.path],
        fix: `Give ${a.label.toLowerCase()} an address inside ${hosts.text}, or widen network.hostRange to include ${a.text} (without reaching a Kubernetes range).`,
      }),
    );
}

function peerOutsidePrefix(layout: PlanLayout): Finding[] {
  const prefix = layout.range("prefix");
  if (!prefix) return [];
  const router = layout.addresses.find((a) => a.kind === "router");
  return peers(layout)
    .filter((a) => a.family === prefix.interval.family && !intervalContainsIp(prefix.interval, a))
    .map((a): Finding => {
      const who =
        a.kind === "router"
          ? `The router address ${a.text} is outside the site prefix ${prefix.text} the nodes live in`
          : `${a.label} (${a.text}) is outside the site prefix ${prefix.text}${router ? ` and so not on the router's link` : ""}`;
      return {
        id: "bgp-peer-outside-prefix",
        severity: "warning",
        message: `${who}: eBGP between Calico and the router then is not directly connected, which needs eBGP multihop on the router (FRR sends with TTL 1 by default) and a route between the two that does not depend on the BGP session itself.`,
        paths: [a.path, prefix.path],
        fix:
          a.kind === "router"
            ? `Use the router's address on the nodes' LAN (inside ${prefix.text}), or configure \`neighbor <node> ebgp-multihop 2\` for every node on the router.`
            : `Use an address for ${a.label.toLowerCase()} inside ${prefix.text}, or configure \`neighbor ${a.text} ebgp-multihop 2\` on the router.`,
      };
    });
}

function subnetRouterAnycast(layout: PlanLayout): Finding[] {
  const prefix = layout.range("prefix")?.cidr;
  if (prefix?.family !== 6 || prefix.prefix >= 127) return [];
  const anycast = cidrFirst(prefix);
  return layout.addresses
    .filter((a) => a.kind !== "clusterDns" && a.family === 6 && a.value === anycast)
    .map(
      (a): Finding => ({
        id: "subnet-router-anycast",
        severity: "error",
        message: `${a.label} (${a.path} ${a.text}) is the Subnet-Router anycast address of ${formatCidr(prefix)} (interface ID all zeros, RFC 4291 §2.6.1): every router on the link answers it, so it cannot serve as one machine's unicast address.`,
        paths: [a.path, "network.prefix"],
        fix: `Use another interface ID, e.g. ${formatIp(6, anycast + (a.kind === "router" ? 1n : 0x11n))}.`,
      }),
    );
}

function duplicateNodes(plan: Plan, layout: PlanLayout): Finding[] {
  const out: Finding[] = [];
  const names = new Map<string, number>();
  plan.nodes.forEach((node, i) => {
    const first = names.get(node.name);
    if (first === undefined) names.set(node.name, i);
    else
      out.push({
        id: "duplicate-node-name",
        severity: "error",
        message: `nodes[${first}] and nodes[${i}] are both named ${node.name}: Kubernetes node names are unique, so the second server would join as the first one and take over its Node object and certificates.`,
        paths: [`nodes[${first}].name`, `nodes[${i}].name`],
        fix: `Rename nodes[${i}] to its real hostname (k3s uses the hostname as node name).`,
      });
  });
  const nodes = layout.addresses.filter((a) => a.kind === "node");
  const router = layout.addresses.find((a) => a.kind === "router");
  nodes.forEach((a, i) => {
    const earlier = nodes.slice(0, i).find((b) => b.family === a.family && b.value === a.value);
    if (earlier)
      out.push({
        id: "duplicate-node-address",
        severity: "error",
        message: `${earlier.label} and ${a.label} both use ${a.canonical}: two hosts with one address fight over neighbour discovery, and the router sees one BGP session where it expects two.`,
        paths: [earlier.path, a.path],
        fix: `Give ${a.label.toLowerCase()} its own address in the host range.`,
      });
    if (router && router.family === a.family && router.value === a.value)
      out.push({
        id: "node-address-is-router",
        severity: "error",
        message: `${a.label} uses the router's address ${a.canonical}: a node cannot peer with itself over BGP, and the LAN loses its router.`,
        paths: [a.path, router.path],
        fix: `Set ${a.path} to the node's own address, or correct bgp.router.address.`,
      });
  });
  return out;
}

export const hostAddressRules: LintRule = (plan) => {
  const layout = planLayout(plan);
  return [
    ...addressInK8sRange(layout),
    ...nodeOutsideHostRange(layout),
    ...peerOutsidePrefix(layout),
    ...subnetRouterAnycast(layout),
    ...duplicateNodes(plan, layout),
  ];
};
