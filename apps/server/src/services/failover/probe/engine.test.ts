// A run's probes in their worker thread against the lab's Kubernetes API on [::1] and a real BIND9: every stream on
// one grid, samples numbered without gap, a silent target that never delays the others, a name dialled through the
// plan's DNS server (re-resolved per its 1 s TTL) with an answer outside the plan never dialled, and a stop that
// ends the run early with every sample handed on.
import { readdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { getPriority } from "node:os";
import { startCluster, type TestCluster } from "@k3s-ha/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNamed, type TestNamed } from "../../../test/named.js";
import { monotonicMs } from "./clock.js";
import { startProbes } from "./engine.js";
import type { ProbeRunSpec, WireSample } from "./scheduler.js";

let cluster: TestCluster;
let named: TestNamed;
let silent: Server;
let silentPort: number;
const held: Socket[] = [];
let base: Omit<ProbeRunSpec, "originMs" | "targets">;
const mainNice = getPriority();

beforeAll(async () => {
  cluster = await startCluster(1);
  named = await startNamed("localhost", ["@ IN AAAA ::1", "@ IN AAAA 2001:db8::99", "api IN AAAA ::1"], 1);
  silent = createServer((s) => held.push(s));
  await new Promise<void>((resolve) => silent.listen({ host: "::1", port: 0 }, resolve));
  silentPort = (silent.address() as AddressInfo).port;
  base = {
    intervalMs: 100,
    timeoutMs: 500,
    request: "readyz",
    dial: "go",
    credentials: {
      ca: readFileSync(cluster.certs.ca.cert, "utf8"),
      headers: { authorization: "Bearer admin-token" },
      rejectUnauthorized: true,
    },
    modes: ["new", "reused"],
    dns: { address: "::1", port: named.port },
    allowed: ["::1"],
    durationMs: 1_500,
    batchMs: 100,
  };
}, 30_000);
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent?.close(r));
  await named?.stop();
  await cluster?.stop();
});

const SCHED_OTHER = 0;
const SCHED_RR = 2;

/** This process's threads as the kernel schedules them (proc(5): stat fields 19 nice, 40 rt_priority, 41 policy). */
function threadScheduling(): {
  tid: number;
  comm: string;
  nice: number;
  rtPriority: number;
  policy: number;
}[] {
  return readdirSync("/proc/self/task").flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      return [
        {
          tid: Number(tid),
          comm: readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim(),
          nice: Number(fields[16]),
          rtPriority: Number(fields[37]),
          policy: Number(fields[38]),
        },
      ];
    } catch {
      return []; // a thread that ended while being read
    }
  });
}

const apiPort = () => Number(new URL(cluster.servers[0]?.url ?? "").port);

