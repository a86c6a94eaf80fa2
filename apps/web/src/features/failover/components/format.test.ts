import { describe, expect, it } from "vitest";
import { endpointLabel, formatMs, probeThreadSentence } from "./format";

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
  it("says how the probe thread was scheduled, and why not better", () => {
    expect(probeThreadSentence({ nice: -10, rtPriority: 1 })).toBe(
      "its thread ran real-time (SCHED_RR 1, nice -10), ahead of every ordinary thread on the host.",
    );
    const refused = "SCHED_RR: chrt: failed to set pid 7's policy: Operation not permitted";
    expect(probeThreadSentence({ nice: -10, rtPriority: null, reason: refused })).toBe(
      `its thread ran at nice -10, under the ordinary scheduler (${refused}).`,
    );
    // Runs recorded before the real-time policy have no rtPriority.
    expect(probeThreadSentence({ nice: -10 })).toBe(
      "its thread ran at nice -10, under the ordinary scheduler.",
    );
    expect(probeThreadSentence({ nice: null, rtPriority: null, reason: "nice -10: EACCES" })).toBe(
      "its thread kept the console's priority (nice -10: EACCES).",
    );
    expect(probeThreadSentence(undefined)).toBe("its thread kept the console's priority.");
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
