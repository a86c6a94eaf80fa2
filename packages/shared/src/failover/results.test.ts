import { describe, expect, it } from "vitest";
import { atVipPathChange, runResults } from "./results.js";
import type { Sample } from "./samples.js";
import { RUN_ROUTER_POLL_MS, vipPathChangesAtMs } from "./timeline.js";

let seq = 0;
/** A probe every 100 ms from 0 to `toMs` on `endpoint`, failing with `fail[t]` where given. */
const stream = (endpoint: string, toMs: number, fail: Record<number, Sample["outcome"]> = {}): Sample[] => {
  const out: Sample[] = [];
  for (let t = 0; t <= toMs; t += 100)
    out.push({ seq: seq++, endpoint, mode: "new", startedAtMs: t, durationMs: 5, outcome: fail[t] ?? "ok" });
  return out;
};

const ctx = {
  scenario: "graceful-maintenance" as const,
  node: "node01",
  request: { intervalMs: 100, timeoutMs: 1_000, durationS: 3, faultS: 1, dial: "go" as const },
  actionAtMs: 0,
  servers: 3,
  facts: null,
  routerPollMs: RUN_ROUTER_POLL_MS,
};

describe("the ECMP rehash at a change of the VIP's paths", () => {
  it("marks a reset probe just before the poll saw the change, through the VIP and its name only", () => {
    // The router dropped node01's path at about 320 ms; its 250 ms poll saw it at 354 ms.
    const samples = [
      ...stream("vip", 3_000, { 300: "reset" }),
      ...stream("vip-name", 3_000, { 300: "reset" }),
      ...stream("node:node02", 3_000, { 300: "reset" }),
    ];
    const results = runResults(samples, { ...ctx, vipPathChangesAtMs: [354] });
    const by = (e: string) => results.find((r) => r.endpoint === e);
    expect(by("vip")?.intervals).toEqual([
      { beganAtMs: 300, endedAtMs: 400, kind: "reset", failedProbes: 1, cause: "ecmp-rehash" },
    ]);
    expect(by("vip")?.rehashFailures).toBe(1);
    expect(by("vip-name")?.rehashFailures).toBe(1);
    // A node's own address has one path: a reset there is the node's, whatever the router did.
    expect(by("node:node02")?.intervals[0]?.cause).toBeUndefined();
    expect(by("node:node02")?.rehashFailures).toBe(0);
  });

  it("leaves an outage an outage: refused, too many probes, or far from any change", () => {
    const changes = [1_000];
    const at = (beganAtMs: number, kind: string, failedProbes = 1) =>
      atVipPathChange({ beganAtMs, kind, failedProbes }, changes, 100, 250);
    expect(at(650, "reset")).toBe(true); // a poll and an interval before the change was seen
    expect(at(1_100, "timeout")).toBe(true); // an interval after
    expect(at(640, "reset")).toBe(false);
    expect(at(1_110, "reset")).toBe(false);
    expect(at(900, "refused")).toBe(false); // nothing listens: the server's outage, not the router's split
    expect(at(900, "reset", 3)).toBe(false); // three probes in a row are an outage
    expect(at(900, "reset", 2)).toBe(true);
    expect(atVipPathChange({ beganAtMs: 900, kind: "reset", failedProbes: 1 }, [], 100, 250)).toBe(false);

    const results = runResults(stream("vip", 3_000, { 1500: "reset", 1600: "reset", 1700: "reset" }), {
      ...ctx,
      vipPathChangesAtMs: [1_550],
    });
    expect(results[0]?.intervals[0]?.cause).toBeUndefined();
    expect(results[0]?.rehashFailures).toBe(0);
  });

  it("takes the changes from the timeline's router-path events for the VIP, not its first view or the range", () => {
    const events = [
      { kind: "router-path", atMs: -4_000, detail: { prefix: "the VIP 2001:db8::1", nextHops: ["node01"] } },
      {
        kind: "router-path",
        atMs: -3_990,
        detail: { prefix: "the service range 2001:db8::/112", nextHops: ["node01"] },
      },
      {
        kind: "router-path",
        atMs: 354,
        detail: { prefix: "the VIP 2001:db8::1", nextHops: [], before: ["node01"] },
      },
      {
        kind: "router-path",
        atMs: 355,
        detail: { prefix: "the service range 2001:db8::/112", nextHops: [], before: ["node01"] },
      },
      { kind: "bgp-session", atMs: 400, detail: { peer: "node01", state: "Idle", before: "Established" } },
    ];
    expect(vipPathChangesAtMs(events)).toEqual([354]);
  });
});
