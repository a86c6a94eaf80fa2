// The DNS collector against a real BIND9 on [::1]: consistent names, a record removed and a foreign one added by a
// dynamic update, an NXDOMAIN, and a server that does not answer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Plan, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../test/harness.js";
import { startNamed, type TestNamed } from "../test/named.js";
import { collectDns } from "./dns.js";

let named: TestNamed;
let plan: Plan;
const signal = new AbortController().signal;

beforeAll(async () => {
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  named = await startNamed("k8s.example.org", [
    "k8s-cluster IN AAAA 2001:db8:1162:79fb::11",
    "k8s-cluster IN AAAA 2001:db8:1162:79fb::12",
    "k8s-cluster IN AAAA 2001:db8:1162:79fb::13",
    "k8s-api IN AAAA 2001:db8:1162:79fb:ff01::1",
  ]);
  plan = { ...r.plan, dns: { ...r.plan.dns, server: "::1", port: named.port } };
});
afterAll(() => named?.stop());

describe("DNS collector", () => {
  it("resolves both names at the plan's server and port and finds them consistent", async () => {
    const s = await collectDns(plan, signal);
    expect(s.server).toBe(`[::1]:${named.port}`);
    expect(s.names.map((n) => [n.kind, n.answers.length, n.ttlOk, n.consistent])).toEqual([
      ["round-robin", 3, true, true],
      ["vip-name", 1, true, true],
    ]);
  });

  it("names a removed server and a foreign address after a dynamic update, and a wrong TTL", async () => {
    named.update([
      "update delete k8s-cluster.k8s.example.org. AAAA 2001:db8:1162:79fb::12",
      "update add k8s-cluster.k8s.example.org. 300 AAAA 2001:db8:ffff::7",
    ]);
    const rr = (await collectDns(plan, signal)).names[0];
    expect(rr?.missing).toEqual(["2001:db8:1162:79fb::12"]);
    expect(rr?.extra).toEqual([{ address: "2001:db8:ffff::7", stale: false }]);
    // An RRset has one TTL: the update's 300 s applies to the whole set.
    expect(rr?.answers.every((a) => a.ttl === 300)).toBe(true);
    expect(rr).toMatchObject({ ttlOk: false, consistent: false });
  });

  it("an NXDOMAIN is that name's error, not the source's", async () => {
    named.update(["update delete k8s-api.k8s.example.org. AAAA"]);
    const vip = (await collectDns(plan, signal)).names[1];
    expect(vip?.error?.code).toBe("DNS_NXDOMAIN");
    expect(vip?.missing).toEqual(["2001:db8:1162:79fb:ff01::1"]);
  });

  it("fails the source with DNS_TIMEOUT when nothing answers at the plan's address", async () => {
    const silent = { ...plan, dns: { ...plan.dns, port: 9 } };
    await expect(collectDns(silent, signal, 300)).rejects.toMatchObject({
      code: expect.stringMatching(/^DNS_(TIMEOUT|UNREACHABLE)$/),
      message: expect.stringContaining("[::1]:9 did not answer"),
    });
  });
});