describe("the probe engine", () => {
  it("probes every stream on one grid from the worker, and a silent target delays no other", async () => {
    const batches: WireSample[][] = [];
    const run = startProbes(
      {
        ...base,
        originMs: monotonicMs(),
        targets: [
          { endpoint: "node:node01", address: "::1", port: apiPort() },
          { endpoint: "node:node02", address: "::1", port: silentPort },
          { endpoint: "round-robin", name: "localhost", port: apiPort() },
        ],
      },
      (s) => batches.push(s),
    );
    await new Promise((r) => setTimeout(r, 400));
    const during = threadScheduling();
    const stats = await run.done;
    const samples = batches.flat();
    expect(batches.length).toBeGreaterThan(3);
    expect(samples.map((s) => s.seq)).toEqual(samples.map((_, i) => i + 1));
    const of = (endpoint: string, mode: string) =>
      samples.filter((s) => s.endpoint === endpoint && s.mode === mode);
    // 15 grid points in 1.5 s at 100 ms; a loaded machine may skip a few (never a burst to catch up).
    for (const endpoint of ["node:node01", "round-robin"]) {
      const fresh = of(endpoint, "new");
      expect(fresh.length).toBeGreaterThanOrEqual(11);
      expect(fresh.length).toBeLessThanOrEqual(15);
      expect(fresh.every((s) => s.outcome === "ok" && s.address === "::1")).toBe(true);
      expect(of(endpoint, "reused").every((s) => s.outcome === "ok")).toBe(true);
    }
    // The silent server: new probes time out one per tick; the reused stream lets ticks pass while its request hangs.
    const hung = of("node:node02", "new");
    expect(hung.length).toBeGreaterThanOrEqual(10);
    expect(hung.every((s) => s.outcome === "timeout")).toBe(true);
    expect(of("node:node02", "reused").length).toBeLessThanOrEqual(5);
    expect(stats.passed).toBeGreaterThanOrEqual(6);
    // A 1 s TTL: the name was looked up again during the run, but not per probe.
    expect(stats.dnsLookups).toBeGreaterThanOrEqual(2);
    expect(stats.dnsLookups).toBeLessThanOrEqual(5);
    const starts = of("node:node01", "new").map((s) => s.startedAtMs);
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1] as number);
    // The ways in side by side: the streams share the grid's points, so each probe of one stream starts when one of
    // another does (streams spread across the interval, as they once were, are tens of ms apart). Nearest, not nth:
    // a loaded machine may skip a point in one stream and not the other.
    const gaps = of("node:node02", "new")
      .map((s) => Math.min(...starts.map((t) => Math.abs(s.startedAtMs - t))))
      .sort((a, b) => a - b);
    expect(gaps.length).toBeGreaterThanOrEqual(10);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(10);
    // The probe thread alone runs ahead of ordinary work where the console may raise it (root here): real-time
    // round-robin and nice -10, as the kernel reports them for the thread while it ran; the server's own thread keeps
    // the ordinary scheduler and its nice value.
    const probes = during.find((t) => t.comm === "k3s-ha-probes");
    expect(probes).toBeDefined();
    if (process.getuid?.() === 0) {
      expect(stats.priority).toEqual({ nice: -10, rtPriority: 1 });
      expect(probes).toMatchObject({ policy: SCHED_RR, rtPriority: 1, nice: -10 });
    } else {
      expect(stats.priority).toMatchObject({
        nice: null,
        rtPriority: null,
        reason: expect.stringMatching(/^SCHED_RR: .*; nice -10: (EACCES|EPERM)/),
      });
      expect(probes).toMatchObject({ policy: SCHED_OTHER, rtPriority: 0 });
    }
    expect(during.find((t) => t.tid === process.pid)).toMatchObject({ policy: SCHED_OTHER, rtPriority: 0 });
    expect(getPriority()).toBe(mainNice);
  }, 20_000);

  it("never dials a name's answer outside the plan: with none left the probe is dns-error", async () => {
    const batches: WireSample[][] = [];
    const run = startProbes(
      {
        ...base,
        allowed: ["2001:db8::1"],
        durationMs: 300,
        originMs: monotonicMs(),
        targets: [{ endpoint: "vip-name", name: "localhost", port: apiPort() }],
      },
      (s) => batches.push(s),
    );
    await run.done;
    const samples = batches.flat();
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((s) => s.outcome === "dns-error")).toBe(true);
    expect(samples[0]?.error).toMatch(/no address the plan names.*::1/);
  }, 20_000);

  it("checks the certificate for the name dialled: one it does not cover is tls-error", async () => {
    const batches: WireSample[][] = [];
    const run = startProbes(
      {
        ...base,
        durationMs: 300,
        originMs: monotonicMs(),
        targets: [{ endpoint: "vip-name", name: "api.localhost", port: apiPort() }],
      },
      (s) => batches.push(s),
    );
    await run.done;
    const samples = batches.flat();
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((s) => s.outcome === "tls-error")).toBe(true);
    expect(samples[0]?.error).toMatch(/api\.localhost/);
  }, 20_000);

  it("stops early with every sample taken handed on", async () => {
    const batches: WireSample[][] = [];
    const run = startProbes(
      {
        ...base,
        durationMs: 60_000,
        originMs: monotonicMs(),
        targets: [{ endpoint: "vip", address: "::1", port: apiPort() }],
      },
      (s) => batches.push(s),
    );
    await new Promise((r) => setTimeout(r, 500));
    const stats = await run.stop();
    expect(batches.flat().length).toBe(stats.fired);
    expect(stats.fired).toBeGreaterThanOrEqual(6);
    expect(stats.fired).toBeLessThanOrEqual(14);
  }, 20_000);
});
