// What a run probes, from the plan only: the VIP, the VIP's name, the round-robin name and each server's address
// (or the subset asked for), always with the node under test; and the addresses a name may resolve to and be dialled.
import { canonicalIp } from "../net/ip.js";
import type { Plan } from "../plan/schema.js";

export interface RunTarget {
  endpoint: string;
  address?: string;
  name?: string;
}

export function defaultEndpoints(plan: Plan): string[] {
  return ["vip", "vip-name", "round-robin", ...servers(plan).map((n) => `node:${n.name}`)];
}

// As the kernel and the resolver write it, so that a sample's address reads the same however it was learnt.
const canonical = (a: string) => canonicalIp(a) ?? a;

const servers = (plan: Plan) => plan.nodes.filter((n) => n.role === "server");

/** The targets for `endpoints` (default: all), plus the node under test; an endpoint the plan lacks is an error. */
export function runTargets(
  plan: Plan,
  endpoints: readonly string[] | undefined,
  node: string | undefined,
): { ok: true; targets: RunTarget[] } | { ok: false; message: string } {
  const wanted = [...(endpoints ?? defaultEndpoints(plan))];
  const underTest = node && servers(plan).some((n) => n.name === node) ? `node:${node}` : undefined;
  if (underTest && !wanted.includes(underTest)) wanted.push(underTest);
  const targets: RunTarget[] = [];
  for (const e of new Set(wanted)) {
    if (e === "vip") targets.push({ endpoint: e, address: canonical(plan.network.apiVip) });
    else if (e === "vip-name") targets.push({ endpoint: e, name: plan.dns.vipName });
    else if (e === "round-robin") targets.push({ endpoint: e, name: plan.dns.roundRobinName });
    else {
      const server = servers(plan).find((n) => `node:${n.name}` === e);
      if (!server) return { ok: false, message: `${e} is not a server of the plan` };
      targets.push({ endpoint: e, address: canonical(server.address) });
    }
  }
  return { ok: true, targets };
}

/** Every address a name may resolve to and be probed: the servers and the VIP, canonical. */
export function dialableAddresses(plan: Plan): string[] {
  return [plan.network.apiVip, ...servers(plan).map((n) => n.address)].map(canonical);
}
