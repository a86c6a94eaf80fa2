// The probe engine alone (no console, no browser) against a lab of real daemons ("benchprobe"): start lateness and
// CPU at an interval × 6 ways in × 2 modes — the engine's own jitter, apart from what else the machine runs.
// As root: pnpm -s --filter @k3s-ha/server bench:probes [--interval-ms 100] [--duration-s 30]
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { labDown, labTopology, labUp, planFile } from "@k3s-ha/lab";
import { type Plan, validatePlan } from "@k3s-ha/shared";
import { parse } from "yaml";
import { kubeAccess } from "../src/plugins/kube.js";
import { monotonicMs } from "../src/services/failover/probe/clock.js";
import { ProbeScheduler } from "../src/services/failover/probe/scheduler.js";
import { probeSpec } from "../src/services/failover/probe-spec.js";

const { values } = parseArgs({
  options: {
    "interval-ms": { type: "string", default: "100" },
    "duration-s": { type: "string", default: "30" },
  },
});
const LAB = "benchprobe";

async function main(): Promise<void> {
  const t = labTopology(LAB);
  await labUp(LAB, { preset: "vip" });
  try {
    const checked = validatePlan(parse(readFileSync(planFile(t), "utf8")));
    if (!checked.ok) throw new Error("the lab's plan does not validate");
    const plan: Plan = checked.plan;
    const access = await kubeAccess(plan);
    const targets = [
      { endpoint: "vip", address: plan.network.apiVip },
      { endpoint: "vip-name", name: plan.dns.vipName },
      { endpoint: "round-robin", name: plan.dns.roundRobinName },
      ...plan.nodes.map((n) => ({ endpoint: `node:${n.name}`, address: n.address })),
    ];
    const request = {
      scenario: "observe",
      request: "readyz",
      dial: "go",
      intervalMs: Number(values["interval-ms"]),
      timeoutMs: 1_000,
      durationS: Number(values["duration-s"]),
      confirm: true,
    } as const;
    const spec = probeSpec(plan, request, targets, access, monotonicMs());
    let stored = 0;
    // The outcomes too: a cheaper engine that only fails faster would not be one.
    const outcomes: Record<string, number> = {};
    const scheduler = new ProbeScheduler(
      spec,
      (b) => {
        stored += b.length;
        for (const s of b) outcomes[s.outcome] = (outcomes[s.outcome] ?? 0) + 1;
      },
      monotonicMs,
    );
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    scheduler.start();
    const stats = await scheduler.done;
    const cpu = process.cpuUsage(cpu0);
    const wallS = (performance.now() - wall0) / 1_000;
    process.stdout.write(
      `engine alone at ${request.intervalMs} ms × ${targets.length} × 2 for ${request.durationS} s: start lateness ` +
        `p50 ${stats.lateMs.p50} ms, p99 ${stats.lateMs.p99} ms, max ${stats.lateMs.max} ms; ${stats.fired} probes ` +
        `(${stored} samples: ${Object.entries(outcomes)
          .map(([o, n]) => `${n} ${o}`)
          .join(", ")}); CPU ${(((cpu.user + cpu.system) / 1e6 / wallS) * 100).toFixed(1)} % of a core ` +
        `(user ${((cpu.user / 1e6 / wallS) * 100).toFixed(1)} %)\n`,
    );
  } finally {
    await labDown(LAB);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-probes: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
