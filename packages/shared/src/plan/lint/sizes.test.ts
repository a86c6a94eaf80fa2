import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan, nodeAt } from "./test-plan.js";

describe("pod-block-size-invalid", () => {
  it("rejects an IPv6 block size outside /116-/128", () => {
    for (const size of [112, 115, 129]) {
      const plan = labPlan((p) => {
        p.network.podBlockSize = size;
      });
      expect(findings(plan, "pod-block-size-invalid")).toEqual([
        finding("pod-block-size-invalid", "error", "network.podBlockSize", "network.podCidr"),
      ]);
    }
  });

  it("rejects a block larger than the pod range", () => {
    const plan = labPlan((p) => {
      p.network.podCidr = "2001:db8:1162:79fb:ffcc::/124";
      p.network.podBlockSize = 122;
    });
    expect(findings(plan, "pod-block-size-invalid")).toEqual([
      finding("pod-block-size-invalid", "error", "network.podBlockSize", "network.podCidr"),
    ]);
    expect(full(plan, "pod-block-size-invalid")[0]?.message).toContain("larger than the pod range");
  });

  it("accepts /116 to /128", () => {
    for (const size of [116, 122, 128]) {
      expect(
        findings(
          labPlan((p) => (p.network.podBlockSize = size)),
          "pod-block-size-invalid",
        ),
      ).toEqual([]);
    }
  });
});

describe("pod-blocks-too-few", () => {
  it("reports fewer blocks than nodes and offers both fixes", () => {
    const plan = labPlan((p) => {
      p.network.podCidr = "2001:db8:1162:79fb:ffcc::/121";
    });
    expect(findings(plan, "pod-blocks-too-few")).toEqual([
      finding("pod-blocks-too-few", "error", "network.podCidr", "network.podBlockSize", "nodes"),
    ]);
    const [f] = full(plan, "pod-blocks-too-few");
    expect(f?.message).toContain("holds 2 blocks of /122, but the plan has 3 nodes");
    expect(f?.fix).toContain("2001:db8:1162:79fb:ffcc::/120");
    expect(f?.fix).toContain("podBlockSize to 123");
  });

  it("accepts exactly one block per node", () => {
    const plan = labPlan((p) => {
      p.network.podCidr = "2001:db8:1162:79fb:ffcc::/120";
      p.network.podBlockSize = 122;
      p.nodes.push({ ...nodeAt(p, 2), name: "node04", address: "2001:db8:1162:79fb::14", role: "agent" });
    });
    expect(findings(plan, "pod-blocks-too-few")).toEqual([]);
  });
});

describe("service-cidr-too-large", () => {
  it("rejects an IPv6 service range shorter than /108", () => {
    const plan = labPlan((p) => {
      p.network.serviceCidr = "2001:db8:1162:79fb:ff00::/104";
    });
    expect(findings(plan, "service-cidr-too-large")).toEqual([
      finding("service-cidr-too-large", "error", "network.serviceCidr"),
    ]);
    expect(full(plan, "service-cidr-too-large")[0]?.fix).toContain("2001:db8:1162:79fb:ff00::/112");
  });

  it("accepts /108", () => {
    const plan = labPlan((p) => {
      p.network.serviceCidr = "2001:db8:1162:79fb:ff00::/108";
    });
    expect(findings(plan, "service-cidr-too-large")).toEqual([]);
  });
});
