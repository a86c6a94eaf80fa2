// Failover runs against a lab of real daemons (root; option 1, `--bgp fast`, fast controllers): a hard fault of
// exactly 2 s on node02 measures node02's direct downtime as 2 s within two intervals while node01 loses nothing;
// an abort of stop-k3s restores k3s; a console killed mid-run (SIGKILL) leaves the run interrupted and the next start
// restores k3s.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  k3sActive,
  labDown,
  labTopology,
  labUp,
  listNamespaces,
  planFile,
  uniqueLabName,
  waitForConverged,
} from "@k3s-ha/lab";
import { type ClusterSnapshot, type RunDetail, runDetailSchema } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, API_TOKEN, type Harness, REPO, startHarness } from "../../test/harness.js";

const name = uniqueLabName("fail");
let t: ReturnType<typeof labTopology>;
let h: Harness;
const auth = { authorization: `Bearer ${API_TOKEN}` };

async function detail(app: Harness["app"], id: string): Promise<RunDetail> {
  const r = await app.inject({ method: "GET", url: `/api/failover/runs/${id}`, headers: auth });
  expect(r.statusCode, r.body).toBe(200);
  return runDetailSchema.parse(r.json());
}

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startRun(app: Harness["app"], body: Record<string, unknown>): Promise<string> {
  const r = await app.inject({
    method: "POST",
    url: "/api/failover/runs",
    headers: auth,
    payload: { confirm: true, ...body },
  });
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as { id: string }).id;
}

beforeAll(async () => {
  t = labTopology(name);
  await labUp(name, { preset: "vip", bgp: "fast", fastControllers: true });
  h = await startHarness({ planFile: planFile(t) });
  await h.app.collectors.cluster.start();
  await waitForConverged(t);
  // The preflight reads the cluster: every node Ready first.
  await until("the cluster's three nodes Ready", async () => {
    const nodes = h.app.hub.source<ClusterSnapshot>("kubernetes")?.data?.nodes ?? [];
    return nodes.length === 3 && nodes.every((n) => n.ready === "ready") ? true : undefined;
  });
}, 180_000);

afterAll(async () => {
  h?.app.collectors.cluster.stop();
  await h?.close();
  await labDown(name);
  expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
}, 60_000);

describe(`failover runs on a lab (${name})`, () => {
  it("measures a 2 s hard fault on node02 as 2 s of node02's downtime (within two intervals), none on node01", async () => {
    const id = await startRun(h.app, {
      scenario: "hard-fault",
      node: "node02",
      endpoints: ["node:node01", "node:node02"],
      intervalMs: 100,
      durationS: 8,
      faultS: 2,
    });
    const run = await until("the run to end", async () => {
      const d = await detail(h.app, id);
      return ["done", "failed", "aborted"].includes(d.state) ? d : undefined;
    });
    expect(run.state, run.error ?? "").toBe("done");
    const of = (endpoint: string, mode: string) =>
      run.results.find((r) => r.endpoint === endpoint && r.mode === mode);
    const down = of("node:node02", "new");
    expect(down?.intervals).toHaveLength(1);
    expect(down?.downtimeMs).toBeGreaterThanOrEqual(1_800);
    expect(down?.downtimeMs).toBeLessThanOrEqual(2_200);
    expect(down?.intervals[0]?.kind).toBe("timeout");
    // The fault began when the table went in: the first failure is within two intervals of it.
    expect(down?.firstFailureAfterMs).toBeLessThanOrEqual(200);
    expect(of("node:node01", "new")?.failures).toBe(0);
    expect(of("node:node01", "reused")?.failures).toBe(0);
    expect(run.restore.state).toBe("not-needed");
    expect(run.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["action", "action-done", "wait"]));
    // The drop removed itself: node02 answers again.
    expect(
      run.results.find((r) => r.endpoint === "node:node02" && r.mode === "new")?.intervals[0]?.endedAtMs,
    ).toBeDefined();
  });

  it("restores k3s when a stop-k3s run is aborted", async () => {
    const id = await startRun(h.app, {
      scenario: "stop-k3s",
      node: "node03",
      durationS: 120,
      faultS: 60,
      endpoints: ["vip"],
    });
    await until("k3s stopped on node03", async () =>
      (await detail(h.app, id)).events.some((e) => e.kind === "action-done") ? true : undefined,
    );
    expect(await k3sActive(t, "node03")).toBe(false);
    const abort = await h.app.inject({
      method: "POST",
      url: `/api/failover/runs/${id}/abort`,
      headers: auth,
    });
    expect(abort.statusCode, abort.body).toBe(202);
    const run = await until("the aborted run to end", async () => {
      const d = await detail(h.app, id);
      return d.state === "aborted" ? d : undefined;
    });
    expect(run.restore).toMatchObject({ state: "done", steps: [{ action: "start-k3s", state: "done" }] });
    expect(await k3sActive(t, "node03")).toBe(true);
    const audit = h.app.store.auditEntries(20).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(["failover.start", "failover.abort", "failover.end"]));
  });

  it("restores at the next start when the console is killed mid-run", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "k3s-ha-killed-"));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    let child: ChildProcess | undefined;
    try {
      child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(REPO, "apps/server/src/cli.ts"),
          "serve",
          "--plan",
          planFile(t),
          "--data",
          dataDir,
          "--port",
          String(port),
        ],
        {
          cwd: join(REPO, "apps/server"),
          env: {
            ...process.env,
            K3S_HA_API_TOKEN: API_TOKEN,
            K3S_HA_ADMIN_PASSWORD: ADMIN_PASSWORD,
            K3S_HA_LOG_LEVEL: "error",
          },
          stdio: "ignore",
        },
      );
      const base = `http://127.0.0.1:${port}`;
      await until(
        "the console to listen",
        async () => (await fetch(`${base}/api/health`).catch(() => undefined))?.ok || undefined,
        60_000,
      );
      const started = await fetch(`${base}/api/failover/runs`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          scenario: "stop-k3s",
          node: "node02",
          durationS: 120,
          faultS: 60,
          endpoints: ["vip"],
          confirm: true,
        }),
      });
      expect(started.status).toBe(201);
      const { id } = (await started.json()) as { id: string };
      await until(
        "k3s stopped on node02",
        async () => ((await k3sActive(t, "node02")) ? undefined : true),
        60_000,
      );
      child.kill("SIGKILL");
      await new Promise((r) => child?.once("exit", r));
      expect(await k3sActive(t, "node02")).toBe(false);
      const next = await startHarness({ planFile: planFile(t), dataDir });
      try {
        const run = await until("the interrupted run's restore", async () => {
          const d = await detail(next.app, id);
          return d.state === "interrupted" && ["done", "failed"].includes(d.restore.state) ? d : undefined;
        });
        expect(run.restore.state).toBe("done");
        expect(run.samples).toBeGreaterThan(0);
        expect(await k3sActive(t, "node02")).toBe(true);
        expect(next.app.store.auditEntries(5).map((e) => e.action)).toContain("failover.restore");
      } finally {
        await next.close();
      }
    } finally {
      if (child && child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
