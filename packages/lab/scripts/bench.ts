// Figures: `lab up` / `lab down` wall time and failover per fault scenario (median of runs), as a Markdown table.
// Run as root: pnpm -s lab:bench [--runs 3] [--with-default-timers] [--only ID,…]
// (--with-default-timers adds the slow drills: default hold timer ~3 min a run, calico-node dead ~2.5 min a run,
//  k3s stopped with upstream controller timings ~1-1.5 min a run)
import { parseArgs } from "node:util";
import { type DrillResult, drills, median, runDrill } from "../src/drills.js";
import { setBgpMode } from "../src/faults.js";
import { labDown, labUp } from "../src/lab.js";
import { requireRoot } from "../src/packages.js";
import { labTopology } from "../src/topology.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    name: { type: "string", default: "bench" },
    "with-default-timers": { type: "boolean", default: false },
    only: { type: "string", default: "" },
  },
});
const SLOW = new Set(["hard-default", "calico-node-killed", "k3s-stopped", "k3s-stopped-leader"]);
/** --only ID[,ID]: just these drills (ids in src/drills.ts). */
const only = values.only ? values.only.split(",") : [];
const runs = Math.max(1, Number(values.runs));
const name = values.name;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const fmt = (ms: number | undefined) =>
  ms === undefined ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;

async function timeUpDown(): Promise<{ up: number[]; down: number[] }> {
  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = Date.now();
    await labUp(name);
    up.push(Date.now() - t0);
    t0 = Date.now();
    await labDown(name);
    down.push(Date.now() - t0);
    log(`up ${fmt(up.at(-1))}, down ${fmt(down.at(-1))}`);
  }
  return { up, down };
}

async function main(): Promise<void> {
  requireRoot("bench");
  await labDown(name);
  const { up, down } = await timeUpDown();
  const t = labTopology(name);
  // The drills time the VIP's withdrawal: the HA configuration (option 1) advertises it.
  await labUp(name, { preset: "vip" });
  const rows: string[] = [];
  try {
    for (const drill of drills) {
      // The slow drills (default hold timer; calico-node dead for the 120 s restart time) run only when asked.
      if (SLOW.has(drill.id) && !values["with-default-timers"]) continue;
      if (only.length && !only.includes(drill.id)) continue;
      await setBgpMode(t, drill.mode);
      const results: DrillResult[] = [];
      for (let i = 0; i < runs; i++) {
        const node = t.nodes[i % t.nodes.length]?.name ?? "node01";
        const r = await runDrill(t, drill, node);
        results.push(r);
        log(`${drill.id} on ${node}: FIB change ${fmt(r.failoverMs)}, back to 3 paths ${fmt(r.rejoinMs)}`);
      }
      const changed = results.map((r) => r.failoverMs).filter((v): v is number => v !== undefined);
      const kept = results.length - changed.length;
      const range = changed.length ? ` (${fmt(Math.min(...changed))}-${fmt(Math.max(...changed))})` : "";
      const failover = changed.length
        ? `${fmt(median(changed))}${range}`
        : `not withdrawn in ${fmt(drill.waitMs)}`;
      const note =
        kept && changed.length ? `; ${kept} of ${results.length} not withdrawn in ${fmt(drill.waitMs)}` : "";
      rows.push(
        `| ${drill.title}, ${results.length} runs | ${failover}${note} | ${fmt(median(results.map((r) => r.rejoinMs)))} |`,
      );
    }
  } finally {
    await labDown(name);
  }
  const out = [
    `lab up: median ${fmt(median(up))} (${up.map(fmt).join(", ")}); target < 10 s`,
    `lab down: median ${fmt(median(down))} (${down.map(fmt).join(", ")}); target < 3 s`,
    "",
    "| scenario | router FIB change for the VIP after the fault (median, min-max) | back to 3 paths after healing (median) |",
    "|---|---|---|",
    ...rows,
  ];
  process.stdout.write(`${out.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
