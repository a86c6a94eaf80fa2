// Prints the failover figures on a lab of real daemons ("benchfail", its own /64) with the built console:
//   1. probe start jitter: an observe run at 100 ms × 6 ways in × 2 modes while one Chromium page and nine
//      websocket clients follow it — the worker's start lateness p50/p99/max, and the server's CPU;
//   2. a long run at 50 ms × 6 ways in (default 600 s): every sample stored (stored = fired), the server's CPU and RSS,
//      and the chart's work per update in Chromium (its render and the animation frames after it; p50/p95);
//   3. with --matrix: the design document's failure table for this lab — each row's scenario three times per BGP mode
//      (default 60/180 s, fast 1/3 s, and BFD 300 ms as the what-if Calico cannot do), medians beside the claims.
// With --browser-cpu, Chromium runs on a CPU of its own (the last) and the lab and the console on the others, as an
// operator's browser runs on their own machine and the servers on theirs; without it all of them share every CPU.
// As root, after `pnpm build`:
//   pnpm -s bench:failover [--jitter-s 60] [--long-s 600] [--browser-cpu] [--matrix [--modes default,fast,bfd]]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { labDown, labTopology, labUp, planFile } from "@k3s-ha/lab";
import { chromium } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "../playwright.config";
import {
  type ChartRender,
  percentile,
  signInPage,
  startBenchConsole,
  timeAnimationFrames,
  updateWork,
} from "./bench-console";

interface Measured {
  affectedMs: number;
  downtimeMs: number;
}
interface FailureTableRow {
  title: string;
  claims: { vip: string; dns: string };
  vip: Measured | null;
  dns: Measured | null;
}

const { values } = parseArgs({
  options: {
    "jitter-s": { type: "string", default: "60" },
    "long-s": { type: "string", default: "600" },
    matrix: { type: "boolean", default: false },
    "browser-cpu": { type: "boolean", default: false },
    modes: { type: "string", default: "default,fast,bfd" },
  },
});
const JITTER_S = Number(values["jitter-s"]);
const LONG_S = Number(values["long-s"]);
const LAB = "benchfail";
const PORT = 8192;
const PASSWORD = "bench-admin-password";
const TOKEN = "bench-token-0123456789abcdef";
const BASE = `http://127.0.0.1:${PORT}`;
const auth = { authorization: `Bearer ${TOKEN}` };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's resident set, in MB. */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Math.round(Number(kb) / 1024);
}

