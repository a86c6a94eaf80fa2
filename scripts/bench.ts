// Prints the web app's figures: bytes on the wire for login + address plan in a real Chromium load, initial
// JavaScript gzipped, and server start to healthy. Run after `pnpm build`: pnpm bench
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { CHROMIUM_LAUNCH } from "../playwright.config";

const WEB_DIST = "apps/web/dist";
const RUNS = 5;

function initialJs(): { files: { file: string; gzip: number }[]; total: number } {
  const html = readFileSync(join(WEB_DIST, "index.html"), "utf8");
  const refs = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ].map((m) => m[1] ?? "");
  const files = [...new Set(refs)].map((ref) => {
    const file = join(WEB_DIST, ref.replace(/^\//, ""));
    return { file, gzip: gzipSync(readFileSync(file), { level: 9 }).length };
  });
  return { files, total: files.reduce((a, f) => a + f.gzip, 0) };
}

async function startToHealthy(command: string[], port: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-ha-bench-"));
  const t0 = performance.now();
  const child = spawn(
    command[0] ?? "node",
    [...command.slice(1), "--port", String(port), "--data", join(dir, "data")],
    {
      env: { ...process.env, K3S_HA_ADMIN_PASSWORD: "bench", K3S_HA_LOG_LEVEL: "silent" },
      stdio: "ignore",
    },
  );
  try {
    // Bounded: at most 10 s of polling every 5 ms.
    for (let i = 0; i < 2000; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.ok) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`server on port ${port} was not healthy within 10 s`);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `median ${median.toFixed(0)} ms, min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms (${values.length} runs)`;
}

/** Loads login and the address plan in Debian's Chromium and adds up what crossed the wire (headers and bodies). */
async function wireBytes(
  port: number,
): Promise<{ total: number; byType: Map<string, number>; requests: number }> {
  const dir = mkdtempSync(join(tmpdir(), "k3s-ha-bench-web-"));
  const child = spawn(
    "node",
    [
      "apps/server/dist/cli.js",
      "serve",
      "--plan",
      "examples/lab.yaml",
      "--port",
      String(port),
      "--data",
      join(dir, "data"),
    ],
    {
      env: { ...process.env, K3S_HA_ADMIN_PASSWORD: "bench-password", K3S_HA_LOG_LEVEL: "silent" },
      stdio: "ignore",
    },
  );
  const browser = await chromium.launch(CHROMIUM_LAUNCH);
  try {
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const page = await browser.newPage();
    // Chromium's own count of bytes on the wire (encodedDataLength: headers and compressed bodies; 0 for cache hits).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    const types = new Map<string, string>();
    const done: [string, number][] = [];
    cdp.on("Network.responseReceived", (e) => types.set(e.requestId, e.type.toLowerCase()));
    cdp.on("Network.loadingFinished", (e) =>
      done.push([types.get(e.requestId) ?? "other", e.encodedDataLength]),
    );
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("bench-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation").getByRole("link", { name: "Address plan", exact: true }).click();
    await page.getByTestId("allocation-map").waitFor();
    await page.waitForLoadState("networkidle");
    const sizes = done;
    const byType = new Map<string, number>();
    for (const [type, bytes] of sizes) byType.set(type, (byType.get(type) ?? 0) + bytes);
    return { total: sizes.reduce((a, [, b]) => a + b, 0), byType, requests: sizes.length };
  } finally {
    await browser.close();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const wire = await wireBytes(18490);
console.log(
  `Transferred for login + address plan in Chromium (headers and bodies, ${wire.requests} requests):`,
);
for (const [type, bytes] of [...wire.byType].sort((a, b) => b[1] - a[1]))
  console.log(`  ${type.padEnd(10)} ${(bytes / 1024).toFixed(1)} KB`);
console.log(`  total ${(wire.total / 1024).toFixed(1)} KB (target <= 200 KB)`);

const js = initialJs();
console.log("Initial JavaScript (login + address plan), gzip -9:");
for (const f of js.files) console.log(`  ${f.file}  ${(f.gzip / 1024).toFixed(1)} KB`);
console.log(`  total ${(js.total / 1024).toFixed(1)} KB (target <= 200 KB)`);

for (const [label, command] of [
  [
    "bundled server (node apps/server/dist/cli.js)",
    ["node", "apps/server/dist/cli.js", "serve", "--plan", "examples/lab.yaml"],
  ],
  [
    "development (tsx apps/server/src/cli.ts)",
    ["node_modules/.bin/tsx", "apps/server/src/cli.ts", "serve", "--plan", "examples/lab.yaml"],
  ],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await startToHealthy([...command], 18500 + i));
  console.log(`Server start to healthy /api/health, ${label}: ${stats(times)} (target <= 1500 ms)`);
}
