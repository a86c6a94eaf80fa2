import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan } from "./test-plan.js";

const onLink = labPlan((p) => {
  p.network.onLink = true;
});

describe("on-link rules", () => {
  it("reports the VIP and the LoadBalancer range as errors when the prefix is on-link", () => {
    expect(findings(onLink, "on-link-api-vip")).toEqual([
      finding("on-link-api-vip", "error", "network.apiVip", "network.prefix", "network.onLink"),
    ]);
    expect(findings(onLink, "on-link-load-balancer-range")).toEqual([
      finding(
        "on-link-load-balancer-range",
        "error",
        "network.loadBalancerCidr",
        "network.prefix",
        "network.onLink",
      ),
    ]);
    const [f] = full(onLink, "on-link-api-vip");
    expect(f?.message).toContain("neighbour discovery");
    expect(f?.fix).toContain("ipv6 nd prefix 2001:db8:1162:79fb::/64 off-link");
  });

  it("warns about the service and pod ranges", () => {
    expect(findings(onLink, "on-link-service-range")).toEqual([
      finding("on-link-service-range", "warning", "network.serviceCidr", "network.prefix", "network.onLink"),
    ]);
    expect(findings(onLink, "on-link-pod-range")).toEqual([
      finding("on-link-pod-range", "warning", "network.podCidr", "network.prefix", "network.onLink"),
    ]);
  });

  it("is silent when the Kubernetes ranges come from a separate prefix", () => {
    const separate = labPlan((p) => {
      p.network.onLink = true;
      p.network.podCidr = "2001:db8:1162:7a00:ffcc::/112";
      p.network.serviceCidr = "2001:db8:1162:7a00:ff00::/112";
      p.network.clusterDns = "2001:db8:1162:7a00:ff00::10";
      p.network.loadBalancerCidr = "2001:db8:1162:7a00:ff01::/112";
      p.network.apiVip = "2001:db8:1162:7a00:ff01::1";
      p.k3s.tlsSan[5] = "2001:db8:1162:7a00:ff01::1";
    });
    for (const id of [
      "on-link-api-vip",
      "on-link-load-balancer-range",
      "on-link-service-range",
      "on-link-pod-range",
    ]) {
      expect(findings(separate, id)).toEqual([]);
    }
  });

  it("is silent when the prefix is advertised off-link", () => {
    expect(full(labPlan(), "on-link-api-vip")).toEqual([]);
    expect(full(labPlan(), "on-link-load-balancer-range")).toEqual([]);
  });
});
