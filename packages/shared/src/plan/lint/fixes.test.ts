// Every finding whose fix proposes exact values: apply them and lint again — the finding is gone and no new error
// appears. A fix that cannot name a working value names none (the design document's Option 1 pool is one).
import { describe, expect, it } from "vitest";
import type { Plan } from "../schema.js";
import type { Finding, FixPatch } from "./finding.js";
import { lintPlan } from "./index.js";
import { labPlan, loadExample } from "./test-plan.js";

function setPath(plan: Plan, path: string, value: FixPatch["value"]): Plan {
  const copy = structuredClone(plan) as unknown as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1] as string] = value;
  return copy as unknown as Plan;
}

const errorIds = (fs: Finding[]) =>
  new Set(fs.filter((f) => f.severity === "error").map((f) => `${f.id} ${f.paths.join(",")}`));

/** Plans that raise every finding with a patch (each scenario names what it breaks). */
const SCENARIOS: Record<string, Plan> = {
  "design document (Option 1 VIP in the ClusterIP range)": loadExample("design-document"),
  "VIP in the service range": labPlan((p) => {
    p.network.apiVip = "2001:db8:1162:79fb:ff00::100";
  }),
  "VIP outside the LoadBalancer range": labPlan((p) => {
    p.network.apiVip = "2001:db8:1162:79fb::77";
  }),
  "VIP on a node's address": labPlan((p) => {
    p.network.apiVip = p.nodes[1]?.address ?? "";
  }),
  "cluster DNS outside the service range": labPlan((p) => {
    p.network.clusterDns = "2001:db8:1162:79fb:ff02::10";
  }),
  "cluster DNS on the kubernetes Service": labPlan((p) => {
    p.network.clusterDns = "2001:db8:1162:79fb:ff00::1";
  }),
  "cluster DNS on the network address": labPlan((p) => {
    p.network.clusterDns = "2001:db8:1162:79fb:ff00::";
  }),
  "LoadBalancer range inside the service range": labPlan((p) => {
    p.network.loadBalancerCidr = "2001:db8:1162:79fb:ff00:0:0:100/120";
    p.network.apiVip = "2001:db8:1162:79fb:ff00::101";
    // The certificate names this VIP, so a fix that moves the VIP must move tls-san with it.
    p.k3s.tlsSan = [...p.k3s.tlsSan.filter((n) => !n.includes(":")), "2001:db8:1162:79fb:ff00::101"];
  }),
  "unaligned CIDR": labPlan((p) => {
    p.network.loadBalancerCidr = "2001:db8:1162:79fb:ff01::5/112";
  }),
  "pod block size Calico refuses": labPlan((p) => {
    p.network.podBlockSize = 130 as never;
  }),
};

describe("fixes that propose values", () => {
  const patched: string[] = [];
  for (const [name, plan] of Object.entries(SCENARIOS)) {
    it(`${name}: each proposed value removes its finding and adds no error`, () => {
      const before = lintPlan(plan);
      const withPatch = before.filter((f) => f.patch?.length);
      for (const f of withPatch) {
        let fixed = plan;
        for (const p of f.patch ?? []) fixed = setPath(fixed, p.path, p.value);
        const after = lintPlan(fixed);
        const again = after.filter((x) => x.id === f.id && x.paths.join() === f.paths.join());
        expect(again, `${f.id} after applying ${JSON.stringify(f.patch)}`).toEqual([]);
        const beforeErrors = errorIds(before);
        const newErrors = [...errorIds(after)].filter((e) => !beforeErrors.has(e));
        expect(newErrors, `${f.id} after applying ${JSON.stringify(f.patch)}`).toEqual([]);
        patched.push(f.id);
      }
    });
  }

  it("covers every rule that proposes values", () => {
    expect(new Set(patched)).toEqual(
      new Set([
        "vip-in-service-range",
        "vip-outside-lb-range",
        "vip-equals-host-address",
        "cluster-dns-outside-service-range",
        "cluster-dns-is-kubernetes-service",
        "cluster-dns-is-network-address",
        "k8s-range-overlap",
        "cidr-not-aligned",
        "pod-block-size-invalid",
      ]),
    );
  });

  it("proposes no VIP when the LoadBalancer pool itself sits in the ClusterIP range (the document's ff00::100/128)", () => {
    const plan = labPlan((p) => {
      p.network.loadBalancerCidr = "2001:db8:1162:79fb:ff00::100/128";
      p.network.apiVip = "2001:db8:1162:79fb:ff00::100";
    });
    const vip = lintPlan(plan).find((f) => f.id === "vip-in-service-range");
    expect(vip?.patch).toBeUndefined();
    expect(vip?.fix).not.toContain("ff00::101");
    expect(vip?.fix).toMatch(/first give network\.loadBalancerCidr a block of its own/);
    // Moving the pool as k8s-range-overlap proposes, then taking the VIP it then proposes, clears both.
    const overlap = lintPlan(plan).find((f) => f.id === "k8s-range-overlap");
    expect(overlap?.patch?.[0]?.path).toBe("network.loadBalancerCidr");
    let fixed = setPath(plan, "network.loadBalancerCidr", overlap?.patch?.[0]?.value ?? "");
    const vip2 = lintPlan(fixed).find(
      (f) => f.id === "vip-in-service-range" || f.id === "vip-outside-lb-range",
    );
    for (const p of vip2?.patch ?? []) fixed = setPath(fixed, p.path, p.value);
    expect(lintPlan(fixed).filter((f) => f.severity === "error" && f.id.startsWith("vip-"))).toEqual([]);
  });
});
