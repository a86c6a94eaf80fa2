import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan, patchNode } from "./test-plan.js";

describe("address-in-k8s-range", () => {
  it("reports a node inside the ClusterIP range and the router inside the pod range", () => {
    const plan = labPlan((p) => {
      patchNode(p, 2, { address: "2001:db8:1162:79fb:ff00::13" });
      p.bgp.router.address = "2001:db8:1162:79fb:ffcc::1";
    });
    expect(findings(plan, "address-in-k8s-range")).toEqual([
      finding("address-in-k8s-range", "error", "bgp.router.address", "network.podCidr"),
      finding("address-in-k8s-range", "error", "nodes[2].address", "network.serviceCidr"),
    ]);
    expect(full(plan, "address-in-k8s-range")[1]?.message).toContain(
      "Node node03 (nodes[2].address 2001:db8:1162:79fb:ff00::13) lies inside the ClusterIP range",
    );
  });

  it("reports a node inside the LoadBalancer range", () => {
    const plan = labPlan((p) => {
      patchNode(p, 0, { address: "2001:db8:1162:79fb:ff01::11" });
    });
    expect(findings(plan, "address-in-k8s-range")).toEqual([
      finding("address-in-k8s-range", "error", "nodes[0].address", "network.loadBalancerCidr"),
    ]);
    // Reported once: not also as outside the host range.
    expect(findings(plan, "node-outside-host-range")).toEqual([]);
  });

  it("accepts nodes in the host range", () => {
    expect(findings(labPlan(), "address-in-k8s-range")).toEqual([]);
  });
});

describe("node-outside-host-range", () => {
  it("warns about a node inside the prefix but above the host range", () => {
    const plan = labPlan((p) => {
      patchNode(p, 1, { address: "2001:db8:1162:79fb:ffff::12" });
    });
    expect(findings(plan, "node-outside-host-range")).toEqual([
      finding("node-outside-host-range", "warning", "nodes[1].address", "network.hostRange"),
    ]);
  });

  it("says nothing without a host range", () => {
    const plan = labPlan((p) => {
      p.network.hostRange = undefined;
      patchNode(p, 1, { address: "2001:db8:1162:79fb:ffff::12" });
    });
    expect(findings(plan, "node-outside-host-range")).toEqual([]);
  });
});

describe("bgp-peer-outside-prefix", () => {
  it("warns about a node and a router outside the site prefix (eBGP multihop)", () => {
    const plan = labPlan((p) => {
      patchNode(p, 0, { address: "2001:db8:1162:7a00::11" });
      p.bgp.router.address = "2001:db8:ffff::1";
    });
    expect(findings(plan, "bgp-peer-outside-prefix")).toEqual([
      finding("bgp-peer-outside-prefix", "warning", "bgp.router.address", "network.prefix"),
      finding("bgp-peer-outside-prefix", "warning", "nodes[0].address", "network.prefix"),
    ]);
    expect(full(plan, "bgp-peer-outside-prefix")[1]?.fix).toContain(
      "neighbor 2001:db8:1162:7a00::11 ebgp-multihop 2",
    );
    // A node outside the prefix is not also reported as outside the host range.
    expect(findings(plan, "node-outside-host-range")).toEqual([]);
  });

  it("accepts peers on the prefix", () => {
    expect(findings(labPlan(), "bgp-peer-outside-prefix")).toEqual([]);
  });
});

describe("subnet-router-anycast", () => {
  it("reports a node using the all-zeros interface ID of the prefix", () => {
    const plan = labPlan((p) => {
      patchNode(p, 0, { address: "2001:db8:1162:79fb::" });
    });
    expect(findings(plan, "subnet-router-anycast")).toEqual([
      finding("subnet-router-anycast", "error", "nodes[0].address", "network.prefix"),
    ]);
    expect(full(plan, "subnet-router-anycast")[0]?.fix).toContain("2001:db8:1162:79fb::11");
  });

  it("accepts the host range starting there", () => {
    expect(findings(labPlan(), "subnet-router-anycast")).toEqual([]);
  });
});

describe("duplicates", () => {
  it("reports duplicate node names", () => {
    const plan = labPlan((p) => {
      patchNode(p, 2, { name: "node01" });
    });
    expect(findings(plan, "duplicate-node-name")).toEqual([
      finding("duplicate-node-name", "error", "nodes[0].name", "nodes[2].name"),
    ]);
  });

  it("reports duplicate node addresses, compared canonically", () => {
    const plan = labPlan((p) => {
      patchNode(p, 1, { address: "2001:DB8:1162:79FB:0:0:0:11" });
    });
    expect(findings(plan, "duplicate-node-address")).toEqual([
      finding("duplicate-node-address", "error", "nodes[0].address", "nodes[1].address"),
    ]);
  });

  it("reports a node using the router's address", () => {
    const plan = labPlan((p) => {
      patchNode(p, 0, { address: "2001:db8:1162:79fb:0::1" });
    });
    expect(findings(plan, "node-address-is-router")).toEqual([
      finding("node-address-is-router", "error", "nodes[0].address", "bgp.router.address"),
    ]);
  });

  it("accepts distinct nodes", () => {
    const plan = labPlan();
    expect(findings(plan, "duplicate-node-name")).toEqual([]);
    expect(findings(plan, "duplicate-node-address")).toEqual([]);
    expect(findings(plan, "node-address-is-router")).toEqual([]);
  });
});
