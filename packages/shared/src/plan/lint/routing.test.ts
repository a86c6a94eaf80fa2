import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan } from "./test-plan.js";

describe("pod-routes-exported", () => {
  it("warns when pod routes reach the router", () => {
    const plan = labPlan((p) => {
      p.bgp.rejectPodRoutes = false;
    });
    expect(findings(plan, "pod-routes-exported")).toEqual([
      finding("pod-routes-exported", "warning", "bgp.rejectPodRoutes", "network.podCidr"),
    ]);
    expect(full(plan, "pod-routes-exported")[0]?.fix).toContain("cidr 2001:db8:1162:79fb:ffcc::/112");
  });
});

describe("mesh-off-pod-routes-rejected", () => {
  const meshOff = (mutate: (p: ReturnType<typeof labPlan>) => void = () => {}) =>
    labPlan((p) => {
      p.bgp.nodeToNodeMesh = false;
      mutate(p);
    });

  it("reports the design document appendix's contradiction", () => {
    expect(findings(meshOff(), "mesh-off-pod-routes-rejected")).toEqual([
      finding(
        "mesh-off-pod-routes-rejected",
        "error",
        "bgp.nodeToNodeMesh",
        "bgp.rejectPodRoutes",
        "bgp.podEncapsulation",
      ),
    ]);
    expect(full(meshOff(), "mesh-off-pod-routes-rejected")[0]?.fix).toContain("VXLAN");
  });

  it("accepts the mesh off with VXLAN, and a single node", () => {
    expect(
      findings(
        meshOff((p) => (p.bgp.podEncapsulation = "VXLAN")),
        "mesh-off-pod-routes-rejected",
      ),
    ).toEqual([]);
    expect(
      findings(
        meshOff((p) => p.nodes.splice(1)),
        "mesh-off-pod-routes-rejected",
      ),
    ).toEqual([]);
    expect(findings(labPlan(), "mesh-off-pod-routes-rejected")).toEqual([]);
  });

  it("warns about the AS-path loop when pod routes go through the router instead", () => {
    const plan = meshOff((p) => {
      p.bgp.rejectPodRoutes = false;
    });
    expect(findings(plan, "mesh-off-pod-routes-rejected")).toEqual([]);
    expect(findings(plan, "mesh-off-as-path-loop")).toEqual([
      finding(
        "mesh-off-as-path-loop",
        "warning",
        "bgp.nodeToNodeMesh",
        "bgp.rejectPodRoutes",
        "bgp.podEncapsulation",
      ),
    ]);
    expect(full(plan, "mesh-off-as-path-loop")[0]?.fix).toContain("numAllowedLocalASNumbers: 1");
  });
});

describe("ipip-on-ipv6", () => {
  it.each(["IPIP", "IPIPCrossSubnet"] as const)("rejects %s for an IPv6 pod pool", (mode) => {
    const plan = labPlan((p) => {
      p.bgp.podEncapsulation = mode;
    });
    expect(findings(plan, "ipip-on-ipv6")).toEqual([
      finding("ipip-on-ipv6", "error", "bgp.podEncapsulation", "network.podCidr"),
    ]);
  });

  it.each(["None", "VXLAN", "VXLANCrossSubnet"] as const)("accepts %s", (mode) => {
    expect(
      findings(
        labPlan((p) => (p.bgp.podEncapsulation = mode)),
        "ipip-on-ipv6",
      ),
    ).toEqual([]);
  });
});
