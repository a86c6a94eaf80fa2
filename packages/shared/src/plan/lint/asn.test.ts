import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan } from "./test-plan.js";

const withAsns = (clusterAsn: number, routerAsn: number) =>
  labPlan((p) => {
    p.bgp.clusterAsn = clusterAsn;
    p.bgp.router.asn = routerAsn;
  });

describe("asn-reserved", () => {
  it.each([0, 23456, 65535, 65552, 131071, 4294967295])("rejects AS %i", (asn) => {
    expect(findings(withAsns(asn, 65101), "asn-reserved")).toEqual([
      finding("asn-reserved", "error", "bgp.clusterAsn"),
    ]);
  });

  it("names AS_TRANS", () => {
    expect(full(withAsns(65010, 23456), "asn-reserved")[0]?.message).toContain("AS_TRANS");
  });
});

describe("asn-documentation", () => {
  it.each([64496, 64511, 65536, 65551])("rejects documentation AS %i", (asn) => {
    expect(findings(withAsns(65010, asn), "asn-documentation")).toEqual([
      finding("asn-documentation", "error", "bgp.router.asn"),
    ]);
  });
});

describe("asn-public", () => {
  it.each([64495, 3320, 131072, 4199999999])("notes public AS %i as info", (asn) => {
    expect(findings(withAsns(asn, 65101), "asn-public")).toEqual([
      finding("asn-public", "info", "bgp.clusterAsn"),
    ]);
  });
});

describe("private ASNs", () => {
  it.each([
    [65010, 65101],
    [64512, 65534],
    [4200000000, 4294967294],
  ])("accepts %i and %i without any finding", (a, b) => {
    const plan = withAsns(a, b);
    for (const id of ["asn-reserved", "asn-documentation", "asn-public", "cluster-asn-equals-router-asn"]) {
      expect(findings(plan, id)).toEqual([]);
    }
  });
});

describe("cluster-asn-equals-router-asn", () => {
  it("reports iBGP where eBGP is intended", () => {
    expect(findings(withAsns(65010, 65010), "cluster-asn-equals-router-asn")).toEqual([
      finding("cluster-asn-equals-router-asn", "error", "bgp.clusterAsn", "bgp.router.asn"),
    ]);
    expect(full(withAsns(65010, 65010), "cluster-asn-equals-router-asn")[0]?.fix).toContain("65101");
  });
});
