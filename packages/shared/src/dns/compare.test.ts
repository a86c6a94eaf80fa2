import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validatePlan } from "../plan/validate.js";
import { compareDnsName, expectedDnsNames } from "./compare.js";

const r = validatePlan(
  parse(readFileSync(join(import.meta.dirname, "../../../../examples/lab.yaml"), "utf8")),
);
if (!r.ok) throw new Error("examples/lab.yaml");
const plan = r.plan;
const [rr, vip] = expectedDnsNames(plan);

describe("DNS names against the plan", () => {
  it("expects every server for the round-robin name and the VIP for the VIP name", () => {
    expect(rr).toEqual({
      name: "k8s-cluster.k8s.example.org",
      kind: "round-robin",
      expected: ["2001:db8:1162:79fb::11", "2001:db8:1162:79fb::12", "2001:db8:1162:79fb::13"],
    });
    expect(vip?.expected).toEqual(["2001:db8:1162:79fb:ff01::1"]);
  });

  it("is consistent when the answers match, written in any form, with the plan's TTL", () => {
    if (!rr) throw new Error("rr");
    const v = compareDnsName(plan, rr, {
      answers: ["2001:DB8:1162:79FB::11", "2001:db8:1162:79fb:0::12", "2001:db8:1162:79fb::13"].map(
        (address) => ({
          address,
          ttl: 60,
        }),
      ),
    });
    expect(v).toMatchObject({ missing: [], extra: [], ttlOk: true, consistent: true });
  });

  it("names a missing server, a stale former node, a foreign extra address and a wrong TTL", () => {
    if (!rr) throw new Error("rr");
    const v = compareDnsName(plan, rr, {
      answers: [
        { address: "2001:db8:1162:79fb::11", ttl: 60 },
        { address: "2001:db8:1162:79fb::14", ttl: 60 },
        { address: "2001:db8:ffff::1", ttl: 3600 },
      ],
    });
    expect(v.missing).toEqual(["2001:db8:1162:79fb::12", "2001:db8:1162:79fb::13"]);
    expect(v.extra).toEqual([
      { address: "2001:db8:1162:79fb::14", stale: true },
      { address: "2001:db8:ffff::1", stale: false },
    ]);
    expect(v).toMatchObject({ ttlOk: false, consistent: false });
  });

  it("an NXDOMAIN is inconsistent with every expected address missing", () => {
    if (!vip) throw new Error("vip");
    const v = compareDnsName(plan, vip, {
      answers: [],
      error: { code: "DNS_NXDOMAIN", message: "no such name" },
    });
    expect(v).toMatchObject({
      missing: ["2001:db8:1162:79fb:ff01::1"],
      consistent: false,
      error: { code: "DNS_NXDOMAIN" },
    });
  });
});
