import { describe, expect, it } from "vitest";
import { backoffDelay, reconnectPolicy } from "./backoff";

describe("backoffDelay", () => {
  it("starts at 0.5 s and doubles, half of each step fixed and half random", () => {
    expect(backoffDelay(0, 0)).toBe(500);
    expect(backoffDelay(0, 1)).toBe(500);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 1))).toEqual([1000, 2000, 4000, 8000]);
  });

  it("never waits longer than 15 s, however many attempts failed", () => {
    for (const attempt of [5, 6, 10, 100, 5000]) {
      expect(backoffDelay(attempt, 0)).toBe(7500);
      expect(backoffDelay(attempt, 1)).toBe(reconnectPolicy.maxMs);
    }
  });

  it("stays within bounds for any random input", () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      for (const random of [-1, 0, 0.25, 0.5, 0.999, 2, Number.NaN]) {
        const delay = backoffDelay(attempt, random);
        expect(delay).toBeGreaterThanOrEqual(500);
        expect(delay).toBeLessThanOrEqual(15_000);
      }
    }
  });
});
