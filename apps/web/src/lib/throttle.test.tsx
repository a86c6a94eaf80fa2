// The throttled value: at most one change per period, and the last change never lost.
import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useThrottled } from "./throttle";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("useThrottled", () => {
  it("holds changes that come within the period and ends on the last one", () => {
    const { result, rerender } = renderHook(({ v }) => useThrottled(v, 500), { initialProps: { v: 1 } });
    expect(result.current).toBe(1);
    rerender({ v: 2 });
    rerender({ v: 3 });
    expect(result.current).toBe(1);
    act(() => {
      vi.advanceTimersByTime(100);
    });
    rerender({ v: 4 });
    expect(result.current).toBe(1);
    act(() => {
      vi.advanceTimersByTime(600);
    });
    expect(result.current).toBe(4);
  });
});
