// Prints the run chart's work per update in Chromium (its render and the animation frames after it), the chart alone
// (apps/web/bench) with the app's styles: fed as during the last minute of a 10-minute run at 50 ms × 6 ways in × 2
// modes (129,600 samples at once, then 120 every 500 ms up to 144,000), on an otherwise idle machine. bench-failover measures the same chart inside the run page while the
// console probes the lab, where it shares two cores with the lab's servers and the console.
// pnpm -s bench:chart [--prefill-s 540] [--duration-s 600] [--events 2]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "../playwright.config";
import { type ChartRender, percentile, timeAnimationFrames, updateWork } from "./bench-console";

const { values } = parseArgs({
  options: {
    "prefill-s": { type: "string", default: "540" },
    "duration-s": { type: "string", default: "600" },
    events: { type: "string", default: "2" },
  },
});
const prefillS = Number(values["prefill-s"]);
const durationS = Number(values["duration-s"]);
const eventCount = Number(values.events);
if (!(prefillS >= 0 && durationS > prefillS && durationS <= 1_800))
  throw new Error("bench-chart: --prefill-s must be ≥ 0 and below --duration-s, which is at most 1800");
if (!(Number.isInteger(eventCount) && eventCount >= 0 && eventCount <= 1_000))
  throw new Error("bench-chart: --events must be a whole number from 0 to 1000");

const out = mkdtempSync(join(tmpdir(), "k3s-ha-bench-chart-"));
try {
  const built = spawnSync("pnpm", ["-s", "exec", "vite", "build", "--config", "bench/vite.config.ts"], {
    cwd: "apps/web",
    env: { ...process.env, K3S_HA_BENCH_OUT: out },
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error(`bench-chart: the benchmark page did not build (${built.status})`);
  // Chromium runs no module script from file://: the page is served on loopback, from the build alone.
  const types: Record<string, string> = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
  };
  const server = createServer((req, res) => {
    const path =
      normalize(new URL(req.url ?? "/", "http://localhost").pathname).replace(/^\/+/, "") || "index.html";
    try {
      const body = readFileSync(join(out, path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.addInitScript(timeAnimationFrames);
    await page.goto(
      `http://127.0.0.1:${port}/index.html?prefill=${prefillS}&duration=${durationS}&events=${eventCount}`,
    );
    const updates = ((durationS - prefillS) * 1_000) / 500;
    await page.waitForFunction(`window.__k3shaChartRenders.length > ${updates}`, undefined, {
      timeout: (durationS - prefillS + 60) * 1_000,
      polling: 1_000,
    });
    // The first render draws the prefilled run at once (as a page opened mid-run does); the updates follow it.
    // A chart that draws no line (no size, no data) would time nothing: the benchmark needs the six lines drawn.
    const lines = await page.locator("figure path.latency-line").count();
    if (lines < 6) throw new Error(`bench-chart: the chart drew ${lines} lines, not 6`);
    const all = updateWork(
      (await page.evaluate("window.__k3shaChartRenders")) as ChartRender[],
      (await page.evaluate("window.__k3shaFrames")) as [number, number][],
    );
    const [first, ...renders] = all;
    process.stdout.write(
      `run chart alone, ${((prefillS * 1_000) / 50) * 12} samples then 120 per update to ${((durationS * 1_000) / 50) * 12}, ` +
        `${eventCount} markers: ` +
        `first render ${first?.toFixed(1)} ms; per update (${renders.length}; its render and the animation frames after it): p50 ${percentile(renders, 50).toFixed(1)} ms, ` +
        `p95 ${percentile(renders, 95).toFixed(1)} ms, max ${Math.max(...renders).toFixed(1)} ms\n`,
    );
  } finally {
    await browser.close();
    server.close();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
