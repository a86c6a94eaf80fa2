// POST /api/calico/node-statuses against the lab's Kubernetes API: one CalicoNodeStatus per plan node, created once
// (a second call creates nothing), audited; needs a session's CSRF token.
import { readFileSync, writeFileSync } from "node:fs";
import { installLabCrds, startCluster, type TestCluster } from "@k3s-ha/lab";
import type { ClusterSnapshot } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, type Session, signIn, startHarness } from "../test/harness.js";

let cluster: TestCluster;
let h: Harness;
let s: Session;

beforeAll(async () => {
  cluster = await startCluster(1);
  const client = cluster.servers[0]?.kube.client;
  if (!client) throw new Error("no lab API");
  installLabCrds(client, { calico: "v3.31.7", metallb: false });
  h = await startHarness();
  const plan = readFileSync(h.planFile, "utf8").replace(
    /kubernetes:[\s\S]*$/,
    `kubernetes:\n  kubeconfig: ${cluster.kubeconfig(0)}\n`,
  );
  writeFileSync(h.planFile, plan);
  h.app.planSource.reload();
  s = await signIn(h.app);
  await h.app.collectors.cluster.start();
});
afterAll(async () => {
  h?.app.collectors.cluster.stop();
  await h?.close();
  await cluster?.stop();
});

const post = (headers: Record<string, string>) =>
  h.app.inject({ method: "POST", url: "/api/calico/node-statuses", headers, payload: {} });
const withCsrf = () => ({ cookie: s.cookie, "x-csrf-token": s.csrfToken, origin: "http://localhost" });

async function statuses(n: number): Promise<ClusterSnapshot["calico"]["nodeStatuses"]> {
  for (let i = 0; i < 100; i++) {
    const list = h.app.hub.source<ClusterSnapshot>("kubernetes")?.data?.calico.nodeStatuses ?? [];
    if (list.length === n) return list;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never saw ${n} CalicoNodeStatus objects`);
}

describe("POST /api/calico/node-statuses", () => {
  it("needs the CSRF token", async () => {
    expect((await post({ cookie: s.cookie })).statusCode).toBe(403);
  });

  it("creates one per plan node, then nothing more, and audits both", async () => {
    await statuses(0);
    const first = await post(withCsrf());
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ created: ["node01", "node02", "node03"], existing: [] });
    const objects = cluster.servers[0]?.kube.client.list({
      group: "crd.projectcalico.org",
      version: "v1",
      resource: "caliconodestatuses",
    });
    expect(objects?.map((o) => [o.metadata.name, (o.spec as { node?: string }).node])).toEqual([
      ["k3s-ha-node01", "node01"],
      ["k3s-ha-node02", "node02"],
      ["k3s-ha-node03", "node03"],
    ]);
    expect(objects?.[0]?.metadata.managedFields?.[0]?.manager).toBe("k3s-ha-console");
    await statuses(3);
    const second = await post(withCsrf());
    expect(second.json()).toEqual({ created: [], existing: ["node01", "node02", "node03"] });
    const audit = h.app.store.auditEntries(2, undefined, { action: "calico.*" });
    expect(audit.map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ["calico.create-node-statuses", "ok", "every node has one already"],
      ["calico.create-node-statuses", "ok", "created k3s-ha-node01, k3s-ha-node02, k3s-ha-node03"],
    ]);
  });
});
