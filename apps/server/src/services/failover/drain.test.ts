// Draining against the lab's Kubernetes API: the node's own pods are evicted (DaemonSet pods and other nodes' pods
// stay), and a PodDisruptionBudget that forbids an eviction is reported by name, retried, and ends the drain with an
// error when its time is up.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { R, startCluster, type TestCluster } from "@k3s-ha/lab";
import { type Plan, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubeAccess } from "../../plugins/kube.js";
import { REPO } from "../../test/harness.js";
import { drainNode } from "./drain.js";

let cluster: TestCluster;
let plan: Plan;

const pod = (name: string, node: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "work", labels: { app: name.replace(/-\d+$/, "") }, ...extra },
  spec: { nodeName: node, containers: [{ name: "c", image: "busybox:1" }] },
});

beforeAll(async () => {
  cluster = await startCluster(1);
  const c = cluster.servers[0]?.kube.client;
  if (!c) throw new Error("no lab API");
  c.create(R.namespaces, { metadata: { name: "work" } });
  // Running and Ready: a Pending pod is evicted whatever its budget says (as upstream's eviction does).
  const running = (obj: ReturnType<typeof pod>) => {
    const created = c.create(R.pods, obj);
    c.updateStatus(R.pods, {
      ...created,
      status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
    });
  };
  running(pod("web-0", "node02"));
  running(pod("web-1", "node01"));
  running(
    pod("agent-0", "node02", {
      ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "u1" }],
    }),
  );
  running(pod("db-0", "node03"));
  c.create(R.pdbs, {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "db-guard", namespace: "work" },
    spec: { minAvailable: 1, selector: { matchLabels: { app: "db" } } },
  });
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  plan = { ...r.plan, kubernetes: { kubeconfig: await cluster.kubeconfig(0, { token: "admin-token" }) } };
});
afterAll(() => cluster?.stop());

const names = () =>
  (cluster.servers[0]?.kube.client.list(R.pods, { namespace: "work" }) ?? [])
    .map((p) => (p.metadata as { name?: string } | undefined)?.name)
    .sort();

describe("drainNode", () => {
  it("evicts the node's own pods and leaves DaemonSet pods and other nodes' pods", async () => {
    const reports: string[] = [];
    const evicted = await drainNode(await kubeAccess(plan), "node02", {
      signal: new AbortController().signal,
      timeoutMs: 10_000,
      report: (s) => reports.push(s),
    });
    expect(evicted).toEqual(["work/web-0"]);
    expect(names()).toEqual(["agent-0", "db-0", "web-1"]);
    expect(reports).toEqual([]);
  });

  it("names the PodDisruptionBudget in the way, retries, and gives up when its time is up", async () => {
    const reports: string[] = [];
    const failed = await drainNode(await kubeAccess(plan), "node03", {
      signal: new AbortController().signal,
      timeoutMs: 1_500,
      retryMs: 200,
      report: (s) => reports.push(s),
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/the drain of node03 gave up: .*db-guard/);
    expect(reports).toEqual([
      expect.stringMatching(/^Eviction of work\/db-0 is blocked: .*disruption budget db-guard/),
    ]);
    expect(names()).toContain("db-0");
  });
});
