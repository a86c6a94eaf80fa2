import { describe, expect, it } from "vitest";
import { disruptionIntervals, percentile, type Sample } from "./samples.js";
import { summarizeSamples } from "./summarizer.js";

let seq = 0;
const s = (
  endpoint: string,
  startedAtMs: number,
  outcome: Sample["outcome"],
  durationMs = 5,
  mode: Sample["mode"] = "new",
): Sample => ({
  seq: seq++,
  endpoint,
  mode,
  startedAtMs,
  durationMs,
  outcome,
});

describe("disruption intervals", () => {
  it("run from the first failed probe's start to the next successful probe's start, in start order", () => {
    // Probes every 100 ms; the 300 and 400 ms probes fail; they complete out of order (a timeout completes last).
    const samples = [
      s("vip", 0, "ok"),
      s("vip", 100, "ok"),
      s("vip", 300, "timeout", 1000),
      s("vip", 200, "ok"),
      s("vip", 400, "refused"),
      s("vip", 500, "ok"),
    ];
    expect(disruptionIntervals(samples)).toEqual([
      { beganAtMs: 300, endedAtMs: 500, kind: "timeout", failedProbes: 2 },
    ]);
  });

  it("sum to downtime per endpoint and mode, with the longest gap, errors by kind and latency of successes", () => {
    const samples = [
      s("vip", 0, "ok", 4),
      s("vip", 100, "http-503", 2),
      s("vip", 200, "ok", 6),
      s("vip", 300, "timeout", 1000),
      s("vip", 400, "timeout", 1000),
      s("vip", 500, "timeout", 1000),
      s("vip", 600, "ok", 8),
      s("vip", 0, "ok", 3, "reused"),
      s("vip", 100, "reset", 1, "reused"),
    ];
    const [fresh, reused] = summarizeSamples(samples, { endMs: 700, actionAtMs: 250 });
    expect(fresh).toMatchObject({
      endpoint: "vip",
      mode: "new",
      samples: 7,
      failures: 4,
      downtimeMs: 100 + 300,
      longestGapMs: 300,
      errors: { "http-503": 1, timeout: 3 },
      latencyMs: { p50: 6, p95: 8, p99: 8 },
      firstFailureAfterMs: 50,
      recoveredAfterMs: 350,
    });
    // Still disrupted when the run ended: counted to the run's end, with no recovery.
    expect(reused).toMatchObject({ mode: "reused", downtimeMs: 600, firstFailureAfterMs: 0 });
    expect(reused?.recoveredAfterMs).toBeUndefined();
    expect(reused?.intervals[0]?.endedAtMs).toBeUndefined();
  });

  it("has no disruption and null percentiles where there is nothing to count", () => {
    expect(summarizeSamples([s("node:node01", 0, "ok")])[0]).toMatchObject({
      downtimeMs: 0,
      longestGapMs: 0,
      intervals: [],
    });
    expect(percentile([], 95)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 100)).toBe(5);
  });
});
