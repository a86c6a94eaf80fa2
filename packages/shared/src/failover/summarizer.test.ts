// The summary filed batch by batch is the summary of everything at once, and both are what the definitions say:
// intervals over the samples in start order, nearest-rank percentiles of every successful probe, errors by kind.
import { describe, expect, it } from "vitest";
import { disruptionIntervals, percentile, type Sample } from "./samples.js";
import { SampleSummarizer, summarizeSamples } from "./summarizer.js";

let seq = 0;
let random = 7;
const next = () => {
  random = (random * 16_807) % 2_147_483_647;
  return random / 2_147_483_647;
};

/** 40 batches of 12 probes (2 ways in × 2 modes × 3 grid points), with outages, slow probes that arrive late, one stalled. */
function batches(): Sample[][] {
  const out: Sample[][] = [];
  for (let b = 0; b < 40; b++) {
    const batch: Sample[] = [];
    for (let p = 0; p < 3; p++) {
      const at = (b * 3 + p) * 50;
      for (const endpoint of ["vip", "node:node01"])
        for (const mode of ["new", "reused"] as const) {
          const down =
            (at >= 1_000 && at < 1_600 && endpoint === "vip") || (at % 1_850 < 100 && mode === "new");
          batch.push({
            seq: ++seq,
            endpoint,
            mode,
            startedAtMs: at,
            // Durations repeat (whole ms), as real ones do at this resolution.
            durationMs: Math.round(2 + next() * 8),
            outcome: down ? (next() < 0.5 ? "timeout" : "refused") : "ok",
          });
        }
    }
    out.push(batch);
  }
  // Slow probes: they complete (and arrive) a batch or two after those that started after them.
  for (const b of [4, 12, 20]) out[b + 1]?.push(...(out[b]?.splice(2, 2) ?? []));
  // One far later than any timeout (a stalled page), a failure amid successes: it lands before the intervals' kept
  // prefix and opens an interval there.
  out[38]?.push(...(out[2]?.splice(0, 1) ?? []).map((s) => ({ ...s, outcome: "reset" as const })));
  return out;
}

/** The definitions, computed the slow way. */
function reference(list: readonly Sample[], endpoint: string, mode: Sample["mode"]) {
  const track = list
    .filter((s) => s.endpoint === endpoint && s.mode === mode)
    .sort((a, b) => a.startedAtMs - b.startedAtMs || a.seq - b.seq);
  const ok = track.filter((s) => s.outcome === "ok").map((s) => s.durationMs);
  const errors: Record<string, number> = {};
  for (const s of track) if (s.outcome !== "ok") errors[s.outcome] = (errors[s.outcome] ?? 0) + 1;
  return {
    samples: track.length,
    failures: track.length - ok.length,
    intervals: disruptionIntervals(track),
    errors,
    latencyMs: { p50: percentile(ok, 50), p95: percentile(ok, 95), p99: percentile(ok, 99) },
  };
}

describe("SampleSummarizer", () => {
  it("summarises a list growing batch by batch as summarizeSamples and the definitions do, every time", () => {
    const live = new SampleSummarizer();
    const list: Sample[] = [];
    for (const batch of batches()) {
      list.push(...batch);
      expect(live.catchUp(list)).toBe(batch.length);
      const options = { endMs: 7_000, actionAtMs: 900 };
      const summaries = live.summaries(options);
      expect(summaries).toEqual(summarizeSamples(list, options));
      for (const s of summaries) expect(s).toMatchObject(reference(list, s.endpoint, s.mode));
    }
    expect(live.catchUp(list)).toBe(0);
    const vip = live.summaries({ actionAtMs: 900 }).find((s) => s.endpoint === "vip" && s.mode === "reused");
    // The outage at 1,000-1,600 ms: begun 100 ms after the action, over when the probe at 1,600 ms succeeded.
    expect(vip).toMatchObject({ firstFailureAfterMs: 100, recoveredAfterMs: 700, downtimeMs: 600 });
  });

  it("files only up to the count it is given, and starts again on another list", () => {
    const all = batches().flat();
    const live = new SampleSummarizer();
    expect(live.catchUp(all, 100)).toBe(100);
    expect(live.summaries()).toEqual(summarizeSamples(all.slice(0, 100)));
    expect(live.catchUp(all, 100)).toBe(0);
    const other = all.slice(0, 10);
    expect(live.catchUp(other)).toBe(10);
    expect(live.summaries()).toEqual(summarizeSamples(other));
    expect(live.track("vip", "new")?.samples.length).toBe(
      other.filter((s) => s.endpoint === "vip" && s.mode === "new").length,
    );
  });

  it("keeps the kept intervals as they were when a later summary goes on from them", () => {
    const live = new SampleSummarizer();
    const list = batches().flat();
    live.catchUp(list);
    const first = live.summaries();
    const copy = structuredClone(first);
    list.push(...list.map((s) => ({ ...s, seq: s.seq + 10_000, startedAtMs: s.startedAtMs + 6_000 })));
    expect(live.catchUp(list)).toBe(list.length / 2);
    expect(live.summaries()).toEqual(summarizeSamples(list));
    expect(first).toEqual(copy);
  });
});