async function startRun(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${BASE}/api/failover/runs`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ confirm: true, ...body }),
  });
  if (res.status !== 201) throw new Error(`start: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

interface Detail {
  state: string;
  samples: number;
  probeStats: { fired: number; passed: number; lateMs: { p50: number; p99: number; max: number } } | null;
}

async function waitDone(id: string, ms: number): Promise<Detail> {
  const end = Date.now() + ms;
  for (;;) {
    const d = (await (await fetch(`${BASE}/api/failover/runs/${id}`, { headers: auth })).json()) as Detail;
    if (!["running", "restoring"].includes(d.state)) return d;
    if (Date.now() > end) throw new Error(`run ${id} did not end`);
    await sleep(1_000);
  }
}

/** A websocket client following the run (what a second operator's page does), counting the samples it gets. */
function follower(id: string): { samples: () => number; close: () => void } {
  let n = 0;
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}/api/ws`, { headers: auth } as unknown as string[]);
  ws.onopen = () => ws.send(JSON.stringify({ type: "follow-run", runId: id, since: 0 }));
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { type: string; samples?: unknown[] };
    if (m.type === "run-samples") n += m.samples?.length ?? 0;
  };
  return { samples: () => n, close: () => ws.close() };
}

const endpoints = ["vip", "vip-name", "round-robin", "node:node01", "node:node02", "node:node03"];

/** The failure table's scenarios three times each under one BGP mode; prints the table with the document's claims. */
async function matrix(mode: string): Promise<void> {
  await labUp(LAB, { preset: "vip", bgp: mode as "default" | "fast" | "bfd" });
  await sleep(10_000);
  const bodies: Record<string, Record<string, unknown>> = {
    "hard-fault": { scenario: "hard-fault", node: "node02", durationS: 60, faultS: 30 },
    "kill-k3s": { scenario: "kill-k3s", node: "node02", durationS: 30 },
    "node-restart": { scenario: "node-restart", node: "node02", durationS: 60 },
  };
  // The scenarios that reproduce the document's rows (GET /api/failover/failure-table names them).
  for (const scenario of Object.keys(bodies))
    for (let i = 0; i < 3; i++) {
      const id = await startRun({ ...bodies[scenario], endpoints: ["vip", "round-robin", "node:node02"] });
      await waitDone(id, 180_000);
      await sleep(5_000);
    }
  const table = (await (await fetch(`${BASE}/api/failover/failure-table`, { headers: auth })).json()) as {
    rows: FailureTableRow[];
  };
  const cell = (m: FailureTableRow["vip"]) =>
    m ? `${(m.affectedMs / 1000).toFixed(1)} s (${(m.downtimeMs / 1000).toFixed(1)} s total)` : "–";
  process.stdout.write(`failure table, BGP ${mode}${mode === "bfd" ? " (what Calico cannot do)" : ""}:\n`);
  for (const r of table.rows)
    process.stdout.write(
      `  ${r.title}: VIP ${cell(r.vip)} [document: ${r.claims.vip}]; round-robin ${cell(r.dns)} [document: ${r.claims.dns}]\n`,
    );
}

/**
 * Sets the CPUs this process's main thread may run on (util-linux's taskset): what it starts from then on inherits
 * them — the lab's daemons and the console before Chromium, Chromium after.
 */
function pinTo(cpus: string): void {
  execFileSync("taskset", ["--pid", "--cpu-list", cpus, String(process.pid)], { stdio: "ignore" });
}

async function main(): Promise<void> {
  const t = labTopology(LAB);
  const cpus = availableParallelism();
  const split = values["browser-cpu"];
  if (split && cpus < 2) throw new Error("bench-failover: --browser-cpu needs two CPUs or more");
  if (split) pinTo(cpus === 2 ? "0" : `0-${cpus - 2}`);
  await labUp(LAB, { preset: "vip" });
  const console_ = await startBenchConsole({
    plan: planFile(t),
    port: PORT,
    password: PASSWORD,
    token: TOKEN,
  });
  const server = console_.server;
  if (split) pinTo(String(cpus - 1));
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    // The preflight and the time axis read the cluster and the router: give the sources a moment.
    await sleep(8_000);
    if (values.matrix) {
      for (const mode of values.modes.split(",")) await matrix(mode);
      return;
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.addInitScript(timeAnimationFrames);
    await signInPage(page, BASE, PASSWORD, true);

    // 1. Jitter at 100 ms × 6 × 2 with one page and nine websocket followers.
    const pid = server.pid ?? 0;
    const id = await startRun({ scenario: "observe", endpoints, intervalMs: 100, durationS: JITTER_S });
    await page.goto(`${BASE}/failover/runs/${id}`);
    const followers = Array.from({ length: 9 }, () => follower(id));
    const cpu0 = cpuSeconds(pid);
    const w0 = performance.now();
    const jitter = await waitDone(id, (JITTER_S + 60) * 1_000);
    const cpu = ((cpuSeconds(pid) - cpu0) / ((performance.now() - w0) / 1_000)) * 100;
    const got = followers.map((f) => f.samples());
    for (const f of followers) f.close();
    const late = jitter.probeStats?.lateMs;
    const where = split
      ? `Chromium on CPU ${cpus - 1}, the lab and the console on ${cpus === 2 ? "CPU 0" : `CPUs 0-${cpus - 2}`}`
      : `Chromium, the lab and the console sharing ${cpus} CPUs`;
    process.stdout.write(`${where}\n`);
    process.stdout.write(
      `probe start lateness at 100 ms × ${endpoints.length} × 2 (${JITTER_S} s, 1 page + 9 followers): ` +
        `p50 ${late?.p50} ms, p99 ${late?.p99} ms, max ${late?.max} ms; ${jitter.probeStats?.fired} probes, ` +
        `${jitter.samples} stored; followers got ${Math.min(...got)}-${Math.max(...got)}; server CPU ${cpu.toFixed(1)} % of a core\n`,
    );

    // 2. A long run at 50 ms × 6 ways in (both modes), the chart open.
    const long = await startRun({ scenario: "observe", endpoints, intervalMs: 50, durationS: LONG_S });
    await page.goto(`${BASE}/failover/runs/${long}`);
    await page.evaluate(() => {
      const w = window as unknown as { __k3shaChartRenders: unknown[]; __k3shaFrames: unknown[] };
      w.__k3shaChartRenders = [];
      w.__k3shaFrames = [];
    });
    const c0 = cpuSeconds(pid);
    const l0 = performance.now();
    // The console's memory across the run: where it began, its highest, where it ended.
    const rss = [rssMb(pid)];
    const rssTimer = setInterval(() => rss.push(rssMb(pid)), 10_000);
    const done = await waitDone(long, (LONG_S + 120) * 1_000).finally(() => clearInterval(rssTimer));
    const longCpu = ((cpuSeconds(pid) - c0) / ((performance.now() - l0) / 1_000)) * 100;
    rss.push(rssMb(pid));
    const renders = updateWork(
      (await page.evaluate("window.__k3shaChartRenders")) as ChartRender[],
      (await page.evaluate("window.__k3shaFrames")) as [number, number][],
    );
    process.stdout.write(
      `${LONG_S} s at 50 ms × ${endpoints.length} × 2: ${done.probeStats?.fired} probes fired, ${done.samples} stored ` +
        `(lateness p99 ${done.probeStats?.lateMs.p99} ms); server CPU ${longCpu.toFixed(1)} % of a core; ` +
        `chart work per update (${renders.length} updates; its render and the animation frames after it): p50 ${percentile(renders, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(renders, 95).toFixed(1)} ms, max ${Math.max(...renders).toFixed(1)} ms; ` +
        `server RSS ${rss[0]} MB at the start, ${Math.max(...rss)} MB at most, ${rss.at(-1)} MB at the end\n`,
    );
  } finally {
    await browser.close();
    console_.stop();
    await sleep(1_000);
    await labDown(LAB);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-failover: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
