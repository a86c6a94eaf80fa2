// The run service on [::1] (the lab's Kubernetes API as every server and the VIP, a real BIND9 for the names, a
// real SQLite): an observe run stores every sample and summarises each endpoint and mode; a follower that joins
// late gets the backlog and then the live batches with no gap and no duplicate; the lock refuses a second run;
// abort ends a run at once; a bad endpoint or node is refused before anything runs; a run a restart left behind is
// `interrupted` with its restore tried and audited.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCluster, type TestCluster } from "@k3s-ha/lab";
import { type Plan, type RunRequest, runRequestSchema, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubeAccess } from "../../plugins/kube.js";
import { SshPool } from "../../plugins/ssh.js";
import { Store } from "../../plugins/store.js";
import { REPO } from "../../test/harness.js";
import { startNamed, type TestNamed } from "../../test/named.js";
import { OperationLock } from "../operation-lock.js";
import { startProbes } from "./probe/engine.js";
import type { WireSample } from "./probe/scheduler.js";
import type { FollowerMessage } from "./run-followers.js";
import { FailoverService } from "./run-service.js";
import { RunStore } from "./run-store.js";

let cluster: TestCluster;
let named: TestNamed;
let plan: Plan;
let dir: string;
let store: Store;
let service: FailoverService;
let runs: RunStore;
const audits: { action: string; outcome: string; detail?: string }[] = [];
const lock = new OperationLock();

const request = (body: Record<string, unknown>): RunRequest =>
  runRequestSchema.parse({ confirm: true, ...body });

beforeAll(async () => {
  cluster = await startCluster(1);
  named = await startNamed("localhost", ["@ IN AAAA ::1"], 1);
  const kubeconfig = await cluster.kubeconfig(0, { token: "admin-token" });
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  plan = {
    ...r.plan,
    network: { ...r.plan.network, apiVip: "::1" },
    nodes: r.plan.nodes.slice(0, 2).map((n) => ({ ...n, address: "::1" })),
    dns: {
      ...r.plan.dns,
      server: "::1",
      port: named.port,
      vipName: "localhost",
      roundRobinName: "localhost",
    },
    kubernetes: { kubeconfig },
  };
  dir = mkdtempSync(join(tmpdir(), "k3s-ha-runs-"));
  store = new Store(join(dir, "console.db"));
  runs = new RunStore(store.db);
  service = new FailoverService({
    store: runs,
    lock,
    ssh: new SshPool(),
    kube: () => kubeAccess(plan),
    plan: () => plan,
    router: () => undefined,
    cluster: () => undefined,
    subscribe: () => () => {},
    publish: () => {},
    audit: (action, _user, _target, outcome, detail) =>
      audits.push({ action, outcome, ...(detail ? { detail } : {}) }),
    startProbes,
    nodeApiReady: async () => false,
    hurryRouter: () => () => {},
    log: () => {},
  });
}, 30_000);
afterAll(async () => {
  await service?.close(5_000);
  store?.close();
  rmSync(dir, { recursive: true, force: true });
  await named?.stop();
  await cluster?.stop();
});

