// Prints the live-state figures on a lab of real daemons ("benchlive", its own /64) with the built console:
//   1. router change → browser update: node02's BIRD stopped (the fault's return is t0) until the Overview shows
//      node02's session down, N times; p50/p95/max at the default 2 s router interval;
//   2. 20 signed-in browser pages on the Overview: SSH commands per source per minute against one page, and the
//      server's RSS.
// As root, after `pnpm build`: pnpm -s bench:live [--runs 20] [--browsers 20]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { labDown, labTopology, labUp, planFile, startBirdAgain, stopBirdGracefully } from "@k3s-ha/lab";
import { type Browser, chromium, type Page } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "../playwright.config";
import { percentile, signInPage, startBenchConsole } from "./bench-console";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "20" }, browsers: { type: "string", default: "20" } },
});
const RUNS = Number(values.runs);
const BROWSERS = Number(values.browsers);
const LAB = "benchlive";
const PORT = 8191;
const PASSWORD = "bench-admin-password";
const TOKEN = "bench-token-0123456789abcdef";
const BASE = `http://127.0.0.1:${PORT}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function metrics(): Promise<string> {
  const res = await fetch(`${BASE}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.text();
}

function sample(text: string, name: string, label: string): number {
  const m = label
    ? new RegExp(`^${name}\\{[^}]*${label}[^}]*\\} (\\S+)$`, "m").exec(text)
    : new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function signedInOverview(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await signInPage(page, BASE, PASSWORD);
  return page;
}

/** Commands per host over `ms`, from the console's own counters. */
async function commandsOver(ms: number): Promise<{ router: number; node01: number; perMinute: number }> {
  const before = await metrics();
  await sleep(ms);
  const after = await metrics();
  const d = (host: string) =>
    sample(after, "k3s_ha_ssh_commands_total", `host="${host}"`) -
    sample(before, "k3s_ha_ssh_commands_total", `host="${host}"`);
  return { router: d("router"), node01: d("node01"), perMinute: (d("router") * 60_000) / ms };
}

async function main(): Promise<void> {
  const t = labTopology(LAB);
  await labUp(LAB, { preset: "vip" });
  const console_ = await startBenchConsole({
    plan: planFile(t),
    port: PORT,
    password: PASSWORD,
    token: TOKEN,
  });
  const server = console_.server;
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const first = await signedInOverview(browser);
    const sessions = first.getByRole("list", { name: "Router sessions" });
    await sessions.getByText("node02 up").waitFor({ timeout: 60_000 });

    // 1. Router change → DOM.
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await stopBirdGracefully(t, "node02");
      const t0 = performance.now();
      await sessions
        .getByText(/^node02 (Active|Connect|Idle|OpenSent|OpenConfirm)/)
        .waitFor({ timeout: 30_000 });
      times.push(performance.now() - t0);
      await startBirdAgain(t, "node02");
      await sessions.getByText("node02 up").waitFor({ timeout: 60_000 });
      // Land the next fault at a random point of the 2 s poll cycle.
      await sleep(500 + Math.random() * 2_000);
    }
    process.stdout.write(
      `router change → Overview (${RUNS} runs, router every 2 s): p50 ${percentile(times, 50).toFixed(0)} ms, ` +
        `p95 ${percentile(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms\n`,
    );

    // 2. One page, then many: the same commands per minute; the server's RSS.
    const one = await commandsOver(30_000);
    const rssOne = rssMb(server.pid ?? 0);
    const pages = [first];
    for (let i = 1; i < BROWSERS; i++) pages.push(await signedInOverview(browser));
    await sleep(5_000);
    const many = await commandsOver(30_000);
    const m = await metrics();
    process.stdout.write(
      `SSH commands in 30 s, 1 page: router ${one.router}, node01 ${one.node01}; ${pages.length} pages: router ` +
        `${many.router}, node01 ${many.node01} (live subscribers: ${sample(m, "k3s_ha_live_subscribers", 'topic="sources"')}; ` +
        `SSH connections opened to the router: ${sample(m, "k3s_ha_ssh_connections_opened_total", 'host="router"')})\n`,
    );
    const heapMb = sample(m, "k3s_ha_nodejs_heap_size_used_bytes", "") / 1024 / 1024;
    process.stdout.write(
      `server RSS with 1 page: ${rssOne.toFixed(0)} MB; with ${pages.length} pages: ` +
        `${rssMb(server.pid ?? 0).toFixed(0)} MB (V8 heap used ${heapMb.toFixed(0)} MB)\n`,
    );
  } finally {
    await browser.close();
    console_.stop();
    await labDown(LAB);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-live: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
