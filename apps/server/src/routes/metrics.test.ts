// GET /metrics: only the API token or the read-only metrics token (not a session, not anonymous); Prometheus text
// with the k3s_ha_ names for what the hub holds; the metrics token opens nothing else.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, signIn, startHarness } from "../test/harness.js";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";

describe("GET /metrics", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ metricsToken: METRICS_TOKEN });
  });
  afterAll(async () => h.close());
  const scrape = (token?: string, cookie?: string) =>
    h.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(cookie ? { cookie } : {}) },
    });

  it("refuses anonymous scrapes, wrong tokens and sessions", async () => {
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape("wrong")).statusCode).toBe(401);
    const s = await signIn(h.app);
    expect((await scrape(undefined, s.cookie)).statusCode).toBe(401);
  });

  it("the metrics token opens /metrics and nothing under /api", async () => {
    expect((await scrape(METRICS_TOKEN)).statusCode).toBe(200);
    const api = await h.app.inject({
      method: "GET",
      url: "/api/sources",
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(api.statusCode).toBe(401);
  });

  it("exports source status, session states, path counts and audit results", async () => {
    h.app.hub.registerSource("router", { intervalMs: 2_000 });
    h.app.hub.update("router", {
      peers: [
        { source: "router", address: "2001:db8:1162:79fb::11", name: "node01", state: "Established" },
        { source: "router", address: "2001:db8:1162:79fb::12", name: "node02", state: "Active" },
      ],
      routes: [
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
    });
    const res = await scrape(API_TOKEN);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('k3s_ha_source_status{source="router",status="ok"} 1');
    expect(text).toContain('k3s_ha_source_status{source="router",status="failing"} 0');
    expect(text).toContain(
      'k3s_ha_bgp_session_up{source="router",peer="2001:db8:1162:79fb::12",name="node02",state="Active"} 0',
    );
    expect(text).toContain(
      'k3s_ha_bgp_session_up{source="router",peer="2001:db8:1162:79fb::11",name="node01",state="Established"} 1',
    );
    expect(text).toContain('k3s_ha_route_paths{prefix="2001:db8:1162:79fb:ff01::1/128"} 1');
    expect(text).toContain(
      'k3s_ha_audit_check{check="sessions-established",status="fail",severity="error"} 1',
    );
    expect(text).toContain('k3s_ha_audit_check{check="no-pod-routes",status="pass",severity="error"} 1');
    const samples = text.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter((l) => !l.startsWith("k3s_ha_"))).toEqual([]);
  });
});