const until = async (what: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("failover runs", () => {
  it("while a run is live, its detail reads only the samples stored since the last read, once a second at most", async () => {
    const since: number[] = [];
    const read = runs.samples.bind(runs);
    runs.samples = (runId: string, after = 0, limit?: number) => {
      since.push(after);
      return read(runId, after, limit);
    };
    try {
      const { id } = await service.start(
        request({ scenario: "observe", durationS: 3, intervalMs: 100 }),
        "admin",
      );
      const started = performance.now();
      let polls = 0;
      let live = 0;
      while (runs.get(id)?.state === "running") {
        const d = service.detail(id);
        polls++;
        if (d.state === "running") live = performance.now() - started;
        // What the detail shows is what was stored, at most a second ago.
        expect(d.results.reduce((a, r) => a + r.samples, 0)).toBeLessThanOrEqual(runs.sampleCount(id));
        await new Promise((r) => setTimeout(r, 100));
      }
      await until(() => runs.get(id)?.state === "done");
      const liveReads = since.length;
      expect(polls).toBeGreaterThan(10);
      expect(liveReads).toBeLessThanOrEqual(Math.ceil(live / 1_000) + 1);
      // Each read starts after the last sample the one before it got.
      expect(since[0]).toBe(0);
      for (let i = 1; i < since.length; i++) expect(since[i]).toBeGreaterThanOrEqual(since[i - 1] ?? 0);
      expect(since.at(-1)).toBeGreaterThan(0);
      // Ended: every sample is in the results, read once more from the start.
      const done = service.detail(id);
      expect(since.length).toBe(liveReads + 1);
      expect(done.results.reduce((a, r) => a + r.samples, 0)).toBe(runs.sampleCount(id));
    } finally {
      runs.samples = read;
    }
  });

  it("observes: every sample stored, results per endpoint and mode, and a late follower misses nothing", async () => {
    const { id } = await service.start(
      request({ scenario: "observe", durationS: 2, intervalMs: 100 }),
      "admin",
    );
    // The same run cannot start twice: the cluster's operation lock is taken.
    await expect(
      service.start(request({ scenario: "observe", durationS: 2 }), "admin"),
    ).rejects.toMatchObject({
      code: "OPERATION_IN_PROGRESS",
    });
    await new Promise((r) => setTimeout(r, 700));
    const got: WireSample[] = [];
    const states: string[] = [];
    const off = service.follow(id, 0, 0, (m: FollowerMessage) => {
      if (m.type === "run-samples") got.push(...m.samples);
      if (m.type === "run-state") states.push(m.state);
    });
    expect(off).toBeDefined();
    await until(() => runs.get(id)?.state === "done");
    off?.();
    const stored = runs.samples(id);
    expect(got.map((s) => s.seq)).toEqual(stored.map((s) => s.seq));
    expect(stored.map((s) => s.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(states).toEqual(["running", "done"]);
    const detail = service.detail(id);
    expect(detail.request.endpoints).toEqual([
      "vip",
      "vip-name",
      "round-robin",
      "node:node01",
      "node:node02",
    ]);
    expect(detail.results).toHaveLength(10);
    for (const r of detail.results) {
      expect(r.failures).toBe(0);
      expect(r.downtimeMs).toBe(0);
      expect(r.latencyMs.p50).toBeGreaterThan(0);
      expect(r.answeredBy).toBe(r.endpoint.startsWith("node:") ? r.endpoint : null);
    }
    const fresh = detail.results.find((r) => r.endpoint === "vip" && r.mode === "new");
    // 20 grid points in 2 s; a loaded machine skips some (never more than it had).
    expect(fresh?.samples).toBeGreaterThanOrEqual(12);
    expect(fresh?.samples).toBeLessThanOrEqual(20);
    expect(detail.probeStats?.fired).toBe(stored.length);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["failover.start", "failover.end"]));
    // A follower that already holds up to seq 10 gets exactly the rest.
    const rest: number[] = [];
    service.follow(id, 10, 0, (m) => m.type === "run-samples" && rest.push(...m.samples.map((s) => s.seq)));
    // The backlog goes out in frames between other work.
    await until(() => rest.length >= stored.length - 10, 5_000);
    expect(rest).toEqual(stored.slice(10).map((s) => s.seq));
  }, 30_000);

  it("aborts at once and records who aborted", async () => {
    const { id } = await service.start(request({ scenario: "observe", durationS: 600 }), "admin");
    await new Promise((r) => setTimeout(r, 300));
    service.abort(id, "alice");
    await until(() => runs.get(id)?.state === "aborted", 5_000);
    expect(runs.get(id)?.error).toBe("aborted: aborted by alice");
    expect(audits.some((a) => a.action === "failover.abort")).toBe(true);
    expect(() => service.abort(id, "alice")).toThrow(/aborted: there is nothing to abort/);
    expect(lock.current()).toBeUndefined();
  }, 15_000);

  it("refuses an endpoint or a node the plan lacks, and an agent, before anything runs", async () => {
    await expect(
      service.start(request({ scenario: "observe", endpoints: ["node:node09"] }), "admin"),
    ).rejects.toThrow(/node:node09 is not a server of the plan/);
    await expect(
      service.start(request({ scenario: "stop-k3s", node: "node09" }), "admin"),
    ).rejects.toMatchObject({
      code: "PREFLIGHT_FAILED",
      details: { reasons: expect.arrayContaining([expect.objectContaining({ id: "node-not-in-plan" })]) },
    });
    expect(runs.list().filter((r) => r.scenario === "stop-k3s")).toEqual([]);
  });

  it("marks a run a restart left behind interrupted and tries its restore", async () => {
    runs.create({
      id: "left-behind",
      scenario: "stop-k3s",
      node: "node01",
      state: "running",
      startedBy: "admin",
      startedAt: new Date(Date.now() - 5_000).toISOString(),
      request: { ...request({ scenario: "stop-k3s", node: "node01" }), endpoints: ["vip"] },
      restore: { state: "pending", steps: [] },
    });
    runs.update("left-behind", { stepsRan: 1 });
    await service.recoverInterrupted();
    const row = runs.get("left-behind");
    expect(row?.state).toBe("interrupted");
    // The SSH pool knows no hosts here: the restore (start k3s) is tried and fails, and says so.
    expect(row?.restore.state).toBe("failed");
    expect(row?.restore.steps).toEqual([expect.objectContaining({ action: "start-k3s", state: "failed" })]);
    expect(audits.at(-1)).toMatchObject({ action: "failover.restore", outcome: "failed" });
    expect(runs.events("left-behind").map((e) => e.summary)).toEqual(
      expect.arrayContaining([expect.stringMatching(/restarted during this run/)]),
    );
  }, 15_000);
});

describe("following a run mid-way", () => {
  it("gives a follower joining mid-run the stored backlog, then the live samples held back meanwhile, each seq once and in order", async () => {
    const { id } = await service.start(
      request({ scenario: "observe", durationS: 3, intervalMs: 50 }),
      "admin",
    );
    // Most of the run is stored before the follower comes; then backlog and live frames interleave with probing.
    await new Promise((r) => setTimeout(r, 1_500));
    const got: number[] = [];
    const frames: number[] = [];
    service.follow(id, 0, 0, (m) => {
      if (m.type !== "run-samples") return;
      frames.push(m.samples.length);
      got.push(...m.samples.map((s) => s.seq));
    });
    await until(() => runs.get(id)?.state === "done", 15_000);
    await until(() => got.length === runs.sampleCount(id), 5_000);
    expect(got).toEqual(runs.samples(id).map((s) => s.seq));
    expect(frames.length).toBeGreaterThan(1);
  }, 30_000);
});

describe("a run whose probes cannot start", () => {
  it("fails at once, frees the lock and says why", async () => {
    const ownLock = new OperationLock();
    const broken = new FailoverService({
      store: runs,
      lock: ownLock,
      ssh: new SshPool(),
      kube: () => kubeAccess(plan),
      plan: () => plan,
      router: () => undefined,
      cluster: () => undefined,
      subscribe: () => () => {},
      publish: () => {},
      audit: () => {},
      startProbes: () => {
        throw new Error("no worker thread");
      },
      nodeApiReady: async () => false,
      hurryRouter: () => () => {},
      log: () => {},
    });
    await expect(broken.start(request({ scenario: "observe", durationS: 2 }), "admin")).rejects.toThrow(
      "no worker thread",
    );
    expect(ownLock.current()).toBeUndefined();
    const row = runs.list().find((r) => r.error === "no worker thread");
    expect(row?.state).toBe("failed");
  });
});
