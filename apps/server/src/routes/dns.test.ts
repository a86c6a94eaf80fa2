// GET /api/dns: authenticated; the DNS source's last snapshot.
import { dnsResponseSchema } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

describe("GET /api/dns", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("needs authentication and answers the last snapshot", async () => {
    expect((await h.app.inject({ method: "GET", url: "/api/dns" })).statusCode).toBe(401);
    const get = () =>
      h.app.inject({ method: "GET", url: "/api/dns", headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(dnsResponseSchema.parse((await get()).json())).toEqual({ dns: null });
    const name = {
      name: "k8s-api.k8s.example.org",
      kind: "vip-name" as const,
      expected: ["2001:db8:1162:79fb:ff01::1"],
      answers: [],
      missing: ["2001:db8:1162:79fb:ff01::1"],
      extra: [],
      ttlExpected: 60,
      ttlOk: true,
      consistent: false,
      error: { code: "DNS_NXDOMAIN", message: "the server says the name does not exist (NXDOMAIN)" },
    };
    h.app.hub.update("dns", { server: "[2001:db8:1162:79fb::1]:5353", names: [name] });
    expect(dnsResponseSchema.parse((await get()).json()).dns?.names).toEqual([name]);
  });
});
