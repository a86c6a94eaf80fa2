// Failover samples summarised as they come in: per way in and connection mode, the samples in start order (a late
// one filed back into place), its failures by kind, the successful probes' durations kept sorted, and its disruption
// intervals scanned once for all but the last few samples. A finished run is filed at once (`summarizeSamples`); a
// live page or server files each batch as it arrives, so that what a summary costs follows the batch, not the run's
// length (a 10-minute run at 50 ms × 6 ways in × 2 modes is 144,000 samples: summarising them all again took the page
// about 50 ms, twice a second).
import {
  type DisruptionInterval,
  type IntervalScan,
  type Outcome,
  type ProbeMode,
  percentileOfSorted,
  type Sample,
  type Summary,
  scanIntervals,
} from "./samples.js";

/**
 * How far from the end a late sample may still land (a probe is late by at most its timeout: 20 positions at 50 ms
 * and 1 s). The intervals of the samples before it are kept; those after it are scanned again per summary.
 */
const TAIL = 64;

/** Start order: by start, then by seq (two probes of one grid point may start in the same ms). */
export const startsBefore = (a: Sample, b: Sample) =>
  a.startedAtMs < b.startedAtMs || (a.startedAtMs === b.startedAtMs && a.seq < b.seq);

/**
 * Inserts `item` into `list`, kept in order by `earlier`, searching from the end (where nearly every one goes);
 * returns where it went.
 */
export function insertFromEnd<T>(list: T[], item: T, earlier: (a: T, b: T) => boolean): number {
  let i = list.length;
  while (i > 0 && earlier(item, list[i - 1] as T)) i--;
  if (i === list.length) list.push(item);
  else list.splice(i, 0, item);
  return i;
}

/** One way in and mode. */
export class TrackSummary {
  /** The samples in start order. */
  readonly samples: Sample[] = [];
  failures = 0;
  readonly errors: Partial<Record<Outcome, number>> = {};
  lastStartMs = Number.NEGATIVE_INFINITY;
  /** The successful probes' durations: `sorted[0..sortedCount)` ascending, then those filed since, unsorted. */
  private sorted = new Float64Array(256);
  private sortedCount = 0;
  private readonly pending: number[] = [];
  /** The disruption intervals of `samples[0..scanned)`, a prefix no late sample is expected to land in. */
  private scan: IntervalScan = { closed: [] };
  private scanned = 0;

  constructor(
    readonly endpoint: string,
    readonly mode: ProbeMode,
  ) {}

  /** Files `s`; returns where it went in start order. */
  add(s: Sample): number {
    const at = insertFromEnd(this.samples, s, startsBefore);
    // Later than the tail allows (a stalled page): the kept intervals no longer hold, scan again from the start.
    if (at < this.scanned) {
      this.scan = { closed: [] };
      this.scanned = 0;
    }
    if (s.startedAtMs > this.lastStartMs) this.lastStartMs = s.startedAtMs;
    if (s.outcome === "ok") this.pending.push(s.durationMs);
    else {
      this.failures++;
      this.errors[s.outcome] = (this.errors[s.outcome] ?? 0) + 1;
    }
    return at;
  }

  /**
   * The disruption intervals, as `disruptionIntervals(samples)` finds them, scanning only the samples after the kept
   * prefix. The kept ones are closed and never change; the caller must not change them either.
   */
  intervals(): DisruptionInterval[] {
    const stable = Math.max(this.scanned, this.samples.length - TAIL);
    scanIntervals(this.scan, this.samples, this.scanned, stable);
    this.scanned = stable;
    // The tail goes on from a copy of the open interval: the kept one must not see samples that may still move.
    const tail: IntervalScan = { closed: [], ...(this.scan.open ? { open: { ...this.scan.open } } : {}) };
    scanIntervals(tail, this.samples, stable, this.samples.length);
    const out = this.scan.closed.concat(tail.closed);
    if (tail.open) out.push(tail.open);
    return out;
  }

