// Failover samples and what a summary of them holds, pure: per endpoint and connection mode, the disruption intervals
// (from the start of the first failed probe to the start of the next successful one — OpenShift's disruption
// sampler's definition), downtime, the longest gap, errors by kind, latency percentiles, and the times from an
// action. summarizer.ts adds them up.

export const probeModes = ["new", "reused"] as const;
export type ProbeMode = (typeof probeModes)[number];

/** `ok`, a transport failure, or `http-<status>` (a 401/403 is its own outcome, never ok). */
export type Outcome = "ok" | "timeout" | "refused" | "reset" | "tls-error" | "dns-error" | `http-${number}`;

export interface Sample {
  seq: number;
  /** `vip`, `vip-name`, `round-robin`, `node:<name>`. */
  endpoint: string;
  mode: ProbeMode;
  address?: string;
  /** When the probe started, in ms on the run's one monotonic clock. */
  startedAtMs: number;
  durationMs: number;
  outcome: Outcome;
}

export interface DisruptionInterval {
  beganAtMs: number;
  /** The start of the next successful probe; absent while the disruption lasts (or the run ended in it). */
  endedAtMs?: number;
  /** The first failed probe's outcome. */
  kind: Outcome;
  failedProbes: number;
}

export interface Summary {
  endpoint: string;
  mode: ProbeMode;
  samples: number;
  failures: number;
  downtimeMs: number;
  longestGapMs: number;
  intervals: DisruptionInterval[];
  errors: Partial<Record<Outcome, number>>;
  /** Of the successful probes' durations. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  /** From the action (a fault) to the first failure after it, and to the recovery that followed. */
  firstFailureAfterMs?: number;
  recoveredAfterMs?: number;
}

/** The nearest-rank percentile of `values` (unsorted), or null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  return percentileOfSorted(Float64Array.from(values).sort(), p);
}

/** The nearest-rank percentile of values sorted ascending (sort once, read several percentiles). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** Intervals of one endpoint-mode's samples, taken in start order (probes may complete out of order). */
export function disruptionIntervals(samples: readonly Sample[]): DisruptionInterval[] {
  // Samples arrive nearly in start order: sort (a copy) only when they are not.
  let inOrder = true;
  for (let i = 1; i < samples.length && inOrder; i++) {
    const a = samples[i - 1] as Sample;
    const b = samples[i] as Sample;
    inOrder = a.startedAtMs < b.startedAtMs || (a.startedAtMs === b.startedAtMs && a.seq <= b.seq);
  }
  const ordered = inOrder
    ? samples
    : [...samples].sort((a, b) => a.startedAtMs - b.startedAtMs || a.seq - b.seq);
  const scan: IntervalScan = { closed: [] };
  scanIntervals(scan, ordered, 0, ordered.length);
  return scan.open ? [...scan.closed, scan.open] : scan.closed;
}

/** Intervals found so far in start-ordered samples: those closed, and the one still open. */
export interface IntervalScan {
  closed: DisruptionInterval[];
  open?: DisruptionInterval;
}

/**
 * Carries `scan` over `ordered[from..to)` (start order): an ok sample closes the open interval at its start, a failure
 * opens one or counts in it. A live chart scans only what is new; `disruptionIntervals` scans everything.
 */
export function scanIntervals(
  scan: IntervalScan,
  ordered: readonly Sample[],
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    const s = ordered[i] as Sample;
    if (s.outcome === "ok") {
      if (scan.open) {
        scan.open.endedAtMs = s.startedAtMs;
        scan.closed.push(scan.open);
        scan.open = undefined;
      }
    } else if (scan.open) scan.open.failedProbes++;
    else scan.open = { beganAtMs: s.startedAtMs, kind: s.outcome, failedProbes: 1 };
  }
}
