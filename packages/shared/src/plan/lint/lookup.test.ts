import { describe, expect, it } from "vitest";
import { formatCidr } from "../../net/ip.js";
import { freeBlockFor, nameInZone, normalizeName, planLayout } from "./lookup.js";
import { labPlan } from "./test-plan.js";

describe("DNS name helpers", () => {
  it("compares names without case or trailing dot", () => {
    expect(normalizeName("K8S-API.Example.ORG.")).toBe("k8s-api.example.org");
    expect(nameInZone("k8s-api.k8s.example.org.", "K8S.example.org")).toBe(true);
    expect(nameInZone("k8s.example.org", "k8s.example.org.")).toBe(true);
    expect(nameInZone("xk8s.example.org", "k8s.example.org")).toBe(false);
  });
});

describe("freeBlockFor", () => {
  it("finds the next free slot of the same size on a hextet boundary", () => {
    const layout = planLayout(
      labPlan((p) => {
        p.network.loadBalancerCidr = "2001:db8:1162:79fb:ff00::/112";
      }),
    );
    const lb = layout.range("loadBalancers");
    const free = lb && freeBlockFor(layout, lb);
    expect(free && formatCidr(free)).toBe("2001:db8:1162:79fb:ff01::/112");
  });

  it("skips the host range, other ranges and node addresses", () => {
    const layout = planLayout(
      labPlan((p) => {
        p.network.hostRange = { from: "2001:db8:1162:79fb::", to: "2001:db8:1162:79fb:ffcb:ffff:ffff:ffff" };
        p.network.loadBalancerCidr = "2001:db8:1162:79fb:ff00::/112";
      }),
    );
    const lb = layout.range("loadBalancers");
    const free = lb && freeBlockFor(layout, lb);
    expect(free && formatCidr(free)).toBe("2001:db8:1162:79fb:ffcd::/112");
  });

  it("gives up for a range outside the site prefix", () => {
    const layout = planLayout(
      labPlan((p) => {
        p.network.loadBalancerCidr = "2001:db8:1162:7a00::/112";
      }),
    );
    const lb = layout.range("loadBalancers");
    expect(lb && freeBlockFor(layout, lb)).toBeNull();
  });
});
