import { disruptionIntervals, type Sample } from "@k3s-ha/shared";
import { describe, expect, it } from "vitest";
import { TimelineData } from "./timeline-data";

let seq = 0;
const sample = (
  endpoint: string,
  mode: Sample["mode"],
  startedAtMs: number,
  outcome: Sample["outcome"] = "ok",
) => ({ seq: ++seq, endpoint, mode, startedAtMs, durationMs: 2 + (startedAtMs % 7), outcome }) as Sample;

describe("the chart's tracks", () => {
  it("files only the samples a growing list adds, in start order, the same as filing all at once", () => {
    const t = new TimelineData();
    const list: Sample[] = [];
    const batches: Sample[][] = [];
    for (let b = 0; b < 50; b++) {
      const batch: Sample[] = [];
      for (let i = 0; i < 12; i++) {
        const at = b * 100 + i * 8;
        // Every tenth probe was slow: it completes (and arrives) a batch later than those that started after it.
        batch.push(
          sample(
            i % 2 ? "vip" : "node:node01",
            i % 3 ? "new" : "reused",
            at,
            at % 300 < 40 ? "timeout" : "ok",
          ),
        );
      }
      batches.push(batch);
    }
    const late = batches[10]?.splice(3, 1) ?? [];
    batches[11]?.push(...late);
    // One sample far later than any timeout (a stalled page): it lands before the intervals' kept prefix.
    const stalled = batches[5]?.splice(0, 1) ?? [];
    batches[45]?.push(...stalled);
    for (const batch of batches) {
      // Appended in place, as the page's stream does: the count is what says the list grew.
      list.push(...batch);
      t.update(list, list.length);
      expect(t.lastFiled).toBe(batch.length);
      // The intervals scanned per update (kept prefix + tail) are those of the whole track, every time.
      for (const endpoint of ["vip", "node:node01"])
        for (const mode of ["new", "reused"] as const)
          expect(t.intervals(endpoint, mode)).toEqual(disruptionIntervals(t.drawn(endpoint, mode).samples));
    }
    t.update(list);
    expect(t.lastFiled).toBe(0);

    const fresh = new TimelineData();
    fresh.update(list);
    for (const endpoint of ["vip", "node:node01"])
      for (const mode of ["new", "reused"] as const) {
        const track = t.drawn(endpoint, mode);
        const expected = list
          .filter((s) => s.endpoint === endpoint && s.mode === mode)
          .sort((a, b) => a.startedAtMs - b.startedAtMs || a.seq - b.seq);
        expect(track.samples).toEqual(expected);
        expect(track.samples).toEqual(fresh.drawn(endpoint, mode).samples);
        expect(track.ok.map((p) => p.x)).toEqual(
          expected.filter((s) => s.outcome === "ok").map((s) => s.startedAtMs / 1_000),
        );
        expect(disruptionIntervals(track.samples)).toEqual(disruptionIntervals(expected));
        expect(t.intervals(endpoint, mode)).toEqual(disruptionIntervals(expected));
        expect(t.intervals(endpoint, mode).length).toBeGreaterThan(0);
      }
    expect(late[0] && t.drawn(late[0].endpoint, late[0].mode).samples).toContain(late[0]);
  });

  it("starts again on a list that does not extend the last one (another run, a reload)", () => {
    const t = new TimelineData();
    const a = [sample("vip", "new", 0), sample("vip", "new", 100)];
    t.update(a);
    const b = [sample("vip", "new", 0, "refused")];
    t.update(b);
    expect(t.lastFiled).toBe(1);
    expect(t.drawn("vip", "new").samples).toEqual(b);
    expect(t.drawn("vip", "new").ok).toEqual([]);
    expect(t.drawn("round-robin", "reused").samples).toEqual([]);
  });

  it("draws only the count it is given of a list that grew further", () => {
    const t = new TimelineData();
    const list = [sample("vip", "new", 0), sample("vip", "new", 100), sample("vip", "new", 200, "reset")];
    t.update(list, 2);
    expect(t.drawn("vip", "new").samples).toEqual(list.slice(0, 2));
    expect(t.intervals("vip", "new")).toEqual([]);
    t.update(list, 3);
    expect(t.lastFiled).toBe(1);
    expect(t.intervals("vip", "new")).toEqual([{ beganAtMs: 200, kind: "reset", failedProbes: 1 }]);
    // The page's throttle may still hold a longer count of the last run's list.
    const other = [sample("vip", "reused", 0)];
    t.update(other, 3);
    expect(t.lastFiled).toBe(1);
    expect(t.drawn("vip", "new").samples).toEqual([]);
  });
});
