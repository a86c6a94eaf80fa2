// What the run's chart draws, kept up to date incrementally: one track per way in and connection mode, its samples in
// start order and its successful probes' latency points. A live run's sample list only grows (the stream appends), so
// each update files only the samples it has not seen — the chart's work per update follows the batch, not the run's
// length (a 10-minute run at 50 ms × 6 ways in × 2 modes is 144,000 samples).
import { type DisruptionInterval, type IntervalScan, type Sample, scanIntervals } from "@k3s-ha/shared";

export interface LatencyPoint {
  /** s after the run's zero. */
  x: number;
  /** ms. */
  y: number;
}

export interface Track {
  /** The samples in start order (probes complete out of order; a slow one is filed back into place). */
  samples: Sample[];
  /** The successful ones as points, in the same order. */
  ok: LatencyPoint[];
  /** The disruption intervals of `samples[0..scanned)`, a prefix no late sample is expected to land in. */
  scan: IntervalScan;
  scanned: number;
}

/**
 * How far from the end a late sample may still land (a probe is late by at most its timeout: 20 positions at 50 ms
 * and 1 s). The intervals of the samples before it are kept; those after it are scanned again per update.
 */
const TAIL = 64;

const before = (a: Sample, b: Sample) =>
  a.startedAtMs < b.startedAtMs || (a.startedAtMs === b.startedAtMs && a.seq < b.seq);

/**
 * Inserts `item` into `list`, kept in order by `earlier`, searching from the end (where nearly every one goes);
 * returns where it went.
 */
function insertFromEnd<T>(list: T[], item: T, earlier: (a: T, b: T) => boolean): number {
  let i = list.length;
  while (i > 0 && earlier(item, list[i - 1] as T)) i--;
  if (i === list.length) list.push(item);
  else list.splice(i, 0, item);
  return i;
}

export class TimelineData {
  private readonly tracks = new Map<string, Track>();
  private seen: readonly Sample[] = [];
  /** How many samples were filed by the last update (its whole list when it started again). */
  lastFiled = 0;

  /**
   * Brings the tracks up to `samples`. When `samples` extends the list of the last update (the same samples first),
   * only the new ones are filed; any other list (another run, a reloaded one) is filed from the start.
   */
  update(samples: readonly Sample[]): void {
    if (samples === this.seen) {
      this.lastFiled = 0;
      return;
    }
    const seen = this.seen.length;
    const extendsSeen = samples.length >= seen && (seen === 0 || samples[seen - 1] === this.seen[seen - 1]);
    if (!extendsSeen) this.tracks.clear();
    const from = extendsSeen ? seen : 0;
    for (let i = from; i < samples.length; i++) this.file(samples[i] as Sample);
    this.lastFiled = samples.length - from;
    this.seen = samples;
  }

  private file(s: Sample): void {
    const key = `${s.endpoint} ${s.mode}`;
    let track = this.tracks.get(key);
    if (!track) {
      track = { samples: [], ok: [], scan: { closed: [] }, scanned: 0 };
      this.tracks.set(key, track);
    }
    // Later than the tail allows (a stalled page): the kept intervals no longer hold, scan again from the start.
    if (insertFromEnd(track.samples, s, before) < track.scanned) {
      track.scan = { closed: [] };
      track.scanned = 0;
    }
    if (s.outcome === "ok") {
      const p = { x: s.startedAtMs / 1_000, y: s.durationMs };
      insertFromEnd(track.ok, p, (a, b) => a.x < b.x);
    }
  }

  /** The track of `endpoint` and `mode` (empty when it has no sample yet). */
  track(endpoint: string, mode: Sample["mode"]): Pick<Track, "samples" | "ok"> {
    return this.tracks.get(`${endpoint} ${mode}`) ?? EMPTY;
  }

  /**
   * The track's disruption intervals, as `disruptionIntervals(track.samples)` finds them, scanning only the samples
   * after the kept prefix: what a redraw costs follows the tail, not the run's length.
   */
  intervals(endpoint: string, mode: Sample["mode"]): DisruptionInterval[] {
    const t = this.tracks.get(`${endpoint} ${mode}`);
    if (!t) return [];
    const stable = Math.max(t.scanned, t.samples.length - TAIL);
    scanIntervals(t.scan, t.samples, t.scanned, stable);
    t.scanned = stable;
    // The tail goes on from a copy of the open interval: the kept one must not see samples that may still move.
    const tail: IntervalScan = { closed: [], ...(t.scan.open ? { open: { ...t.scan.open } } : {}) };
    scanIntervals(tail, t.samples, stable, t.samples.length);
    const out = t.scan.closed.concat(tail.closed);
    if (tail.open) out.push(tail.open);
    return out;
  }
}

const EMPTY: Pick<Track, "samples" | "ok"> = Object.freeze({ samples: [], ok: [] }) as unknown as Track;
