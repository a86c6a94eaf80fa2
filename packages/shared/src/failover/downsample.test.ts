import { describe, expect, it } from "vitest";
import { lttb } from "./downsample.js";

describe("LTTB downsampling", () => {
  it("keeps the ends and a spike, and returns exactly the threshold", () => {
    const points = Array.from({ length: 12_000 }, (_, i) => ({
      x: i * 50,
      y: i === 6_000 ? 1_000 : 5 + (i % 3),
    }));
    const out = lttb(points, 500);
    expect(out).toHaveLength(500);
    expect(out[0]).toBe(points[0]);
    expect(out.at(-1)).toBe(points.at(-1));
    expect(out.some((p) => p.y === 1_000)).toBe(true);
    expect(out.every((p, i) => i === 0 || p.x > (out[i - 1]?.x ?? -1))).toBe(true);
  });

  it("returns short series unchanged", () => {
    const points = [
      { x: 0, y: 1 },
      { x: 1, y: 2 },
    ];
    expect(lttb(points, 500)).toEqual(points);
  });
});
