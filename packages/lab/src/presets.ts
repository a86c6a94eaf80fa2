// What each preset means on the machines (the Kubernetes objects are in kube-lab.ts): the nodes' k3s config —
// tls-san and the AuthenticationConfiguration for anonymous /readyz — and the HA names in DNS.
//   before: the design document's starting point: tls-san lists the node names only, no AuthenticationConfiguration,
//           DNS has only the nodes' own names.
//   vip:    option 1 finished: tls-san adds the round-robin name, the VIP name and the VIP; both names in DNS.
//   dns:    option 2 finished: tls-san adds the round-robin name; its AAAA records in DNS.
import { publishLabNames } from "./daemons/bind.js";
import { startK3s, stopK3s } from "./faults.js";
import type { Preset } from "./kube-lab.js";
import { type NodeK3sSettings, writeK3sConfig } from "./standin/wrappers.js";
import type { LabTopology } from "./topology.js";

/** Every name the plan's tls-san lists (the target the guided setup works towards). */
export function planTlsSan(t: LabTopology): string[] {
  return [...t.nodes.map((n) => n.name), t.dns.roundRobinName, t.dns.vipName, t.vip];
}

export function presetK3sSettings(t: LabTopology, preset: Preset): NodeK3sSettings {
  const names = t.nodes.map((n) => n.name);
  if (preset === "before") return { tlsSan: names, authConfig: false };
  if (preset === "dns") return { tlsSan: [...names, t.dns.roundRobinName], authConfig: true };
  return { tlsSan: planTlsSan(t), authConfig: true };
}

export const presetDnsNames = (preset: Preset) => ({
  roundRobin: preset !== "before",
  vipName: preset === "vip",
});

/**
 * Brings a running lab's machines to `preset`: rewrites each node's config.yaml and restarts k3s there, one node at
 * a time (as an operator rolls a config change), then the DNS names. A name a previous preset added stays on the
 * serving certificate, as on k3s.
 */
export async function applyHostPreset(t: LabTopology, preset: Preset): Promise<void> {
  const settings = presetK3sSettings(t, preset);
  for (const node of t.nodes) {
    if (!(await writeK3sConfig(t, node, settings))) continue;
    await stopK3s(t, node.name);
    await startK3s(t, node.name);
  }
  await publishLabNames(t, presetDnsNames(preset));
}
