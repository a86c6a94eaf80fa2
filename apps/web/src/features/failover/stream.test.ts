// The run stream's reducer: appends in seq order to one array (no copy per frame), ignores what it already holds (a
// replayed frame after a reconnect), keeps the same object when nothing is new, and a new object with the new
// lastSeq when something is; the query cache keeps the reducer's arrays as they are.
import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { emptyStream, type RunStream, reduceRunStream, streamQuery } from "./stream";

const sample = (seq: number) => ({
  seq,
  endpoint: "vip",
  mode: "new" as const,
  startedAtMs: seq * 100,
  durationMs: 3,
  outcome: "ok" as const,
});

describe("reduceRunStream", () => {
  it("appends new samples in place and drops ones it holds", () => {
    const a = reduceRunStream(emptyStream(), {
      type: "run-samples",
      runId: "r",
      samples: [sample(1), sample(2)],
    });
    const held = a.samples;
    const b = reduceRunStream(a, { type: "run-samples", runId: "r", samples: [sample(2), sample(3)] });
    expect(b).not.toBe(a);
    expect(b.samples).toBe(held);
    expect(b.samples.map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(b.lastSeq).toBe(3);
    expect(reduceRunStream(b, { type: "run-samples", runId: "r", samples: [sample(1)] })).toBe(b);
    expect(b.samples).toHaveLength(3);
  });

  it("starts every stream with an array of its own", () => {
    const a = reduceRunStream(emptyStream(), { type: "run-samples", runId: "a", samples: [sample(1)] });
    expect(emptyStream().samples).toEqual([]);
    expect(a.samples).not.toBe(emptyStream().samples);
  });

  it("appends events once and keeps the state", () => {
    const e = { seq: 1, atMs: 5, kind: "action" as const, summary: "x" };
    const a = reduceRunStream(emptyStream(), { type: "run-events", runId: "r", events: [e] });
    expect(reduceRunStream(a, { type: "run-events", runId: "r", events: [e] })).toBe(a);
    const b = reduceRunStream(a, { type: "run-state", runId: "r", state: "done" });
    expect(b.state).toBe("done");
    expect(reduceRunStream(b, { type: "run-state", runId: "r", state: "done" })).toBe(b);
  });
});

describe("the stream's query", () => {
  it("holds the reducer's sample array itself, not a copy walked from the last one", async () => {
    const client = new QueryClient();
    const { queryKey } = streamQuery("r");
    await client.fetchQuery(streamQuery("r"));
    let stream = emptyStream();
    for (let frame = 0; frame < 3; frame++) {
      stream = reduceRunStream(stream, {
        type: "run-samples",
        runId: "r",
        samples: [sample(frame * 2 + 1), sample(frame * 2 + 2)],
      });
      client.setQueryData(queryKey, stream);
      expect(client.getQueryData<RunStream>(queryKey)?.samples).toBe(stream.samples);
    }
    expect(stream.samples.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    client.clear();
  });
});
