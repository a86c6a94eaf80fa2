import { describe, expect, it } from "vitest";
import { BFD_NOTE, labStatus } from "./state.js";
import { calicoProtocolName, hostVethName, labTopology, namespaces } from "./topology.js";

describe("labTopology", () => {
  it("gives the default lab examples/lab.yaml's addresses", () => {
    const t = labTopology();
    expect(t.prefix).toBe("2001:db8:1162:79fb::/64");
    expect(t.router.address).toBe("2001:db8:1162:79fb::1");
    expect(t.router.asn).toBe(65101);
    expect(t.nodes.map((n) => n.address)).toEqual([
      "2001:db8:1162:79fb::11",
      "2001:db8:1162:79fb::12",
      "2001:db8:1162:79fb::13",
    ]);
    expect(t.clusterAsn).toBe(65010);
    expect(t.serviceCidr).toBe("2001:db8:1162:79fb:ff00::/112");
    expect(t.loadBalancerCidr).toBe("2001:db8:1162:79fb:ff01::/112");
    expect(t.vip).toBe("2001:db8:1162:79fb:ff01::1");
    expect(t.podCidr).toBe("2001:db8:1162:79fb:ffcc::/112");
    expect(t.nodes.map((n) => n.podBlock)).toEqual([
      "2001:db8:1162:79fb:ffcc::/122",
      "2001:db8:1162:79fb:ffcc::40/122",
      "2001:db8:1162:79fb:ffcc::80/122",
    ]);
    expect(t.dns).toMatchObject({ port: 5353, zone: "k8s.example.org", tsigName: "ha-console" });
    expect(t.stateDir).toBe("/run/k3s-ha-lab/lab");
  });

  it("gives two names two /64s, two host veths and separate namespaces", () => {
    const a = labTopology("alpha");
    const b = labTopology("beta-lab-with-a-long-name");
    expect(a.prefix).not.toBe(b.prefix);
    expect(a.prefix).not.toBe(labTopology().prefix);
    expect(a.host.veth).not.toBe(b.host.veth);
    expect(b.host.veth.length).toBeLessThanOrEqual(15);
    expect(namespaces(a).some((ns) => namespaces(b).includes(ns))).toBe(false);
  });

  it("uses only documentation addresses (2001:db8::/32)", () => {
    for (const name of ["lab", "x", "smoke-0a1b"]) {
      const t = labTopology(name);
      const addresses = [
        t.router.address,
        t.vip,
        t.host.address,
        t.client.address,
        ...t.nodes.map((n) => n.address),
      ];
      for (const a of addresses) expect(a.startsWith("2001:db8:")).toBe(true);
      expect(t.prefix).toMatch(/^2001:db8:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/64$/);
    }
  });

  it("rejects names that would not make safe interface or file names", () => {
    expect(() => labTopology("Lab")).toThrow(/lower-case/);
    expect(() => labTopology("../x")).toThrow();
    expect(() => labTopology("-x")).toThrow();
  });

  it("names peers as Calico does", () => {
    expect(calicoProtocolName("Global", "2001:db8:1162:79fb::1")).toBe("Global_2001_db8_1162_79fb__1");
    expect(hostVethName("lab")).toBe("k3sl-lab");
  });
});

describe("labStatus", () => {
  it("says that BFD is a what-if Calico cannot render, and says nothing for the modes Calico can", () => {
    const t = labTopology("lab");
    const info = {
      name: "lab",
      preset: "vip",
      fastControllers: false,
      upAt: "2026-12-01T00:00:00Z",
    } as const;
    expect(labStatus(t, true, { ...info, bgp: "bfd" }).bgpNote).toBe(BFD_NOTE);
    expect(BFD_NOTE).toContain("Calico renders no BFD");
    expect(labStatus(t, true, { ...info, bgp: "default" })).not.toHaveProperty("bgpNote");
    expect(labStatus(t, true, { ...info, bgp: "fast" })).not.toHaveProperty("bgpNote");
    // The behaviours in force are named: one Calico version, the one the lab was brought up with.
    expect(labStatus(t, false).models.calicoVersion).toBe("v3.31.7");
    expect(labStatus(t, false).models.calico).toMatch(/^v3\.31\.7 .*only from nodes with a ready endpoint/);
    const v332 = labStatus(t, true, { ...info, bgp: "default", calico: "v3.32.1" }).models;
    expect(v332.calicoVersion).toBe("v3.32.1");
    expect(v332.calico).toMatch(/ready or not \(the readiness regression\)/);
    expect(Object.keys(labStatus(t, false).models).sort()).toEqual([
      "bird",
      "calico",
      "calicoVersion",
      "calicoctl",
      "dynamiclistener",
      "frr",
      "k3s",
      "kubeControllerManager",
      "kubeProxy",
      "metallb",
      "router",
    ]);
    // …and the router's kind: linux-frr unless the lab was brought up with --router pfsense.
    expect(labStatus(t, false).models.router).toBe("linux-frr");
    const pf = labStatus(t, true, { ...info, bgp: "default", router: "pfsense" }).models;
    expect(pf.router).toBe("pfsense");
    expect(pf.frr).toMatch(/pfSense's FRR package/);
  });
});
