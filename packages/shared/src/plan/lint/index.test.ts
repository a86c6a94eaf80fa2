import { describe, expect, it } from "vitest";
import { lintPlan, ruleFamilies } from "./index.js";
import { finding, findings, labPlan, loadExample, nodeAt } from "./test-plan.js";

describe("lintPlan on the example plans", () => {
  it("finds nothing wrong with the lab plan, only the documentation prefix", () => {
    const result = lintPlan(loadExample("lab"));
    expect(result.map((f) => [f.id, f.severity])).toEqual([["documentation-prefix", "info"]]);
  });

  it("finds the design document's mistakes", () => {
    const plan = loadExample("design-document");
    const result = lintPlan(plan);
    const ids = result.map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "vip-in-service-range",
        "vip-outside-lb-range",
        "tls-san-missing-vip-name",
        "host-range-overlap",
        "on-link-api-vip",
        "on-link-load-balancer-range",
      ]),
    );
    expect(findings(plan, "host-range-overlap")).toEqual([
      finding("host-range-overlap", "error", "network.hostRange", "network.serviceCidr"),
      finding("host-range-overlap", "error", "network.hostRange", "network.loadBalancerCidr"),
    ]);
    expect(findings(plan, "vip-in-service-range")).toEqual([
      finding("vip-in-service-range", "error", "network.apiVip", "network.serviceCidr"),
    ]);
    expect(findings(plan, "on-link-api-vip")).toEqual([
      finding("on-link-api-vip", "error", "network.apiVip", "network.prefix", "network.onLink"),
    ]);
    // The document lists the VIP and the round-robin name in tls-san; only the VIP's name is missing.
    expect(ids).not.toContain("tls-san-missing-api-vip");
    expect(ids).not.toContain("tls-san-missing-round-robin-name");
  });

  it("names the actual values in the design document's VIP finding", () => {
    const [f] = lintPlan(loadExample("design-document")).filter((x) => x.id === "vip-in-service-range");
    expect(f?.message).toContain("2001:db8:1162:79fb:ff00::100");
    expect(f?.message).toContain("2001:db8:1162:79fb:ff00::/112");
    expect(f?.fix).toContain("2001:db8:1162:79fb:ff01::1");
  });
});

describe("lintPlan", () => {
  it("sorts errors before warnings before infos", () => {
    const order = lintPlan(loadExample("design-document")).map((f) => f.severity);
    const rank = { error: 0, warning: 1, info: 2 };
    expect(order.map((s) => rank[s])).toEqual([...order.map((s) => rank[s])].sort((a, b) => a - b));
  });

  it("gives every finding a kebab-case id, a message, a fix and plan paths", () => {
    const broken = labPlan((p) => {
      p.network.apiVip = "2001:db8:1162:79fb:ff00::100";
      p.network.onLink = true;
      p.bgp.clusterAsn = 65101;
      p.nodes.pop();
      p.dns.vipName = "api.example.com";
      p.k3s.tlsSan = ["[2001:db8::1]"];
      p.network.podCidr = "10.42.0.0/16";
      p.network.hostRange = { from: "192.0.2.1", to: "192.0.2.254" };
      p.bgp.router.address = "2001:db8:1162:79fb::11";
      p.nodes.push({ ...nodeAt(p, 0) });
      p.bgp.router.asn = 3320;
    });
    const result = lintPlan(broken);
    expect(result.length).toBeGreaterThan(8);
    // The web UI keys findings by id and paths, so no two findings may share both.
    const keys = result.map((f) => `${f.id}|${f.paths.join(",")}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of result) {
      expect(f.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(f.message.length).toBeGreaterThan(40);
      expect(f.fix.length).toBeGreaterThan(10);
      expect(f.paths.length).toBeGreaterThan(0);
      for (const p of f.paths) expect(p).toMatch(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*|\[\d+\])*$/);
    }
  });

  it("registers every rule family as a pure function", () => {
    const plan = labPlan();
    const before = JSON.stringify(plan);
    for (const rule of Object.values(ruleFamilies)) {
      expect(rule(plan)).toEqual(rule(plan));
    }
    expect(JSON.stringify(plan)).toBe(before);
    expect(Object.keys(ruleFamilies).length).toBeGreaterThanOrEqual(10);
  });
});
