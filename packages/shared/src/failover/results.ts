// A run's results as the API and the page show them, one function for both: the samples' summary per way in and
// mode, who answered (only a node's own address says), and beside each the prediction from the run's facts.
import type { FailoverScenario, RunResult } from "../protocol/failover.js";
import { disagrees, type PredictionFacts, predict } from "./predict.js";
import { type Sample, summarizeSamples } from "./samples.js";

export interface ResultsContext {
  scenario: FailoverScenario;
  node: string | null;
  request: {
    intervalMs: number;
    timeoutMs: number;
    durationS: number;
    faultS: number | null;
    dial: "go" | "happy-eyeballs";
  };
  actionAtMs: number | null;
  servers: number;
  facts: PredictionFacts | null;
  /** Closes an interval still open (the run's last sample when absent). */
  endMs?: number;
}

/** How long the fault lasts: a drop's faultS, or how long k3s stays stopped (faultS, else a third of the run ≤ 60 s). */
export function faultHoldMs(request: { faultS?: number | null | undefined; durationS: number }): number {
  return (request.faultS ?? Math.min(60, Math.max(1, Math.floor(request.durationS / 3)))) * 1_000;
}

export function runResults(samples: readonly Sample[], ctx: ResultsContext): RunResult[] {
  const summaries = summarizeSamples(samples, {
    ...(ctx.endMs !== undefined ? { endMs: ctx.endMs } : {}),
    ...(ctx.actionAtMs !== null ? { actionAtMs: ctx.actionAtMs } : {}),
  });
  return summaries
    .map((r) => {
      const prediction = ctx.facts
        ? predict({
            scenario: ctx.scenario,
            endpoint: r.endpoint,
            mode: r.mode,
            ...(ctx.node ? { node: ctx.node } : {}),
            faultMs: faultHoldMs(ctx.request),
            timeoutMs: ctx.request.timeoutMs,
            dial: ctx.request.dial,
            servers: ctx.servers,
            facts: ctx.facts,
          })
        : undefined;
      return {
        ...r,
        errors: Object.fromEntries(
          Object.entries(r.errors).filter((e): e is [string, number] => e[1] !== undefined),
        ),
        answeredBy: r.endpoint.startsWith("node:") ? r.endpoint : null,
        prediction: prediction
          ? {
              ...prediction,
              disagrees: disagrees(r.downtimeMs, prediction.downtimeMs, ctx.request.intervalMs),
            }
          : null,
      };
    })
    .sort((a, b) => a.endpoint.localeCompare(b.endpoint) || a.mode.localeCompare(b.mode));
}
