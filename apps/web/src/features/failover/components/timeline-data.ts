// What the run's chart draws, kept up to date incrementally: per way in and connection mode, the run's summary (its
// samples in start order and its disruption intervals, from @k3s-ha/shared) and its successful probes' latency
// points. A live run's sample list only grows (the stream appends in place), so each update files only the samples it
// has not seen — the chart's work per update follows the batch, not the run's length (a 10-minute run at 50 ms × 6
// ways in × 2 modes is 144,000 samples).
import {
  type DisruptionInterval,
  insertFromEnd,
  type Sample,
  SampleSummarizer,
  type TrackSummary,
} from "@k3s-ha/shared";

export interface LatencyPoint {
  /** s after the run's zero. */
  x: number;
  /** ms. */
  y: number;
}

export interface Track {
  /** The samples in start order (probes complete out of order; a slow one is filed back into place). */
  samples: readonly Sample[];
  /** The successful ones as points, in the same order. */
  ok: readonly LatencyPoint[];
}

const NO_POINTS: readonly LatencyPoint[] = Object.freeze([]);
const NO_SAMPLES: readonly Sample[] = Object.freeze([]);

export class TimelineData extends SampleSummarizer {
  private readonly points = new Map<TrackSummary, LatencyPoint[]>();
  /** How many samples were filed by the last update (its whole list when it started again). */
  lastFiled = 0;

  /**
   * Brings the tracks up to `samples[0..count)`. When `samples` is the append-only list of the last update, only the
   * samples added since are filed; any other list (another run, a reloaded one) is filed from the start.
   */
  update(samples: readonly Sample[], count = samples.length): void {
    this.lastFiled = this.catchUp(samples, count);
  }

  override add(s: Sample): TrackSummary {
    const track = super.add(s);
    if (s.outcome === "ok") {
      let points = this.points.get(track);
      if (!points) {
        points = [];
        this.points.set(track, points);
      }
      insertFromEnd(points, { x: s.startedAtMs / 1_000, y: s.durationMs }, (a, b) => a.x < b.x);
    }
    return track;
  }

  override clear(): void {
    super.clear();
    this.points.clear();
  }

  /** What the chart draws of the track of `endpoint` and `mode` (empty when it has no sample yet). */
  drawn(endpoint: string, mode: Sample["mode"]): Track {
    const t = this.track(endpoint, mode);
    return t
      ? { samples: t.samples, ok: this.points.get(t) ?? NO_POINTS }
      : { samples: NO_SAMPLES, ok: NO_POINTS };
  }

  /**
   * The track's disruption intervals, as `disruptionIntervals(track.samples)` finds them, scanning only the samples
   * after the kept prefix: what a redraw costs follows the tail, not the run's length.
   */
  intervals(endpoint: string, mode: Sample["mode"]): DisruptionInterval[] {
    return this.track(endpoint, mode)?.intervals() ?? [];
  }
}
