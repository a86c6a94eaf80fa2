// What the benchmarks share: the built console serving a lab's plan on a port of its own (as scripts/up.sh and the
// image run it: two glibc malloc arenas), healthy before they start, and a Chromium page signed in to it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";

export interface BenchConsole {
  server: ChildProcess;
  base: string;
  stop(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startBenchConsole(o: {
  plan: string;
  port: number;
  password: string;
  token: string;
}): Promise<BenchConsole> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-ha-bench-"));
  const server = spawn(
    "node",
    [
      "apps/server/dist/cli.js",
      "serve",
      "--plan",
      o.plan,
      "--port",
      String(o.port),
      "--data",
      join(dir, "data"),
    ],
    {
      // MALLOC_ARENA_MAX=0 in the environment measures glibc's default instead.
      env: {
        MALLOC_ARENA_MAX: "2",
        ...process.env,
        K3S_HA_ADMIN_PASSWORD: o.password,
        K3S_HA_API_TOKEN: o.token,
        K3S_HA_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const base = `http://127.0.0.1:${o.port}`;
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${base}/api/health`).catch(() => undefined))?.ok) break;
    await sleep(200);
  }
  return {
    server,
    base,
    stop() {
      server.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs `page` in as admin and waits for the live link; `bench` turns on the chart's render timing. */
export async function signInPage(page: Page, base: string, password: string, bench = false): Promise<void> {
  await page.goto(`${base}/`);
  if (bench) await page.evaluate(() => window.localStorage.setItem("k3shaBench", "1"));
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("live-status").filter({ hasText: /Live/ }).waitFor({ timeout: 30_000 });
}

/** The nearest-rank percentile of `xs` (NaN when there are none), as the benchmarks print their figures. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? Number.NaN;
}

/** One render of the run chart as it times itself (run-chart.tsx): when it began and how long to its commit. */
export interface ChartRender {
  atMs: number;
  ms: number;
}

/**
 * For page.addInitScript: times the page's animation-frame callbacks, each with the microtasks it queues (React's
 * render of what it changed), into window.__k3shaFrames as [startMs, ms]. recharts batches its store's notifications
 * to the next animation frame, so its components draw the new data there, after the chart's own render.
 */
export function timeAnimationFrames(): void {
  const w = window as unknown as { __k3shaFrames: [number, number][] };
  w.__k3shaFrames = [];
  const request = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    request((time) => {
      const start = performance.now();
      try {
        callback(time);
      } finally {
        queueMicrotask(() => w.__k3shaFrames.push([start, performance.now() - start]));
      }
    });
}

/**
 * Each chart update's work in ms: its render to commit, and the animation frames that ran after it and before the
 * next render (recharts drawing the new data).
 */
export function updateWork(renders: readonly ChartRender[], frames: readonly [number, number][]): number[] {
  // Both lists are in time order: one pass over the frames.
  let f = 0;
  return renders.map((r, i) => {
    const until = renders[i + 1]?.atMs ?? Number.POSITIVE_INFINITY;
    let ms = r.ms;
    while (f < frames.length && (frames[f] as [number, number])[0] < r.atMs) f++;
    for (; f < frames.length && (frames[f] as [number, number])[0] < until; f++)
      ms += (frames[f] as [number, number])[1];
    return ms;
  });
}
