// GET /api/route-audit: authenticated; computed over the hub's router and cluster snapshots, unknown with the reason
// while a source fails.
import { routeAuditResponseSchema } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

describe("GET /api/route-audit", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());
  const get = async () => {
    const res = await h.app.inject({
      method: "GET",
      url: "/api/route-audit",
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return routeAuditResponseSchema.parse(res.json()).checks;
  };

  it("needs authentication", async () => {
    expect((await h.app.inject({ method: "GET", url: "/api/route-audit" })).statusCode).toBe(401);
  });

  it("is unknown, naming the router's error, while the router source fails", async () => {
    h.app.hub.fail("router", { code: "HOST_UNREACHABLE", message: "connect ETIMEDOUT" });
    const checks = await get();
    expect(checks.every((c) => c.status === "unknown")).toBe(true);
    expect(checks[0]?.message).toBe(
      "the router source is not fresh: failing (HOST_UNREACHABLE: connect ETIMEDOUT)",
    );
  });

  it("raises the pod-route alarm from the router's table, with the route as evidence", async () => {
    h.app.hub.update("router", {
      peers: [],
      routes: [
        {
          prefix: "2001:db8:1162:79fb:ffcc::40/122",
          paths: [
            {
              nextHop: "2001:db8:1162:79fb::12",
              node: "node02",
              peer: "2001:db8:1162:79fb::12",
              best: true,
              multipath: false,
              valid: true,
              stale: false,
            },
          ],
          fib: { nextHops: [{ address: "2001:db8:1162:79fb::12", node: "node02", active: true }] },
        },
      ],
    });
    const pods = (await get()).find((c) => c.id === "no-pod-routes");
    expect(pods).toMatchObject({ status: "fail", severity: "error" });
    expect(pods?.evidence).toEqual([
      { source: "router", text: "2001:db8:1162:79fb:ffcc::40/122: via node02 best; FIB node02" },
    ]);
  });
});
