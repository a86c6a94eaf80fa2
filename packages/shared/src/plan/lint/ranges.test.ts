import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan } from "./test-plan.js";

describe("k8s-range-overlap", () => {
  it("reports a LoadBalancer range inside the ClusterIP range and suggests a free block", () => {
    const plan = labPlan((p) => {
      p.network.loadBalancerCidr = "2001:db8:1162:79fb:ff00::/120";
      p.network.apiVip = "2001:db8:1162:79fb:ff00::1";
    });
    expect(findings(plan, "k8s-range-overlap")).toEqual([
      finding("k8s-range-overlap", "error", "network.serviceCidr", "network.loadBalancerCidr"),
    ]);
    const [f] = full(plan, "k8s-range-overlap");
    expect(f?.message).toContain(
      "The LoadBalancer range 2001:db8:1162:79fb:ff00::/120 lies inside the ClusterIP range 2001:db8:1162:79fb:ff00::/112",
    );
    expect(f?.fix).toContain("2001:db8:1162:79fb:ff01::/120");
  });

  it("reports pods overlapping services and pods overlapping LoadBalancers as separate pairs", () => {
    const plan = labPlan((p) => {
      p.network.podCidr = "2001:db8:1162:79fb:ff00::/72";
    });
    expect(findings(plan, "k8s-range-overlap")).toEqual([
      finding("k8s-range-overlap", "error", "network.serviceCidr", "network.podCidr"),
      finding("k8s-range-overlap", "error", "network.podCidr", "network.loadBalancerCidr"),
    ]);
  });

  it("accepts adjacent ranges", () => {
    const plan = labPlan((p) => {
      p.network.loadBalancerCidr = "2001:db8:1162:79fb:ff00::1:0/112";
      p.network.apiVip = "2001:db8:1162:79fb:ff00::1:1";
      p.k3s.tlsSan[5] = "2001:db8:1162:79fb:ff00::1:1";
    });
    expect(findings(plan, "k8s-range-overlap")).toEqual([]);
  });
});

describe("host-range-overlap", () => {
  it("reports the design document's host range containing the service and LoadBalancer ranges", () => {
    const plan = labPlan((p) => {
      p.network.hostRange = { from: "2001:db8:1162:79fb::", to: "2001:db8:1162:79fb:ffcb:ffff:ffff:ffff" };
    });
    expect(findings(plan, "host-range-overlap")).toEqual([
      finding("host-range-overlap", "error", "network.hostRange", "network.serviceCidr"),
      finding("host-range-overlap", "error", "network.hostRange", "network.loadBalancerCidr"),
    ]);
    expect(full(plan, "host-range-overlap")[0]?.fix).toContain(
      "Set network.hostRange.to to 2001:db8:1162:79fb:feff:ffff:ffff:ffff",
    );
  });

  it("reports a pod range that overlaps the top of the host range", () => {
    const plan = labPlan((p) => {
      p.network.hostRange = { from: "2001:db8:1162:79fb::", to: "2001:db8:1162:79fb:ffcc::ff" };
    });
    expect(findings(plan, "host-range-overlap")).toEqual([
      finding("host-range-overlap", "error", "network.hostRange", "network.serviceCidr"),
      finding("host-range-overlap", "error", "network.hostRange", "network.loadBalancerCidr"),
      finding("host-range-overlap", "error", "network.hostRange", "network.podCidr"),
    ]);
    expect(full(plan, "host-range-overlap")[2]?.message).toContain("overlaps the pod range");
  });

  it("accepts the lab's host range that ends below ff00", () => {
    expect(findings(labPlan(), "host-range-overlap")).toEqual([]);
  });
});

describe("host-range-inverted", () => {
  it("reports a range whose start is above its end", () => {
    const plan = labPlan((p) => {
      p.network.hostRange = { from: "2001:db8:1162:79fb:feff::", to: "2001:db8:1162:79fb::" };
    });
    expect(findings(plan, "host-range-inverted")).toEqual([
      finding("host-range-inverted", "error", "network.hostRange"),
    ]);
    expect(full(plan, "host-range-inverted")[0]?.fix).toBe(
      'Swap the ends: from "2001:db8:1162:79fb::" to "2001:db8:1162:79fb:feff::".',
    );
  });

  it("accepts a one-address range", () => {
    const plan = labPlan((p) => {
      p.network.hostRange = { from: "2001:db8:1162:79fb::11", to: "2001:db8:1162:79fb::11" };
    });
    expect(findings(plan, "host-range-inverted")).toEqual([]);
  });
});

describe("host-range-outside-prefix", () => {
  it("reports a host range that reaches past the prefix and clamps it in the fix", () => {
    const plan = labPlan((p) => {
      p.network.hostRange = { from: "2001:db8:1162:79fb::", to: "2001:db8:1162:79fc::ff" };
    });
    expect(findings(plan, "host-range-outside-prefix")).toEqual([
      finding("host-range-outside-prefix", "error", "network.hostRange", "network.prefix"),
    ]);
    expect(full(plan, "host-range-outside-prefix")[0]?.fix).toContain(
      'from "2001:db8:1162:79fb::" to "2001:db8:1162:79fb:ffff:ffff:ffff:ffff"',
    );
  });

  it("accepts a host range inside the prefix", () => {
    expect(findings(labPlan(), "host-range-outside-prefix")).toEqual([]);
  });
});

describe("cidr-not-aligned", () => {
  it("reports host bits and writes the aligned CIDR in the fix", () => {
    const plan = labPlan((p) => {
      p.network.prefix = "2001:db8:1162:79fb::1/64";
      p.network.serviceCidr = "2001:db8:1162:79fb:ff00::10/112";
    });
    expect(findings(plan, "cidr-not-aligned")).toEqual([
      finding("cidr-not-aligned", "error", "network.prefix"),
      finding("cidr-not-aligned", "error", "network.serviceCidr"),
    ]);
    expect(full(plan, "cidr-not-aligned").map((f) => f.fix)).toEqual([
      "Write the network address: 2001:db8:1162:79fb::/64.",
      "Write the network address: 2001:db8:1162:79fb:ff00::/112.",
    ]);
  });

  it("accepts aligned CIDRs, whatever their spelling", () => {
    const plan = labPlan((p) => {
      p.network.podCidr = "2001:DB8:1162:79FB:FFCC:0:0:0/112";
    });
    expect(findings(plan, "cidr-not-aligned")).toEqual([]);
  });
});
