// Test support for the server's lab tests (root): a lab of real daemons with a console on its plan and the sources
// they read started, taken down afterwards (its namespaces checked gone); a bounded wait; a second console as its own
// process, for tests that kill one.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { labDown, labTopology, labUp, listNamespaces, planFile, waitForConverged } from "@k3s-ha/lab";
import { type ClusterSnapshot, type RunDetail, runDetailSchema } from "@k3s-ha/shared";
import { expect } from "vitest";
import { ADMIN_PASSWORD, API_TOKEN, type Harness, REPO, startHarness } from "./harness.js";

export const auth = { authorization: `Bearer ${API_TOKEN}` };

/** Polls `read` every 250 ms until it answers something, for at most `ms`. */
export async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface LabConsole {
  name: string;
  t: ReturnType<typeof labTopology>;
  h: Harness;
}

/**
 * Brings lab `name` up, starts a console on its plan with the cluster watch and the router (and DNS) polls, and
 * waits for the routes `converged` names and for three Ready nodes (every preflight reads them).
 */
export async function startLabConsole(
  name: string,
  up: Parameters<typeof labUp>[1],
  options: { dns?: boolean; converged?: { prefixes?: string[] } } = {},
): Promise<LabConsole> {
  const t = labTopology(name);
  await labUp(name, up);
  const h = await startHarness({ planFile: planFile(t) });
  await h.app.collectors.cluster.start();
  h.app.collectors.router.start();
  if (options.dns) h.app.collectors.dns.start();
  await waitForConverged(t, options.converged ?? {});
  await until("the cluster's three nodes Ready", async () => {
    const nodes = h.app.hub.source<ClusterSnapshot>("kubernetes")?.data?.nodes ?? [];
    return nodes.length === 3 && nodes.every((n) => n.ready === "ready") ? true : undefined;
  });
  return { name, t, h };
}

export async function stopLabConsole(lc: LabConsole | undefined, name: string): Promise<void> {
  lc?.h.app.collectors.cluster.stop();
  lc?.h.app.collectors.router.stop();
  lc?.h.app.collectors.dns.stop();
  await lc?.h.close();
  await labDown(name);
  expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
}

/** The console as its own process on a random port (so a test can SIGKILL it), listening before this returns. */
export async function spawnConsole(
  plan: string,
  dataDir: string,
): Promise<{ child: ChildProcess; base: string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(REPO, "apps/server/src/cli.ts"),
      "serve",
      "--plan",
      plan,
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
  return { child, base };
}

/** Starts a failover run (`confirm: true` added) and waits, bounded, until it has ended. */
export async function runToEnd(
  app: Harness["app"],
  body: Record<string, unknown>,
  ms = 150_000,
): Promise<RunDetail> {
  const started = await app.inject({
    method: "POST",
    url: "/api/failover/runs",
    headers: auth,
    payload: { ...body, confirm: true },
  });
  expect(started.statusCode, started.body).toBe(201);
  const id = (started.json() as { id: string }).id;
  return until(
    "the run to end",
    async () => {
      const r = await app.inject({ method: "GET", url: `/api/failover/runs/${id}`, headers: auth });
      const d = runDetailSchema.parse(r.json());
      return ["done", "failed", "aborted"].includes(d.state) ? d : undefined;
    },
    ms,
  );
}
