// The endpoint matrix against the lab's Kubernetes API on [::1]: /readyz 200 with the kubeconfig's certificate and
// 401 with a refused token, the SAN check for a name the certificate covers and one it does not, an untrusted CA,
// a refused port, and a poll that publishes only when an outcome (not a latency) changed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startCluster, type TestCluster } from "@k3s-ha/lab";
import { type DnsSnapshot, type Plan, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Hub } from "../plugins/hub.js";
import { kubeAccess } from "../plugins/kube.js";
import { REPO } from "../test/harness.js";
import { collectEndpoints, endpointTargets, probeEndpoint, sameOutcomes } from "./endpoints.js";
import { Poller } from "./poller.js";

let cluster: TestCluster;
let plan: Plan;
const signal = new AbortController().signal;

const dns = (names: { kind: "round-robin" | "vip-name"; name: string }[]): DnsSnapshot => ({
  server: "[::1]:53",
  names: names.map((n) => ({
    ...n,
    expected: ["::1"],
    answers: [{ address: "::1", ttl: 60 }],
    missing: [],
    extra: [],
    ttlExpected: 60,
    ttlOk: true,
    consistent: true,
  })),
});

beforeAll(async () => {
  cluster = await startCluster(1, {
    auth: { tokens: { good: { user: "admin", groups: ["system:masters"] } } },
  });
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  plan = {
    ...r.plan,
    network: { ...r.plan.network, apiVip: "::1" },
    nodes: r.plan.nodes.slice(0, 1).map((n) => ({ ...n, address: "::1" })),
  };
});
afterAll(() => cluster?.stop());

const accessFor = (kubeconfig: string) => kubeAccess({ ...plan, kubernetes: { kubeconfig } });

describe("endpoint matrix", () => {
  it("lists each server, the VIP and every address of each name", () => {
    const targets = endpointTargets(plan, dns([{ kind: "round-robin", name: "localhost" }]));
    expect(targets).toEqual([
      { target: "node:node01", address: "::1", planned: true },
      { target: "vip", address: "::1", planned: true },
      { target: "round-robin", name: "localhost", address: "::1", planned: true },
    ]);
  });

  it("probes TCP, TLS, the SAN for what was dialled and /readyz with the kubeconfig's certificate", async () => {
    const access = await accessFor(cluster.kubeconfig(0));
    const snap = await collectEndpoints(
      plan,
      dns([
        { kind: "round-robin", name: "localhost" },
        { kind: "vip-name", name: "k8s-api.k8s.example.org" },
      ]),
      access,
      signal,
    );
    expect(
      snap.endpoints.map((e) => [e.target, e.name, e.tcp.ok, e.tls.ok, e.tls.sanCovers, e.readyz.status]),
    ).toEqual([
      ["node:node01", undefined, true, true, true, 200],
      ["vip", undefined, true, true, true, 200],
      ["round-robin", "localhost", true, true, true, 200],
      ["vip-name", "k8s-api.k8s.example.org", true, true, false, 200],
    ]);
    expect(snap.endpoints[3]?.tls.error).toMatch(/k8s-api\.k8s\.example\.org/);
    const first = snap.endpoints[0];
    expect(first?.tcp.ms).toBeGreaterThanOrEqual(0);
    expect(first?.readyz.ms).toBeGreaterThanOrEqual(first?.tls.ms ?? 0);
  });

  it("a refused token is a 401, never ok; a CA that did not sign the certificate is not trusted", async () => {
    const refused = await accessFor(cluster.kubeconfig(0, { token: "wrong" }));
    const [probe] = (await collectEndpoints(plan, undefined, refused, signal)).endpoints;
    expect(probe?.readyz.status).toBe(401);
    const other = await startCluster(1);
    try {
      // Same port as the first cluster, but the other cluster's CA: the first one's certificate is not trusted.
      const untrusted = await accessFor(other.kubeconfig(0));
      const [p] = (
        await collectEndpoints(
          plan,
          undefined,
          { server: new URL(cluster.servers[0]?.url ?? ""), tls: untrusted.tls },
          signal,
        )
      ).endpoints;
      expect(p?.tls).toMatchObject({ ok: false, sanCovers: true });
      expect(p?.tls.error).toMatch(/not trusted by the kubeconfig's CA/);
    } finally {
      await other.stop();
    }
  });

  it("a DNS answer the plan does not name is probed without the kubeconfig's credentials", async () => {
    const access = await accessFor(cluster.kubeconfig(0, { token: "good" }));
    const port = Number(new URL(cluster.servers[0]?.url ?? "").port);
    const [inPlan, outside] = await Promise.all([
      probeEndpoint(
        { target: "vip-name", name: "localhost", address: "::1", planned: true },
        port,
        access.tls,
        signal,
      ),
      probeEndpoint(
        { target: "vip-name", name: "localhost", address: "::1", planned: false },
        port,
        access.tls,
        signal,
      ),
    ]);
    expect(inPlan.readyz.status).toBe(200);
    expect(outside).toMatchObject({
      outsidePlan: true,
      tcp: { ok: true },
      tls: { ok: true, sanCovers: true },
    });
    expect(outside.readyz.status).toBe(401);
  });

  it("a port nothing listens on is a TCP failure with the error", async () => {
    const extra = await cluster.addServer();
    const access = await accessFor(cluster.kubeconfig(cluster.servers.indexOf(extra)));
    await extra.stop();
    const [probe] = (await collectEndpoints(plan, undefined, access, signal)).endpoints;
    expect(probe?.tcp).toEqual({ ok: false, error: "ECONNREFUSED" });
    expect(probe?.readyz.status).toBeNull();
  });

  it("publishes only when an outcome changes, not when a latency does", async () => {
    const access = await accessFor(cluster.kubeconfig(0));
    const hub = new Hub();
    let published = 0;
    hub.subscribe("endpoints", () => published++);
    const poller = new Poller(
      hub,
      "endpoints",
      5_000,
      (s) => collectEndpoints(plan, undefined, access, s),
      undefined,
      sameOutcomes,
    );
    await poller.pollNow();
    await poller.pollNow();
    await poller.pollNow();
    expect(poller.polls).toBe(3);
    expect(published).toBe(1);
  });
});
