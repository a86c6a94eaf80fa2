import { describe, expect, it } from "vitest";
import { endpointLabel, formatMs } from "./format";

describe("failover formats", () => {
  it("writes durations at a precision an operator reads", () => {
    expect([0, 849.6, 2_096.5, 41_320, 185_000].map(formatMs)).toEqual([
      "0 ms",
      "850 ms",
      "2.10 s",
      "41.3 s",
      "3 min 5 s",
    ]);
    expect(formatMs(null)).toBe("–");
  });
  it("names endpoints in the operator's words", () => {
    expect(["vip", "vip-name", "round-robin", "node:node02"].map(endpointLabel)).toEqual([
      "VIP",
      "VIP name",
      "Round-robin name",
      "node02 (direct)",
    ]);
  });
});
