import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan, patchNode, problems } from "./test-plan.js";

describe("ipv4-in-plan", () => {
  it("reports each IPv4 field by its path", () => {
    const plan = labPlan((p) => {
      p.network.podCidr = "10.42.0.0/16";
      p.dns.server = "192.0.2.53";
      patchNode(p, 1, { address: "192.0.2.12" });
      p.k3s.tlsSan.push("192.0.2.10");
    });
    expect(findings(plan, "ipv4-in-plan")).toEqual([
      finding("ipv4-in-plan", "error", "network.podCidr"),
      finding("ipv4-in-plan", "error", "nodes[1].address"),
      finding("ipv4-in-plan", "error", "dns.server"),
      finding("ipv4-in-plan", "error", "k3s.tlsSan[6]"),
    ]);
    expect(full(plan, "ipv4-in-plan")[0]?.message).toContain("10.42.0.0/16");
    expect(full(plan, "ipv4-in-plan")[3]?.fix).toContain('Remove "192.0.2.10"');
  });

  it("reports each IPv4 host range end by its own path", () => {
    const plan = labPlan((p) => {
      p.network.hostRange = { from: "192.0.2.1", to: "192.0.2.254" };
    });
    expect(findings(plan, "ipv4-in-plan")).toEqual([
      finding("ipv4-in-plan", "error", "network.hostRange.from"),
      finding("ipv4-in-plan", "error", "network.hostRange.to"),
    ]);
    expect(full(plan, "ipv4-in-plan")[0]?.message).toMatch(
      /^network\.hostRange\.from is the IPv4 value 192\.0\.2\.1/,
    );
  });

  it("ignores tls-san names and an IPv6-only plan", () => {
    expect(findings(labPlan(), "ipv4-in-plan")).toEqual([]);
    expect(
      findings(
        labPlan((p) => p.k3s.tlsSan.push("api10.example.org")),
        "ipv4-in-plan",
      ),
    ).toEqual([]);
  });
});

describe("special-purpose-address", () => {
  it("rejects link-local, loopback, multicast and IPv4-mapped addresses", () => {
    const plan = labPlan((p) => {
      p.bgp.router.address = "fe80::1";
      p.dns.server = "::1";
      p.network.loadBalancerCidr = "ff05::/112";
      patchNode(p, 0, { address: "::ffff:192.0.2.11" });
    });
    expect(findings(plan, "special-purpose-address")).toEqual([
      finding("special-purpose-address", "error", "network.loadBalancerCidr"),
      finding("special-purpose-address", "error", "bgp.router.address"),
      finding("special-purpose-address", "error", "nodes[0].address"),
      finding("special-purpose-address", "error", "dns.server"),
    ]);
    expect(full(plan, "special-purpose-address")[1]?.message).toContain("link-local");
  });

  it("accepts global unicast and unique local addresses, and ff00 inside a prefix", () => {
    expect(findings(labPlan(), "special-purpose-address")).toEqual([]);
    const ula = labPlan((p) => {
      p.dns.server = "fd00:1::53";
    });
    expect(findings(ula, "special-purpose-address")).toEqual([]);
  });
});

describe("documentation-prefix", () => {
  it("reports documentation space once, listing the fields", () => {
    const result = findings(labPlan(), "documentation-prefix");
    expect(result).toHaveLength(1);
    expect(result[0]?.severity).toBe("info");
    expect(result[0]?.paths).toContain("network.prefix");
    expect(result[0]?.paths).toContain("network.hostRange.from");
    expect(result[0]?.paths).toContain("k3s.tlsSan[5]");
  });

  it("also knows the RFC 9637 prefix 3fff::/20", () => {
    const plan = labPlan((p) => {
      p.network.loadBalancerCidr = "3fff:0:0:1::/112";
    });
    expect(findings(plan, "documentation-prefix")[0]?.paths).toContain("network.loadBalancerCidr");
  });

  it("is silent for a real prefix", () => {
    const real = labPlan((p) => {
      const swap = (s: string) => s.replace(/^2001:db8:/i, "2001:a61:");
      const n = p.network;
      n.prefix = swap(n.prefix);
      if (n.hostRange) n.hostRange = { from: swap(n.hostRange.from), to: swap(n.hostRange.to) };
      n.podCidr = swap(n.podCidr);
      n.serviceCidr = swap(n.serviceCidr);
      n.clusterDns = swap(n.clusterDns);
      n.loadBalancerCidr = swap(n.loadBalancerCidr);
      n.apiVip = swap(n.apiVip);
      p.bgp.router.address = swap(p.bgp.router.address);
      p.nodes = p.nodes.map((node) => ({ ...node, address: swap(node.address) }));
      p.dns.server = swap(p.dns.server);
      p.k3s.tlsSan = p.k3s.tlsSan.map(swap);
    });
    expect(findings(real, "documentation-prefix")).toEqual([]);
    expect(problems(real)).toEqual([]);
  });
});
