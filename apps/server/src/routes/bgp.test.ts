// GET /api/bgp/peers and /api/bgp/routes read the router source from the hub: the contract's fields, uptime measured
// at answer time, routes filtered by prefix, bad prefixes refused.
import { bgpPeersResponseSchema, bgpRoutesResponseSchema } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterSnapshot } from "../collectors/router.js";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

const snapshot: RouterSnapshot = {
  frrVersion: "8.4.4",
  peers: [
    {
      source: "router",
      address: "2001:db8:1162:79fb::11",
      name: "node01",
      state: "Established",
      peerState: "OK",
      establishedAt: new Date(Date.now() - 65_000).toISOString(),
      prefixesReceived: 8,
      prefixesSent: 4,
      holdTimeMs: 180_000,
      keepaliveMs: 60_000,
    },
    {
      source: "router",
      address: "2001:db8:1162:79fb::12",
      name: "node02",
      state: "Active",
      prefixesReceived: 0,
    },
  ],
  routes: [
    {
      prefix: "2001:db8:1162:79fb:ff00::/112",
      paths: [
        {
          nextHop: "2001:db8:1162:79fb::11",
          node: "node01",
          peer: "2001:db8:1162:79fb::11",
          best: true,
          multipath: false,
          valid: true,
          stale: false,
        },
      ],
      fib: { nextHops: [{ address: "2001:db8:1162:79fb::11", node: "node01", active: true }] },
    },
    {
      prefix: "2001:db8:1162:79fb:ff01::1/128",
      paths: [
        {
          nextHop: "2001:db8:1162:79fb::11",
          node: "node01",
          peer: "2001:db8:1162:79fb::11",
          best: true,
          multipath: false,
          valid: true,
          stale: false,
        },
      ],
      fib: { nextHops: [{ address: "2001:db8:1162:79fb::11", node: "node01", active: true }] },
    },
  ],
};

describe("BGP routes", () => {
  let h: Harness;
  const get = (url: string) =>
    h.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${API_TOKEN}` } });
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("answers empty lists before the router has been read, and needs authentication", async () => {
    expect((await get("/api/bgp/peers")).json()).toEqual({ peers: [] });
    expect((await h.app.inject({ method: "GET", url: "/api/bgp/routes" })).statusCode).toBe(401);
  });

  it("lists the router's sessions with uptimeMs measured now from establishedAt", async () => {
    h.app.hub.update("router", snapshot);
    const body = bgpPeersResponseSchema.parse((await get("/api/bgp/peers")).json());
    expect(body.peers.map((p) => [p.name, p.state])).toEqual([
      ["node01", "Established"],
      ["node02", "Active"],
    ]);
    expect(body.peers[0]?.uptimeMs).toBeGreaterThanOrEqual(65_000);
    expect(body.peers[0]?.uptimeMs).toBeLessThan(65_000 + 30_000);
    expect(body.peers[1]?.uptimeMs).toBeUndefined();
  });

  it("filters routes to a prefix and everything inside it; refuses what is not a CIDR", async () => {
    h.app.hub.update("router", snapshot);
    const all = bgpRoutesResponseSchema.parse((await get("/api/bgp/routes")).json());
    expect(all.routes).toHaveLength(2);
    const lb = bgpRoutesResponseSchema.parse(
      (await get(`/api/bgp/routes?prefix=${encodeURIComponent("2001:db8:1162:79fb:ff01::/112")}`)).json(),
    );
    expect(lb.routes.map((r) => r.prefix)).toEqual(["2001:db8:1162:79fb:ff01::1/128"]);
    const bad = await get("/api/bgp/routes?prefix=ff01%3A%3A1");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/prefix/) });
  });
});
