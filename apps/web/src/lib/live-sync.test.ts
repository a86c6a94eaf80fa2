import type { ServerMessage } from "@k3s-ha/shared";
import { describe, expect, it } from "vitest";
import {
  initialLiveSyncState,
  type LiveSyncState,
  reduceLiveMessage,
  type TopicQueryKeys,
} from "./live-sync";

const keys: TopicQueryKeys = {
  plan: [["plan"]],
  audit: [["audit"]],
  sources: [["sources"]],
  router: [["bgp"]],
  kubernetes: [["cluster"]],
  dns: [["dns"]],
  endpoints: [["endpoints"]],
  failover: [["failover"]],
  setup: [["setup"]],
  node: [["nodes"]],
};
const at = "2026-05-01T10:00:00.000Z";
const subscribed: ServerMessage = { type: "subscribed", topics: ["plan", "audit"] };

describe("reduceLiveMessage", () => {
  it("invalidates the topic's queries on a change and remembers its seq", () => {
    const step = reduceLiveMessage(
      initialLiveSyncState,
      { type: "changed", topic: "plan", seq: 3, at },
      keys,
    );
    expect(step.invalidate).toEqual([["plan"]]);
    expect(step.state.seen).toEqual({ plan: 3 });
  });

  it("ignores a change older than or equal to one already seen, returning the same state", () => {
    const state: LiveSyncState = { seen: { plan: 5 }, subscribedBefore: true };
    for (const seq of [4, 5]) {
      const step = reduceLiveMessage(state, { type: "changed", topic: "plan", seq, at }, keys);
      expect(step.state).toBe(state);
      expect(step.invalidate).toEqual([]);
    }
  });

  it("tracks seq per topic", () => {
    const state: LiveSyncState = { seen: { plan: 9 }, subscribedBefore: true };
    const step = reduceLiveMessage(state, { type: "changed", topic: "audit", seq: 1, at }, keys);
    expect(step.invalidate).toEqual([["audit"]]);
    expect(step.state.seen).toEqual({ plan: 9, audit: 1 });
  });

  it("invalidates nothing on the first subscription, everything subscribed on the next one (a reconnect)", () => {
    const first = reduceLiveMessage(initialLiveSyncState, subscribed, keys);
    expect(first.invalidate).toEqual([]);
    expect(first.state.subscribedBefore).toBe(true);

    const again = reduceLiveMessage(first.state, subscribed, keys);
    expect(again.invalidate).toEqual([["plan"], ["audit"]]);
    expect(again.state).toBe(first.state);
  });

  it("forgets seen seqs on hello, so a restarted server counting from 1 is not ignored", () => {
    const state: LiveSyncState = { seen: { plan: 40 }, subscribedBefore: true };
    const hello = reduceLiveMessage(state, { type: "hello", serverTime: at }, keys);
    expect(hello.state.seen).toEqual({});
    const change = reduceLiveMessage(hello.state, { type: "changed", topic: "plan", seq: 1, at }, keys);
    expect(change.invalidate).toEqual([["plan"]]);
  });

  it("returns the same state for messages that change nothing", () => {
    for (const message of [
      { type: "pong" } as const,
      { type: "error", code: "BAD_MESSAGE", message: "nope" } as const,
      { type: "hello", serverTime: at } as const,
    ]) {
      const step = reduceLiveMessage(initialLiveSyncState, message, keys);
      expect(step.state).toBe(initialLiveSyncState);
      expect(step.invalidate).toEqual([]);
    }
  });

  it("maps a node topic to its family's queries, tracking seq per node", () => {
    const one = reduceLiveMessage(
      initialLiveSyncState,
      { type: "changed", topic: "node:node01", seq: 3, at },
      keys,
    );
    expect(one.invalidate).toEqual([["nodes"]]);
    const other = reduceLiveMessage(one.state, { type: "changed", topic: "node:node02", seq: 1, at }, keys);
    expect(other.invalidate).toEqual([["nodes"]]);
    const stale = reduceLiveMessage(other.state, { type: "changed", topic: "node:node01", seq: 2, at }, keys);
    expect(stale.invalidate).toEqual([]);
    const subscribed = reduceLiveMessage(
      { ...stale.state, subscribedBefore: true },
      {
        type: "subscribed",
        topics: ["node:node01", "node:node02", "router"],
      },
      keys,
    );
    expect(subscribed.invalidate).toEqual([["nodes"], ["bgp"]]);
  });
});
