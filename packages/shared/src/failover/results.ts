// A run's results as the API and the page show them, one function for both: the samples' summary per way in and
// mode, who answered (only a node's own address says), and beside each the prediction from the run's facts.
import type { FailoverScenario, RunResult } from "../protocol/failover.js";
import { disagrees, type PredictionFacts, predict } from "./predict.js";
import type { Sample, Summary } from "./samples.js";
import { summarizeSamples } from "./summarizer.js";
import { RUN_ROUTER_POLL_MS } from "./timeline.js";

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
  /** When the router's path to the VIP changed (its timeline events), seen by a poll every `routerPollMs`. */
  vipPathChangesAtMs?: readonly number[];
  /** RUN_ROUTER_POLL_MS when absent. */
  routerPollMs?: number;
}

/** Ways in whose packets the router spreads over the VIP's ECMP paths (a node's own address has one path). */
const throughVip = (endpoint: string) => endpoint === "vip" || endpoint === "vip-name";

/**
 * Whether a disruption is the ECMP rehash at a path change: one or two probes reset (or timed out, a handshake's
 * packet lost in the change) that began no earlier than a router poll and a probe interval before the poll saw the
 * VIP's paths change, and no later than an interval after. When a path leaves or returns, the router's
 * hash-threshold split moves some flows to another server even when theirs stays (removing the middle of three
 * moves none of the others, an end one half of them); a connection moved mid-flight — kept alive, or a new one in
 * its handshake — meets a server that never saw it and is reset.
 */
export function atVipPathChange(
  interval: { beganAtMs: number; kind: string; failedProbes: number },
  changesAtMs: readonly number[],
  intervalMs: number,
  pollMs: number,
): boolean {
  if ((interval.kind !== "reset" && interval.kind !== "timeout") || interval.failedProbes > 2) return false;
  return changesAtMs.some(
    (c) => interval.beganAtMs >= c - pollMs - intervalMs && interval.beganAtMs <= c + intervalMs,
  );
}

/** How long the fault lasts: a drop's faultS, or how long k3s stays stopped (faultS, else a third of the run ≤ 60 s). */
export function faultHoldMs(request: { faultS?: number | null | undefined; durationS: number }): number {
  return (request.faultS ?? Math.min(60, Math.max(1, Math.floor(request.durationS / 3)))) * 1_000;
}

export function runResults(samples: readonly Sample[], ctx: ResultsContext): RunResult[] {
  return resultsOfSummaries(summarizeSamples(samples, summaryOptions(ctx)), ctx);
}

/** What a summary of the run's samples needs from its context (for a `SampleSummarizer` filled as samples come). */
export function summaryOptions(ctx: Pick<ResultsContext, "endMs" | "actionAtMs">): {
  endMs?: number;
  actionAtMs?: number;
} {
  return {
    ...(ctx.endMs !== undefined ? { endMs: ctx.endMs } : {}),
    ...(ctx.actionAtMs !== null ? { actionAtMs: ctx.actionAtMs } : {}),
  };
}

/** `runResults` of summaries made already (a live summary filed batch by batch). */
export function resultsOfSummaries(summaries: readonly Summary[], ctx: ResultsContext): RunResult[] {
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
      const changes = throughVip(r.endpoint) ? (ctx.vipPathChangesAtMs ?? []) : [];
      const intervals = r.intervals.map((iv) =>
        changes.length &&
        atVipPathChange(iv, changes, ctx.request.intervalMs, ctx.routerPollMs ?? RUN_ROUTER_POLL_MS)
          ? { ...iv, cause: "ecmp-rehash" as const }
          : iv,
      );
      return {
        ...r,
        intervals,
        rehashFailures: intervals.reduce((a, iv) => a + ("cause" in iv ? iv.failedProbes : 0), 0),
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
