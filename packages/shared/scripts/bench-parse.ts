// Figures for the route page's on-demand full table: parse a synthesised 100,000-route `show bgp ipv6 unicast json`
// in FRR 10's shape (three paths per prefix, as add-path over a mesh gives) and print the time and memory it took.
// Each run is a fresh child process, so its peak RSS is the parse's alone (Linux: VmHWM reset just before parsing).
//   pnpm -s --filter @k3s-ha/shared bench:parse [--routes 100000] [--runs 5]
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseBgpTable } from "../src/frr/bgp-routes.js";
import { syntheticBgpTable } from "../src/frr/synthetic-bgp-table.js";

const { values } = parseArgs({
  options: {
    routes: { type: "string", default: "100000" },
    runs: { type: "string", default: "5" },
    child: { type: "string" },
  },
});
const MB = 1024 * 1024;

interface Run {
  ms: number;
  /** CPU time of the parse (user + system, GC threads included): steadier than wall time on a shared machine. */
  cpuMs: number;
  inputMb: number;
  rssBeforeMb: number;
  peakRssMb: number;
  heapBeforeMb: number;
  heapWithResultMb: number;
  retainedHeapMb: number;
  routes: number;
  paths: number;
}

/** Peak RSS since the last reset, from /proc (kB); undefined off Linux. */
function peakRss(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? (Number(m[1]) * 1024) / MB : undefined;
  } catch {
    return undefined;
  }
}

function resetPeakRss(): void {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    // Not Linux: the peak then includes the synthesis (process.resourceUsage().maxRSS).
  }
}

/** Parses the table in `file`: read as a heap string (as SSH output is), with the synthesis's garbage left out. */
function child(file: string): Run {
  const gc = globalThis.gc ?? (() => {});
  let text = readFileSync(file, "utf8");
  const inputMb = text.length / MB;
  gc();
  gc();
  const before = process.memoryUsage();
  resetPeakRss();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const r = parseBgpTable(text);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const peak = peakRss() ?? process.resourceUsage().maxRSS / 1024;
  if (!r.ok) throw new Error(r.error.message);
  gc();
  const withResult = process.memoryUsage().heapUsed;
  text = "";
  gc();
  const retained = process.memoryUsage().heapUsed;
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    inputMb,
    rssBeforeMb: before.rss / MB,
    peakRssMb: peak,
    heapBeforeMb: before.heapUsed / MB,
    heapWithResultMb: withResult / MB,
    retainedHeapMb: (retained - (before.heapUsed - inputMb * MB)) / MB,
    routes: r.value.totalRoutes,
    paths: r.value.routes.reduce((n, x) => n + x.paths.length, 0),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const f = (n: number) => n.toFixed(0);

function parent(count: number, runs: number): void {
  const self = fileURLToPath(import.meta.url);
  const dir = fileURLToPath(new URL("../../../tmp/bench-parse/", import.meta.url)); // the worktree's ignored tmp/
  mkdirSync(dir, { recursive: true });
  const file = `${dir}table-${count}.json`;
  writeFileSync(file, syntheticBgpTable(count));
  const all: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const args = ["--expose-gc", "--import", "tsx", self, "--child", file];
    const run: Run = JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" }));
    all.push(run);
    process.stdout.write(
      `run ${i + 1}: ${f(run.ms)} ms (CPU ${f(run.cpuMs)} ms), peak RSS ${f(run.peakRssMb)} MB (before ${f(run.rssBeforeMb)} MB), ` +
        `heap ${f(run.heapBeforeMb)} → ${f(run.heapWithResultMb)} MB, result alone ${f(run.retainedHeapMb)} MB\n`,
    );
  }
  rmSync(file);
  const last = all[all.length - 1];
  const of = (k: keyof Run) => all.map((r) => r[k]);
  process.stdout.write(
    `parsed ${last?.routes} routes / ${last?.paths} paths from ${f(last?.inputMb ?? 0)} MB of JSON; ${runs} runs in fresh processes:\n` +
      `  time median ${f(median(of("ms")))} ms (min ${f(Math.min(...of("ms")))}, max ${f(Math.max(...of("ms")))}), CPU time median ${f(median(of("cpuMs")))} ms\n` +
      `  peak RSS median ${f(median(of("peakRssMb")))} MB (max ${f(Math.max(...of("peakRssMb")))}), ` +
      `RSS before parsing (node + tsx + the input string) ${f(median(of("rssBeforeMb")))} MB\n` +
      `  heap before ${f(median(of("heapBeforeMb")))} MB, with the result ${f(median(of("heapWithResultMb")))} MB, ` +
      `the result alone once the input is dropped ${f(median(of("retainedHeapMb")))} MB\n`,
  );
}

if (values.child) process.stdout.write(JSON.stringify(child(values.child)));
else parent(Number(values.routes), Number(values.runs));
