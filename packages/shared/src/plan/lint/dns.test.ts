import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan } from "./test-plan.js";

describe("dns-name-outside-zone", () => {
  it("reports names outside dns.zone (nsupdate would get NOTZONE)", () => {
    const plan = labPlan((p) => {
      p.dns.vipName = "k8s-api.example.com";
      p.dns.roundRobinName = "k8s-cluster.example.org";
      p.k3s.tlsSan.push("k8s-api.example.com", "k8s-cluster.example.org");
    });
    expect(findings(plan, "dns-name-outside-zone")).toEqual([
      finding("dns-name-outside-zone", "error", "dns.roundRobinName", "dns.zone"),
      finding("dns-name-outside-zone", "error", "dns.vipName", "dns.zone"),
    ]);
    const [, vip] = full(plan, "dns-name-outside-zone");
    expect(vip?.message).toContain("NOTZONE");
    expect(vip?.fix).toContain("k8s-api.k8s.example.org");
  });

  it("does not mistake a name that merely ends with the zone's text", () => {
    const plan = labPlan((p) => {
      p.dns.vipName = "k8s-apik8s.example.org";
    });
    expect(findings(plan, "dns-name-outside-zone")).toHaveLength(1);
  });

  it("accepts names in the zone, in any case, with a trailing dot", () => {
    const plan = labPlan((p) => {
      p.dns.zone = "K8S.example.org.";
      p.dns.vipName = "k8s-api.k8s.EXAMPLE.org.";
    });
    expect(findings(plan, "dns-name-outside-zone")).toEqual([]);
  });
});

describe("dns-names-equal", () => {
  it("reports the same name for round robin and VIP", () => {
    const plan = labPlan((p) => {
      p.dns.vipName = "K8S-cluster.k8s.example.org.";
    });
    expect(findings(plan, "dns-names-equal")).toEqual([
      finding("dns-names-equal", "error", "dns.roundRobinName", "dns.vipName"),
    ]);
  });

  it("accepts two names", () => {
    expect(findings(labPlan(), "dns-names-equal")).toEqual([]);
  });
});

describe("dns-ttl-high", () => {
  it("notes a TTL above 300 s as slow failover", () => {
    const plan = labPlan((p) => {
      p.dns.ttl = 3600;
    });
    expect(findings(plan, "dns-ttl-high")).toEqual([finding("dns-ttl-high", "info", "dns.ttl")]);
  });

  it("accepts 300 s", () => {
    expect(
      findings(
        labPlan((p) => (p.dns.ttl = 300)),
        "dns-ttl-high",
      ),
    ).toEqual([]);
  });
});
