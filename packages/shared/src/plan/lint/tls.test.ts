import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan, problems } from "./test-plan.js";

const without = (entry: string) =>
  labPlan((p) => {
    p.k3s.tlsSan = p.k3s.tlsSan.filter((s) => s !== entry);
  });

describe("missing tls-san entries", () => {
  it("reports the round-robin name", () => {
    const plan = without("k8s-cluster.k8s.example.org");
    expect(findings(plan, "tls-san-missing-round-robin-name")).toEqual([
      finding("tls-san-missing-round-robin-name", "error", "k3s.tlsSan", "dns.roundRobinName"),
    ]);
  });

  it("reports the VIP name", () => {
    const plan = without("k8s-api.k8s.example.org");
    expect(findings(plan, "tls-san-missing-vip-name")).toEqual([
      finding("tls-san-missing-vip-name", "error", "k3s.tlsSan", "dns.vipName"),
    ]);
    expect(full(plan, "tls-san-missing-vip-name")[0]?.fix).toContain(
      'Add "k8s-api.k8s.example.org" to k3s.tlsSan',
    );
    const fix = full(plan, "tls-san-missing-vip-name")[0]?.fix ?? "";
    // A restart adds the name (current k3s); rotating is neither needed nor a way to remove one.
    expect(fix).toContain("restart k3s on every server, one at a time");
    expect(fix).toContain("no `k3s certificate rotate` is needed");
  });

  it("reports the API VIP", () => {
    const plan = without("2001:db8:1162:79fb:ff01::1");
    expect(findings(plan, "tls-san-missing-api-vip")).toEqual([
      finding("tls-san-missing-api-vip", "error", "k3s.tlsSan", "network.apiVip"),
    ]);
  });

  it("compares addresses canonically and names case-insensitively, ignoring a trailing dot", () => {
    const plan = labPlan((p) => {
      p.k3s.tlsSan = [
        "K8S-CLUSTER.k8s.example.org.",
        "k8s-api.K8S.example.org",
        "2001:DB8:1162:79FB:FF01:0:0:1",
      ];
      p.dns.vipName = "k8s-api.k8s.example.org.";
    });
    for (const id of [
      "tls-san-missing-round-robin-name",
      "tls-san-missing-vip-name",
      "tls-san-missing-api-vip",
    ]) {
      expect(findings(plan, id)).toEqual([]);
    }
  });

  it("accepts a wildcard for one label, not for deeper names", () => {
    const wildcard = labPlan((p) => {
      p.k3s.tlsSan = ["*.k8s.example.org", "2001:db8:1162:79fb:ff01::1"];
    });
    expect(findings(wildcard, "tls-san-missing-vip-name")).toEqual([]);
    const deeper = labPlan((p) => {
      p.k3s.tlsSan = ["*.example.org", "2001:db8:1162:79fb:ff01::1"];
    });
    expect(findings(deeper, "tls-san-missing-vip-name")).toHaveLength(1);
  });

  it("does not ask for node names or addresses (k3s adds them)", () => {
    const plan = labPlan((p) => {
      p.k3s.tlsSan = p.k3s.tlsSan.filter((s) => !s.startsWith("node"));
    });
    expect(problems(plan)).toEqual([]);
  });
});

describe("tls-san-malformed", () => {
  it("reports bracketed addresses, URLs, ports and ranges with the cleaned value", () => {
    const plan = labPlan((p) => {
      p.k3s.tlsSan.push(
        "[2001:db8:1162:79fb:ff01::1]",
        "https://k8s-api.k8s.example.org:6443",
        "2001:db8::/64",
      );
    });
    expect(findings(plan, "tls-san-malformed")).toEqual([
      finding("tls-san-malformed", "error", "k3s.tlsSan[6]"),
      finding("tls-san-malformed", "error", "k3s.tlsSan[7]"),
      finding("tls-san-malformed", "error", "k3s.tlsSan[8]"),
    ]);
    expect(full(plan, "tls-san-malformed").map((f) => f.fix)).toEqual([
      'Write "2001:db8:1162:79fb:ff01::1" instead (no scheme, brackets, port or prefix length).',
      'Write "k8s-api.k8s.example.org" instead (no scheme, brackets, port or prefix length).',
      'Write "2001:db8::" instead (no scheme, brackets, port or prefix length).',
    ]);
    expect(full(plan, "tls-san-malformed")[2]?.message).toContain("not a range");
  });

  it("accepts names, wildcards and addresses", () => {
    const plan = labPlan((p) => {
      p.k3s.tlsSan.push("*.k8s.example.org", "localhost", "::1");
    });
    expect(findings(plan, "tls-san-malformed")).toEqual([]);
  });
});
