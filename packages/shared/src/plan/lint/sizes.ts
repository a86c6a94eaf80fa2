// Range size rules that Calico IPAM and kube-apiserver enforce: pod block size, blocks per node, service range size.
import { cidrFirst, formatCidr } from "../../net/ip.js";
import type { Plan } from "../schema.js";
import type { Finding, LintRule } from "./finding.js";
import { planLayout } from "./lookup.js";

/** Calico's accepted IPv6 IPPool block sizes. */
const V6_BLOCK_MIN = 116;
const V6_BLOCK_MAX = 128;
/** kube-apiserver: an IPv6 service-cluster-ip-range may hold at most 2^20 addresses. */
const V6_SERVICE_MIN_PREFIX = 108;

function ceilLog2(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

function podBlockSize(plan: Plan): Finding[] {
  const pods = planLayout(plan).range("pods")?.cidr;
  if (pods?.family !== 6) return [];
  const size = plan.network.podBlockSize;
  const paths = ["network.podBlockSize", "network.podCidr"];
  if (size < V6_BLOCK_MIN || size > V6_BLOCK_MAX) {
    return [
      {
        id: "pod-block-size-invalid",
        severity: "error",
        message: `network.podBlockSize is /${size}, but Calico accepts IPv6 IPPool block sizes /${V6_BLOCK_MIN} to /${V6_BLOCK_MAX} only: the pod IPPool would be rejected and no pod gets an address.`,
        paths,
        fix: `Set network.podBlockSize to 122 (Calico's IPv6 default, 64 addresses per node block).`,
        patch: [{ path: "network.podBlockSize", value: 122 }],
      },
    ];
  }
  if (size < pods.prefix) {
    return [
      {
        id: "pod-block-size-invalid",
        severity: "error",
        message: `network.podBlockSize /${size} is larger than the pod range ${plan.network.podCidr} itself: Calico rejects an IPPool whose block does not fit inside it.`,
        paths,
        fix: `Set network.podBlockSize between ${Math.max(pods.prefix, V6_BLOCK_MIN)} and ${V6_BLOCK_MAX}, or widen network.podCidr to at least /${size - ceilLog2(plan.nodes.length)}.`,
      },
    ];
  }
  const blocks = 1n << BigInt(size - pods.prefix);
  const nodes = plan.nodes.length;
  if (blocks >= BigInt(nodes)) return [];
  const widerPrefix = size - ceilLog2(nodes);
  const smallerBlock = pods.prefix + ceilLog2(nodes);
  const options = [
    `widen network.podCidr to ${formatCidr({ ...pods, address: cidrFirst(pods), prefix: widerPrefix })}`,
  ];
  if (smallerBlock <= V6_BLOCK_MAX) options.push(`set network.podBlockSize to ${smallerBlock}`);
  return [
    {
      id: "pod-blocks-too-few",
      severity: "error",
      message: `The pod range ${plan.network.podCidr} holds ${blocks} block${blocks === 1n ? "" : "s"} of /${size}, but the plan has ${nodes} nodes: Calico gives every node its own block, so the remaining nodes borrow single addresses from other nodes' blocks (scattered /128 routes) or get no pod addresses at all with strict affinity.`,
      paths: ["network.podCidr", "network.podBlockSize", "nodes"],
      fix: `${options.join(", or ")} (at least one block per node; leave room for nodes you will add).`.replace(
        /^./,
        (c) => c.toUpperCase(),
      ),
    },
  ];
}

function serviceRangeSize(plan: Plan): Finding[] {
  const services = planLayout(plan).range("services")?.cidr;
  if (services?.family !== 6 || services.prefix >= V6_SERVICE_MIN_PREFIX) return [];
  const suggested = formatCidr({ family: 6, address: cidrFirst(services), prefix: 112 });
  return [
    {
      id: "service-cidr-too-large",
      severity: "error",
      message: `network.serviceCidr ${plan.network.serviceCidr} is a /${services.prefix}: kube-apiserver refuses an IPv6 service-cluster-ip-range shorter than /${V6_SERVICE_MIN_PREFIX} (more than 2^20 addresses), so k3s does not start.`,
      paths: ["network.serviceCidr"],
      fix: `Use a /112 (65536 Service addresses), e.g. ${suggested}, and keep network.clusterDns inside it.`,
    },
  ];
}

export const rangeSizeRules: LintRule = (plan) => [...podBlockSize(plan), ...serviceRangeSize(plan)];
