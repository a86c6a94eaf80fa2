import { describe, expect, it } from "vitest";
import { finding, findings, full, labPlan } from "./test-plan.js";

describe("vip-in-service-range", () => {
  it("reports the design document's VIP ff00::100 inside the ClusterIP range", () => {
    const plan = labPlan((p) => {
      p.network.apiVip = "2001:db8:1162:79fb:ff00::100";
    });
    expect(findings(plan, "vip-in-service-range")).toEqual([
      finding("vip-in-service-range", "error", "network.apiVip", "network.serviceCidr"),
    ]);
    const [f] = full(plan, "vip-in-service-range");
    expect(f?.message).toContain(
      "API VIP 2001:db8:1162:79fb:ff00::100 lies inside the ClusterIP range 2001:db8:1162:79fb:ff00::/112",
    );
    expect(f?.message).toContain("kube-proxy drops");
  });

  it("accepts a VIP in the LoadBalancer range", () => {
    expect(findings(labPlan(), "vip-in-service-range")).toEqual([]);
  });
});

describe("vip-outside-lb-range", () => {
  it("reports a VIP outside the LoadBalancer range and says where it lies instead", () => {
    const plan = labPlan((p) => {
      p.network.apiVip = "2001:db8:1162:79fb::100";
    });
    expect(findings(plan, "vip-outside-lb-range")).toEqual([
      finding("vip-outside-lb-range", "error", "network.apiVip", "network.loadBalancerCidr"),
    ]);
    const [f] = full(plan, "vip-outside-lb-range");
    expect(f?.message).toContain("(it lies in the host range");
    expect(f?.fix).toContain("2001:db8:1162:79fb:ff01::1");
  });

  it("accepts the last address of the LoadBalancer range", () => {
    const plan = labPlan((p) => {
      p.network.apiVip = "2001:db8:1162:79fb:ff01::ffff";
      p.k3s.tlsSan[5] = "2001:db8:1162:79fb:ff01::ffff";
    });
    expect(findings(plan, "vip-outside-lb-range")).toEqual([]);
  });
});

describe("vip-equals-host-address", () => {
  it("reports a VIP that is a node's address", () => {
    const plan = labPlan((p) => {
      p.network.apiVip = "2001:db8:1162:79fb::12";
    });
    expect(findings(plan, "vip-equals-host-address")).toEqual([
      finding("vip-equals-host-address", "error", "network.apiVip", "nodes[1].address"),
    ]);
  });

  it("reports a VIP that is the router's address", () => {
    const plan = labPlan((p) => {
      p.network.apiVip = "2001:db8:1162:79fb::1";
    });
    expect(findings(plan, "vip-equals-host-address")).toEqual([
      finding("vip-equals-host-address", "error", "network.apiVip", "bgp.router.address"),
      finding("vip-equals-host-address", "error", "network.apiVip", "dns.server"),
    ]);
  });

  it("accepts a VIP of its own", () => {
    expect(findings(labPlan(), "vip-equals-host-address")).toEqual([]);
  });
});

describe("cluster DNS", () => {
  it("reports cluster DNS outside the ClusterIP range", () => {
    const plan = labPlan((p) => {
      p.network.clusterDns = "2001:db8:1162:79fb:ff01::10";
    });
    expect(findings(plan, "cluster-dns-outside-service-range")).toEqual([
      finding("cluster-dns-outside-service-range", "error", "network.clusterDns", "network.serviceCidr"),
    ]);
    expect(full(plan, "cluster-dns-outside-service-range")[0]?.fix).toContain("2001:db8:1162:79fb:ff00::a");
  });

  it("reports cluster DNS on the kubernetes Service's address (network + 1)", () => {
    const plan = labPlan((p) => {
      p.network.clusterDns = "2001:db8:1162:79fb:ff00:0:0:1";
    });
    expect(findings(plan, "cluster-dns-is-kubernetes-service")).toEqual([
      finding("cluster-dns-is-kubernetes-service", "error", "network.clusterDns", "network.serviceCidr"),
    ]);
  });

  it("reports cluster DNS on the network address", () => {
    const plan = labPlan((p) => {
      p.network.clusterDns = "2001:db8:1162:79fb:ff00::";
    });
    expect(findings(plan, "cluster-dns-is-network-address")).toEqual([
      finding("cluster-dns-is-network-address", "error", "network.clusterDns", "network.serviceCidr"),
    ]);
  });

  it("accepts ::10 and ::2", () => {
    const ids = [
      "cluster-dns-outside-service-range",
      "cluster-dns-is-kubernetes-service",
      "cluster-dns-is-network-address",
    ];
    for (const dns of ["2001:db8:1162:79fb:ff00::10", "2001:db8:1162:79fb:ff00::2"]) {
      const plan = labPlan((p) => {
        p.network.clusterDns = dns;
      });
      for (const id of ids) expect(findings(plan, id)).toEqual([]);
    }
  });
});
