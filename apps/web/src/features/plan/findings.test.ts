import type { Finding } from "@k3s-ha/shared";
import { describe, expect, it } from "vitest";
import { findingsAbout, groupBySeverity, pathsMatch, worstSeverity } from "./findings";

const vipInServices: Finding = {
  id: "vip-in-service-range",
  severity: "error",
  message: "The API VIP lies inside the ClusterIP range.",
  paths: ["network.apiVip", "network.serviceCidr"],
  fix: "Take the VIP from network.loadBalancerCidr.",
};
const tlsSan: Finding = {
  id: "tls-san-missing-vip-name",
  severity: "warning",
  message: "k3s.tlsSan lacks the VIP name.",
  paths: ["k3s.tlsSan", "dns.vipName"],
  fix: "Add it.",
};

describe("pathsMatch", () => {
  it("matches equal paths and paths inside one another at a segment boundary", () => {
    expect(pathsMatch("nodes[1].address", "nodes[1].address")).toBe(true);
    expect(pathsMatch("nodes[1]", "nodes[1].address")).toBe(true);
    expect(pathsMatch("network.hostRange.to", "network.hostRange")).toBe(true);
    expect(pathsMatch("nodes", "nodes[2].address")).toBe(true);
  });

  it("does not match a longer index or a field that only shares a prefix", () => {
    expect(pathsMatch("nodes[1]", "nodes[10].address")).toBe(false);
    expect(pathsMatch("network.podCidr", "network.podCidrV4")).toBe(false);
    expect(pathsMatch("k3s.tlsSan", "network.apiVip")).toBe(false);
  });
});

describe("findingsAbout / worstSeverity / groupBySeverity", () => {
  it("finds what concerns the API VIP and ranks severities", () => {
    expect(findingsAbout([vipInServices, tlsSan], "network.apiVip")).toEqual([vipInServices]);
    expect(findingsAbout([vipInServices, tlsSan], "network.podCidr")).toEqual([]);
    expect(worstSeverity([tlsSan, vipInServices])).toBe("error");
    expect(worstSeverity([])).toBeNull();
    expect(groupBySeverity([vipInServices, tlsSan])).toEqual({
      error: [vipInServices],
      warning: [tlsSan],
      info: [],
    });
  });
});
