// The document's failure table measured: the median of the latest three runs per scenario, through the VIP and the
// round-robin name, failures' span and total; a row without runs says so (null).
import { describe, expect, it } from "vitest";
import type { RunResult } from "../protocol/failover.js";
import { failureTable } from "./failure-table.js";

const result = (endpoint: string, intervals: [number, number][], downtimeMs: number): RunResult => ({
  endpoint,
  mode: "new",
  samples: 100,
  failures: intervals.length,
  rehashFailures: 0,
  downtimeMs,
  longestGapMs: 0,
  intervals: intervals.map(([b, e]) => ({ beganAtMs: b, endedAtMs: e, kind: "timeout", failedProbes: 1 })),
  errors: {},
  latencyMs: { p50: 1, p95: 1, p99: 1 },
  answeredBy: null,
  prediction: null,
});
const run = (id: string, vip: [number, number][], dns: [number, number][]) => ({
  id,
  scenario: "hard-fault" as const,
  startedAt: "2026-12-01T10:00:00Z",
  results: [result("vip", vip, vip.length * 100), result("round-robin", dns, dns.length * 1000)],
});

describe("failureTable", () => {
  it("takes the median of the latest three runs of each row's scenario", () => {
    const rows = failureTable([
      run(
        "d",
        [
          [1_000, 1_100],
          [2_000, 4_000],
        ],
        [[1_000, 3_000]],
      ),
      run("c", [[1_000, 2_000]], [[1_000, 3_100]]),
      run("b", [], []),
      run("a", [[0, 99_000]], []),
    ]);
    const single = rows.find((r) => r.id === "single-node-failure");
    expect(single?.runIds).toEqual(["d", "c", "b"]);
    expect(single?.vip).toEqual({ affectedMs: 1_000, downtimeMs: 100, runs: 3 });
    expect(single?.dns).toEqual({ affectedMs: 2_000, downtimeMs: 1_000, runs: 3 });
    expect(single?.claims.vip).toBe("<3s (BGP withdrawal)");
    expect(rows.find((r) => r.id === "api-process-crash")).toMatchObject({
      vip: null,
      dns: null,
      runIds: [],
    });
  });
});
