// The cluster, DNS and endpoint sources and the route-policy audit against a lab of real daemons (root): every way in
// ready on option 1; k3s stopped on node02 shows in the endpoint matrix at once, and once its endpoint turns not
// ready the router has one path less and the audit expects exactly that; the document's starting point raises the
// pod-route alarm.
import {
  labDown,
  labTopology,
  labUp,
  listNamespaces,
  planFile,
  startK3s,
  stopK3s,
  uniqueLabName,
  waitForConverged,
} from "@k3s-ha/lab";
import {
  type ClusterSnapshot,
  clusterResponseSchema,
  dnsResponseSchema,
  endpointsResponseSchema,
  routeAuditResponseSchema,
} from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

const name = uniqueLabName("live");
let t: ReturnType<typeof labTopology>;
let h: Harness;

const get = async (url: string) => {
  const res = await h.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${API_TOKEN}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** Polls every source (bounded) until `accept` holds. */
async function until<T>(what: string, read: () => Promise<T | undefined>, tries = 90): Promise<T> {
  for (let i = 0; i < tries; i++) {
    await Promise.all([
      h.app.collectors.router.pollNow(),
      h.app.collectors.dns.pollNow().then(() => h.app.collectors.endpoints.pollNow()),
    ]);
    const v = await read();
    if (v !== undefined) return v;
    console.log(
      what,
      JSON.stringify((await audit()).find((c) => c.id === "vip-paths-follow-ready-endpoints")),
      JSON.stringify((await endpoints()).find((p) => p.target === "node:node02")?.tcp),
    );
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const audit = async () => routeAuditResponseSchema.parse(await get("/api/route-audit")).checks;
const check = async (id: string) => (await audit()).find((c) => c.id === id);
const endpoints = async () => endpointsResponseSchema.parse(await get("/api/endpoints")).endpoints;

beforeAll(async () => {
  t = labTopology(name);
  await labUp(name, { preset: "vip", fastControllers: true });
  h = await startHarness({ planFile: planFile(t) });
  await h.app.collectors.cluster.start();
  await waitForConverged(t);
}, 180_000);

afterAll(async () => {
  h?.app.collectors.cluster.stop();
  await h?.close();
  await labDown(name);
  expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
}, 60_000);

describe("live sources on a lab with option 1", () => {
  it("reads the cluster, DNS and every way in, and the audit passes", async () => {
    await until("every way in ready and the VIP check passing", async () => {
      const e = await endpoints();
      const vip = await check("vip-paths-follow-ready-endpoints");
      return e.length === 8 && e.every((x) => x.readyz.status === 200) && vip?.status === "pass"
        ? true
        : undefined;
    });
    const e = await endpoints();
    expect(e.map((x) => x.target)).toEqual([
      "node:node01",
      "node:node02",
      "node:node03",
      "vip",
      "round-robin",
      "round-robin",
      "round-robin",
      "vip-name",
    ]);
    expect(e.every((x) => x.tls.ok && x.tls.sanCovers)).toBe(true);
    const cluster = clusterResponseSchema.parse(await get("/api/cluster")).cluster;
    expect(cluster?.nodes.map((n) => [n.name, n.ready])).toEqual([
      ["node01", "ready"],
      ["node02", "ready"],
      ["node03", "ready"],
    ]);
    expect(cluster?.calico.version).toBe("v3.31.7");
    const dns = dnsResponseSchema.parse(await get("/api/dns")).dns;
    expect(dns?.names.map((n) => [n.kind, n.consistent])).toEqual([
      ["round-robin", true],
      ["vip-name", true],
    ]);
    const failing = (await audit()).filter((c) => c.status !== "pass");
    expect(failing).toEqual([]);
  });

  it("k3s stopped on node02: the matrix shows it; once its endpoint is not ready the audit expects one path less", async () => {
    await stopK3s(t, "node02");
    try {
      const node02 = await until("node02 refused in the matrix", async () => {
        const x = (await endpoints()).find((p) => p.target === "node:node02");
        return x && !x.tcp.ok ? x : undefined;
      });
      expect(node02.tcp.error).toBe("ECONNREFUSED");
      const vip = await until("the VIP check passing with two paths", async () => {
        const c = await check("vip-paths-follow-ready-endpoints");
        return c?.status === "pass" && c.message.includes("(node01, node03)") ? c : undefined;
      });
      expect(vip.evidence[1]?.text).toMatch(/node02 not ready/);
      const snap = h.app.hub.source<ClusterSnapshot>("kubernetes")?.data;
      const lb = snap?.loadBalancerServices.find((s) => s.loadBalancerIPs.includes(t.vip));
      expect(lb?.endpoints.find((x) => x.node === "node02")?.ready).toBe(false);
    } finally {
      await startK3s(t, "node02");
    }
    await until("node02's path back", async () => {
      const c = await check("vip-paths-follow-ready-endpoints");
      return c?.status === "pass" && c.message.includes("(node01, node02, node03)") ? true : undefined;
    });
  });

  it("the document's starting point: the router learns the pod blocks and the audit raises the alarm", async () => {
    await labUp(name, { preset: "before" });
    const pods = await until("the pod-route alarm", async () => {
      const c = await check("no-pod-routes");
      return c?.status === "fail" ? c : undefined;
    });
    expect(pods.severity).toBe("error");
    expect(pods.evidence.length).toBeGreaterThanOrEqual(3);
    expect(pods.message).toContain(t.podCidr);
  });
});
