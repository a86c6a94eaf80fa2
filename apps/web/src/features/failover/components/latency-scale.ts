// The run chart's latency scale and its pointer readout, as pure functions: the axis' top and ticks from what is
// drawn, and the drawn point nearest a moment.
import type { LatencyPoint } from "./timeline-data";

/** The latency axis' top: the largest latency drawn, rounded up to 1, 2 or 5 × 10ⁿ ms (at least 1 ms). */
export function latencyTop(lines: readonly { points: readonly LatencyPoint[] }[]): number {
  let max = 0;
  for (const l of lines) for (const p of l.points) if (p.y > max) max = p.y;
  if (max <= 1) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * step >= max) return m * step;
  return 10 * step;
}

/** The latency axis' ticks: fifths of a top of 1 or 5 × 10ⁿ, quarters of 2 × 10ⁿ (0, 5, 10, 15, 20). */
export function latencyTicks(top: number): number[] {
  const mantissa = Math.round(top / 10 ** Math.floor(Math.log10(top)));
  const parts = mantissa === 2 ? 4 : 5;
  return Array.from({ length: parts + 1 }, (_, i) => Number(((top * i) / parts).toPrecision(6)));
}

/** The drawn point nearest to `x` (s) in points sorted by x, if any. */
export function nearestPoint(points: readonly LatencyPoint[], x: number): LatencyPoint | undefined {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as LatencyPoint).x < x) lo = mid + 1;
    else hi = mid;
  }
  const after = points[lo] as LatencyPoint;
  const before = points[lo - 1];
  return before && x - before.x < after.x - x ? before : after;
}