  /** The successful probes' durations, ascending: those filed since the last call are sorted and merged in place. */
  latencies(): Float64Array {
    const n = this.pending.length;
    if (n > 0) {
      const fresh = Float64Array.from(this.pending).sort();
      this.pending.length = 0;
      const total = this.sortedCount + n;
      if (total > this.sorted.length) {
        const grown = new Float64Array(Math.max(total, this.sorted.length * 2));
        grown.set(this.sorted.subarray(0, this.sortedCount));
        this.sorted = grown;
      }
      // Merge from the back: no entry is overwritten before it is read.
      const a = this.sorted;
      let i = this.sortedCount - 1;
      let j = n - 1;
      for (let k = total - 1; j >= 0; k--)
        a[k] =
          i >= 0 && (a[i] as number) > (fresh[j] as number) ? (a[i--] as number) : (fresh[j--] as number);
      this.sortedCount = total;
    }
    return this.sorted.subarray(0, this.sortedCount);
  }

  /** See `summarizeSamples`. */
  summary(options: { endMs?: number; actionAtMs?: number } = {}): Summary {
    const intervals = this.intervals();
    const endMs = Math.max(options.endMs ?? this.lastStartMs, this.lastStartMs);
    const length = (i: DisruptionInterval) => (i.endedAtMs ?? endMs) - i.beganAtMs;
    const ok = this.latencies();
    const summary: Summary = {
      endpoint: this.endpoint,
      mode: this.mode,
      samples: this.samples.length,
      failures: this.failures,
      downtimeMs: intervals.reduce((a, i) => a + length(i), 0),
      longestGapMs: intervals.reduce((a, i) => Math.max(a, length(i)), 0),
      intervals,
      errors: { ...this.errors },
      latencyMs: {
        p50: percentileOfSorted(ok, 50),
        p95: percentileOfSorted(ok, 95),
        p99: percentileOfSorted(ok, 99),
      },
    };
    const action = options.actionAtMs;
    if (action !== undefined) {
      // The first disruption still going at the action or begun after it (one already going counts from 0).
      const hit = intervals.find((i) => (i.endedAtMs ?? Number.POSITIVE_INFINITY) > action);
      if (hit) {
        summary.firstFailureAfterMs = Math.max(0, hit.beganAtMs - action);
        if (hit.endedAtMs !== undefined) summary.recoveredAfterMs = hit.endedAtMs - action;
      }
    }
    return summary;
  }
}

/** Every way in and mode of a run, in the order their first samples came. */
export class SampleSummarizer {
  private readonly byEndpoint = new Map<string, { new?: TrackSummary; reused?: TrackSummary }>();
  private readonly order: TrackSummary[] = [];
  private list: readonly Sample[] | undefined;
  private seen = 0;

  /** Files one sample; returns its track. */
  add(s: Sample): TrackSummary {
    let modes = this.byEndpoint.get(s.endpoint);
    if (!modes) {
      modes = {};
      this.byEndpoint.set(s.endpoint, modes);
    }
    let track = modes[s.mode];
    if (!track) {
      track = new TrackSummary(s.endpoint, s.mode);
      modes[s.mode] = track;
      this.order.push(track);
    }
    track.add(s);
    return track;
  }

  /**
   * Brings the summary up to `samples[0..count)` of an append-only list: when it is the list of the last call, only
   * what was added since is filed; any other list (another run, a reload) is filed from the start. Returns how many
   * samples were filed.
   */
  catchUp(samples: readonly Sample[], count = samples.length): number {
    // A count of another list (the page's throttle may still hold the last run's) files what this one has.
    count = Math.min(count, samples.length);
    if (samples !== this.list || count < this.seen) {
      this.clear();
      this.list = samples;
    }
    const from = this.seen;
    for (let i = from; i < count; i++) this.add(samples[i] as Sample);
    this.seen = Math.max(this.seen, count);
    return this.seen - from;
  }

  /** Forgets every sample. */
  clear(): void {
    this.byEndpoint.clear();
    this.order.length = 0;
    this.list = undefined;
    this.seen = 0;
  }

  track(endpoint: string, mode: ProbeMode): TrackSummary | undefined {
    return this.byEndpoint.get(endpoint)?.[mode];
  }

  /** Every track's summary, in the order their first samples came (see `summarizeSamples`). */
  summaries(options: { endMs?: number; actionAtMs?: number } = {}): Summary[] {
    return this.order.map((t) => t.summary(options));
  }
}

/**
 * Every endpoint-mode's summary. `endMs` (the run's end) closes an interval still open; without it the last sample's
 * start does. `actionAtMs` gives the times from the action.
 */
export function summarizeSamples(
  samples: readonly Sample[],
  options: { endMs?: number; actionAtMs?: number } = {},
): Summary[] {
  const summarizer = new SampleSummarizer();
  for (const s of samples) summarizer.add(s);
  return summarizer.summaries(options);
}
