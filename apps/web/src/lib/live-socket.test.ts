import type { ServerMessage } from "@k3s-ha/shared";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLiveSocket } from "./live-socket";

/** A stand-in for the browser WebSocket that the test drives by hand. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  readyState = FakeSocket.CONNECTING;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event?: { code: number }) => void) | null = null;
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(message: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

let sockets: FakeSocket[];
const latest = () => sockets.at(-1) as FakeSocket;

function liveSocket(onMessage = vi.fn(), onSessionEnded = vi.fn()) {
  return createLiveSocket({
    url: "ws://console.test/api/ws",
    topics: ["plan", "audit"],
    onMessage,
    onSessionEnded,
    random: () => 0,
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
  });
}

beforeEach(() => {
  sockets = [];
  vi.useFakeTimers();
  vi.stubGlobal("WebSocket", FakeSocket);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const sample = (seq: number) => ({
  seq,
  endpoint: "vip",
  mode: "new" as const,
  startedAtMs: seq * 100,
  durationMs: 3,
  outcome: "ok" as const,
});

describe("createLiveSocket", () => {
  it("follows a run and, after a reconnect, asks only for what came after the last sample and event it delivered", () => {
    const socket = liveSocket();
    socket.start();
    latest().open();
    const got: number[] = [];
    const stop = socket.followRun("r1", (m) => {
      if (m.type === "run-samples") got.push(...m.samples.map((s) => s.seq));
    });
    expect(latest().sent.at(-1)).toEqual({ type: "follow-run", runId: "r1", since: 0, eventsSince: 0 });
    latest().receive({ type: "run-samples", runId: "r1", samples: [sample(1), sample(2), sample(3)] });
    latest().receive({
      type: "run-events",
      runId: "r1",
      events: [{ seq: 1, atMs: 50, kind: "action", summary: "stop-k3s on node02" }],
    });
    // Another run's frames are not this listener's.
    latest().receive({ type: "run-samples", runId: "r2", samples: [sample(9)] });
    latest().drop();
    vi.advanceTimersByTime(60_000);
    latest().open();
    expect(latest().sent).toContainEqual({ type: "follow-run", runId: "r1", since: 3, eventsSince: 1 });
    latest().receive({ type: "run-samples", runId: "r1", samples: [sample(4)] });
    expect(got).toEqual([1, 2, 3, 4]);
    stop();
    expect(latest().sent.at(-1)).toEqual({ type: "unfollow-run", runId: "r1" });
  });

  it("subscribes to its topics once open and passes valid server messages on", () => {
    const onMessage = vi.fn();
    const socket = liveSocket(onMessage);
    socket.start();
    expect(socket.status()).toBe("connecting");
    latest().open();
    expect(socket.status()).toBe("live");
    expect(latest().sent).toEqual([{ type: "subscribe", topics: ["plan", "audit"] }]);

    latest().receive({ type: "changed", topic: "plan", seq: 1, at: "2026-05-01T10:00:00Z" });
    latest().onmessage?.({ data: "not json" });
    latest().onmessage?.({ data: JSON.stringify({ type: "changed", topic: "nodes" }) });
    expect(onMessage).toHaveBeenCalledTimes(1);
  });

  it("reconnects with growing delays and resubscribes; a confirmed subscription resets the delay", () => {
    const socket = liveSocket();
    socket.start();
    latest().drop();
    expect(socket.status()).toBe("reconnecting");

    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1); // first retry after 0.5 s
    expect(sockets).toHaveLength(2);
    latest().drop();
    vi.advanceTimersByTime(500); // second retry: 0.5-1 s, 0.5 s with random 0
    expect(sockets).toHaveLength(3);
    latest().drop();
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(3);
    vi.advanceTimersByTime(1); // third retry: 1-2 s
    expect(sockets).toHaveLength(4);

    latest().open();
    latest().receive({ type: "subscribed", topics: ["plan", "audit"] });
    expect(latest().sent).toEqual([{ type: "subscribe", topics: ["plan", "audit"] }]);
    latest().drop();
    vi.advanceTimersByTime(500); // back to 0.5 s
    expect(sockets).toHaveLength(5);
  });

  it("does not reconnect when the server ends the session (4401): it asks for sign-in instead", () => {
    const ended = vi.fn();
    const live = liveSocket(vi.fn(), ended);
    live.start();
    latest().open();
    latest().drop(4401);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(live.status()).toBe("stopped");
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it("stops for good: no retry after stop, and retryNow skips the wait", () => {
    const socket = liveSocket();
    socket.start();
    latest().open();
    latest().drop();
    socket.retryNow();
    expect(sockets).toHaveLength(2);
    socket.stop();
    expect(socket.status()).toBe("stopped");
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it("closes a link that stays silent past two ping intervals", () => {
    const socket = liveSocket();
    socket.start();
    latest().open();
    vi.advanceTimersByTime(25_000);
    expect(latest().sent.at(-1)).toEqual({ type: "ping" });
    vi.advanceTimersByTime(50_000);
    expect(socket.status()).toBe("reconnecting");
  });
});

describe("topics added later (a plan's nodes)", () => {
  it("subscribes to them at once when live, and to every topic again after a reconnect", () => {
    const s = liveSocket();
    s.start();
    latest().open();
    s.addTopics(["node:node01", "node:node02", "plan"]);
    expect(latest().sent.at(-1)).toEqual({ type: "subscribe", topics: ["node:node01", "node:node02"] });
    s.addTopics(["node:node01"]);
    expect(latest().sent).toHaveLength(2);
    latest().drop();
    vi.advanceTimersByTime(60_000);
    latest().open();
    expect(latest().sent[0]).toEqual({
      type: "subscribe",
      topics: ["plan", "audit", "node:node01", "node:node02"],
    });
    s.stop();
  });
});
