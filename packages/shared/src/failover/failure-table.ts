// The design document's failure-scenario table beside this environment's measurements: each row maps to the
// scenario that reproduces it, and its VIP and DNS columns take the median of the last three completed runs —
// through the VIP and through the round-robin name, new connections: how long clients saw failures (first failure to
// recovery) and how much was unavailable in total. Pure.
import type { FailoverScenario, RunResult } from "../protocol/failover.js";

export interface DocumentRow {
  id: string;
  title: string;
  scenario: FailoverScenario;
  /** What the document claims, verbatim. */
  claims: { vip: string; dns: string };
  /** How the console reproduces it. */
  how: string;
}

export const documentFailureTable: DocumentRow[] = [
  {
    id: "single-node-failure",
    title: "Single node failure",
    scenario: "hard-fault",
    claims: { vip: "<3s (BGP withdrawal)", dns: "30-120s (timeout)" },
    how: "a hard fault: the node falls silent (nothing answers, nothing is refused)",
  },
  {
    id: "api-process-crash",
    title: "API process crash",
    scenario: "kill-k3s",
    claims: { vip: "Immediate", dns: "5-30s (reconnect)" },
    how: "k3s killed with SIGKILL; systemd starts it again",
  },
  {
    id: "network-partition",
    title: "Network partition",
    scenario: "hard-fault",
    claims: { vip: "9-40s (BFD: 300ms)", dns: "30-120s" },
    how: "a hard fault too: to clients a partitioned node and a dead one are the same silence",
  },
  {
    id: "node-restart",
    title: "Node restart",
    scenario: "node-restart",
    claims: { vip: "~10s (pod startup)", dns: "~10s (service ready)" },
    how: "systemctl reboot",
  },
];

export interface MeasuredRun {
  id: string;
  scenario: FailoverScenario;
  startedAt: string;
  results: RunResult[];
}

export interface Measured {
  /** From the first failure to the recovery that ended the last one (0: no failure). */
  affectedMs: number;
  downtimeMs: number;
  runs: number;
}

export interface FailureTableRow extends DocumentRow {
  vip: Measured | null;
  dns: Measured | null;
  runIds: string[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function affected(r: RunResult): number {
  const first = r.intervals[0];
  const last = r.intervals.at(-1);
  if (!first || !last) return 0;
  return (last.endedAtMs ?? last.beganAtMs) - first.beganAtMs;
}

function measure(runs: MeasuredRun[], endpoint: string): Measured | null {
  const results = runs
    .map((r) => r.results.find((x) => x.endpoint === endpoint && x.mode === "new"))
    .filter((r): r is RunResult => r !== undefined);
  if (results.length === 0) return null;
  return {
    affectedMs: median(results.map(affected)),
    downtimeMs: median(results.map((r) => r.downtimeMs)),
    runs: results.length,
  };
}

/** `runs`: completed runs, newest first; each row takes its scenario's latest three. */
export function failureTable(runs: readonly MeasuredRun[]): FailureTableRow[] {
  return documentFailureTable.map((row) => {
    const mine = runs.filter((r) => r.scenario === row.scenario).slice(0, 3);
    return {
      ...row,
      vip: measure(mine, "vip"),
      dns: measure(mine, "round-robin"),
      runIds: mine.map((r) => r.id),
    };
  });
}
