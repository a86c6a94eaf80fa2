// The state hub on its own: snapshots publish only real changes, failures keep the last good data, staleness and
// the heartbeat come from the clock.
import { describe, expect, it, vi } from "vitest";
import { type ChangeEvent, HEARTBEAT_MS, Hub } from "./hub.js";

function hubWithClock(start = Date.parse("2026-12-01T10:00:00Z")) {
  let now = start;
  const hub = new Hub(() => now);
  const events: ChangeEvent[] = [];
  for (const t of ["router", "sources", "node:node01"] as const) hub.subscribe(t, (e) => events.push(e));
  return { hub, events, advance: (ms: number) => (now += ms), topics: () => events.map((e) => e.topic) };
}

describe("Hub sources", () => {
  it("publishes a snapshot only when it differs (deep equality), and `sources` only when the status changes", () => {
    const { hub, topics } = hubWithClock();
    hub.registerSource("router", { intervalMs: 2_000 });
    expect(hub.source("router")).toEqual({ id: "router", status: "stale", intervalMs: 2_000 });
    expect(hub.update("router", { peers: [{ address: "2001:db8::11", state: "Established" }] })).toBe(true);
    expect(hub.update("router", { peers: [{ address: "2001:db8::11", state: "Established" }] })).toBe(false);
    expect(hub.update("router", { peers: [{ address: "2001:db8::11", state: "Active" }] })).toBe(true);
    // a new source changes the list; the first refresh changes its status (stale → ok); the same data publishes nothing
    expect(topics()).toEqual(["sources", "router", "sources", "router"]);
    expect(hub.source("router")).toMatchObject({ status: "ok", lastRefresh: "2026-12-01T10:00:00.000Z" });
  });

  it("a partial refresh stores fresh data with the source failing; the error's time is kept while it repeats", () => {
    const { hub, topics, advance } = hubWithClock();
    hub.update("router", { n: 1 });
    const forbidden = { code: "K8S_FORBIDDEN", message: "cannot list ipaddresspools.metallb.io: forbidden" };
    advance(1_000);
    hub.update("router", { n: 2 }, forbidden);
    advance(1_000);
    hub.update("router", { n: 2 }, forbidden);
    expect(hub.source("router")).toMatchObject({
      status: "failing",
      data: { n: 2 },
      lastRefresh: "2026-12-01T10:00:02.000Z",
      lastError: { ...forbidden, at: "2026-12-01T10:00:01.000Z" },
    });
    hub.update("router", { n: 2 });
    expect(hub.source("router")?.status).toBe("ok");
    expect(hub.source("router")?.lastError).toBeUndefined();
    expect(topics()).toEqual(["router", "sources", "router", "sources", "sources"]);
  });

  it("keeps the last good data while a source fails, with the error and when it happened", () => {
    const { hub, topics, advance } = hubWithClock();
    hub.update("router", { n: 1 });
    advance(5_000);
    hub.fail("router", { code: "HOST_UNREACHABLE", message: "no route to host" });
    hub.fail("router", { code: "HOST_UNREACHABLE", message: "no route to host" }); // same: no new event
    hub.fail("router", { code: "HOST_KEY_CHANGED", message: "the key changed" }, "host-key-changed");
    expect(hub.source("router")).toEqual({
      id: "router",
      status: "host-key-changed",
      lastRefresh: "2026-12-01T10:00:00.000Z",
      lastError: { code: "HOST_KEY_CHANGED", message: "the key changed", at: "2026-12-01T10:00:05.000Z" },
      data: { n: 1 },
    });
    expect(topics().filter((t) => t === "sources")).toHaveLength(3);
    hub.update("router", { n: 1 });
    expect(hub.source("router")?.status).toBe("ok");
    expect(hub.source("router")?.lastError).toBeUndefined();
    expect(topics().at(-1)).toBe("sources"); // same data, but the status came back
  });

  it("turns an ok source stale after three intervals without a refresh", () => {
    const { hub, advance, topics } = hubWithClock();
    hub.registerSource("node:node01", { intervalMs: 2_000 });
    hub.update("node:node01", {});
    advance(6_000);
    hub.checkStale();
    expect(hub.source("node:node01")?.status).toBe("ok");
    advance(1);
    hub.checkStale();
    expect(hub.source("node:node01")?.status).toBe("stale");
    const before = topics().length;
    hub.checkStale();
    expect(topics().length).toBe(before); // no repeat while it stays stale
  });

  it("lists sources sorted by id, an unconfigured one too, and forgets a removed one", () => {
    const { hub } = hubWithClock();
    hub.registerSource("router", { intervalMs: 2_000 });
    hub.registerSource("node:node02", { unconfigured: true });
    hub.registerSource("kubernetes");
    expect(hub.sources().map((s) => [s.id, s.status])).toEqual([
      ["kubernetes", "stale"],
      ["node:node02", "unconfigured"],
      ["router", "stale"],
    ]);
    hub.removeSource("node:node02");
    expect(hub.sources().map((s) => s.id)).toEqual(["kubernetes", "router"]);
  });

  it("beats on `sources` every 10 s once started, and stops", () => {
    vi.useFakeTimers();
    try {
      const hub = new Hub();
      let beats = 0;
      hub.subscribe("sources", () => beats++);
      hub.start();
      vi.advanceTimersByTime(25_000);
      expect(beats).toBe(Math.floor(25_000 / HEARTBEAT_MS));
      hub.stop();
      vi.advanceTimersByTime(60_000);
      expect(beats).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
