import { describe, expect, it } from "vitest";
import { latencyTicks, latencyTop, nearestPoint } from "./latency-scale";

const line = (...ys: number[]) => ({ points: ys.map((y, i) => ({ x: i, y })) });

describe("the run chart's latency scale", () => {
  it("tops the axis at the largest latency drawn, rounded up to 1, 2 or 5 × 10ⁿ ms", () => {
    expect(latencyTop([])).toBe(1);
    expect(latencyTop([line(0.4, 0.9)])).toBe(1);
    expect(latencyTop([line(3, 7.9), line(2)])).toBe(10);
    expect(latencyTop([line(3), line(10)])).toBe(10);
    expect(latencyTop([line(10.5)])).toBe(20);
    expect(latencyTop([line(41)])).toBe(50);
    expect(latencyTop([line(999)])).toBe(1_000);
    expect(latencyTop([line(1_000)])).toBe(1_000);
    // A slow success (a 1 s timeout is a failure, not a point) still fits under the top.
    expect(latencyTop([line(2, 730)])).toBe(1_000);
  });

  it("puts ticks at round values from 0 to the top", () => {
    expect(latencyTicks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(latencyTicks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(latencyTicks(50)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(latencyTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(latencyTicks(1_000)).toEqual([0, 200, 400, 600, 800, 1_000]);
  });

  it("finds the drawn point nearest a moment", () => {
    const points = [
      { x: 0, y: 1 },
      { x: 10, y: 2 },
      { x: 20, y: 3 },
    ];
    expect(nearestPoint([], 5)).toBeUndefined();
    expect(nearestPoint(points, -3)).toEqual({ x: 0, y: 1 });
    expect(nearestPoint(points, 4)).toEqual({ x: 0, y: 1 });
    expect(nearestPoint(points, 6)).toEqual({ x: 10, y: 2 });
    expect(nearestPoint(points, 16)).toEqual({ x: 20, y: 3 });
    expect(nearestPoint(points, 99)).toEqual({ x: 20, y: 3 });
  });
});
