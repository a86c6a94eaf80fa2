// Go durations as kube-controller-manager parses its flags, and the timings read from k3s's
// kube-controller-manager-arg values: a later value wins, other flags and bad values are ignored.
import { describe, expect, it } from "vitest";
import { controllerTimings, parseGoDurationMs } from "./controller-timings.js";

describe("Go durations", () => {
  it("reads what time.ParseDuration reads", () => {
    expect(parseGoDurationMs("20s")).toBe(20_000);
    expect(parseGoDurationMs("1m0s")).toBe(60_000);
    expect(parseGoDurationMs("1m30s")).toBe(90_000);
    expect(parseGoDurationMs("1.5s")).toBe(1_500);
    expect(parseGoDurationMs("500ms")).toBe(500);
    expect(parseGoDurationMs("1h")).toBe(3_600_000);
    expect(parseGoDurationMs("0")).toBe(0);
  });

  it("refuses what it does not", () => {
    for (const bad of ["", "20", "s", "20x", "1m 0s", "-5s", "twenty seconds", "20s;"])
      expect(parseGoDurationMs(bad), bad).toBeUndefined();
  });
});

describe("controller timings from kube-controller-manager-arg", () => {
  it("takes each flag's last value, with or without --", () => {
    expect(
      controllerTimings([
        "node-monitor-grace-period=40s",
        "--node-monitor-grace-period=20s",
        "node-monitor-period=2s",
        "leader-elect-lease-duration=30s",
        "leader-elect-retry-period=3s",
        "terminated-pod-gc-threshold=10",
      ]),
    ).toEqual({
      nodeMonitorGracePeriodMs: 20_000,
      nodeMonitorPeriodMs: 2_000,
      leaderLeaseMs: 30_000,
      leaderRetryMs: 3_000,
    });
  });

  it("leaves out what is unset or unreadable", () => {
    expect(controllerTimings([])).toEqual({});
    expect(
      controllerTimings(["node-monitor-grace-period=soon", "node-monitor-period", "node-monitor-period=0"]),
    ).toEqual({});
  });
});
