// A failover run's samples and events as they stream in: a reducer (ignores what it already holds by seq, returns the
// same object when nothing is new) and the hook that follows a run on the page's websocket and keeps the stream in
// the query cache (not in component state).
import type { RunEvent, RunState, Sample } from "@k3s-ha/shared";
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useLiveSocket } from "../../lib/live";
import type { RunStreamMessage } from "../../lib/live-socket";
import { failoverQueries } from "./queries";

export interface RunStream {
  /**
   * Append-only: a frame's new samples are added to this array in place, and every stream made from it shares it.
   * Copying it per frame was 144,000 entries ten times a second at the end of a 10-minute run at 50 ms (and the
   * garbage cost the chart its collections). A consumer keys on `lastSeq` or the length, never on the array.
   */
  samples: Sample[];
  events: RunEvent[];
  lastSeq: number;
  lastEventSeq: number;
  state?: RunState;
}

/** A stream with nothing yet: a new one each time, since its sample array will be appended to. */
export const emptyStream = (): RunStream => ({ samples: [], events: [], lastSeq: 0, lastEventSeq: 0 });

export function reduceRunStream(prev: RunStream, m: RunStreamMessage): RunStream {
  if (m.type === "run-samples") {
    let lastSeq = prev.lastSeq;
    for (const s of m.samples)
      if (s.seq > lastSeq) {
        prev.samples.push(s);
        lastSeq = s.seq;
      }
    return lastSeq === prev.lastSeq ? prev : { ...prev, lastSeq };
  }
  if (m.type === "run-events") {
    const fresh = m.events.filter((e) => e.seq > prev.lastEventSeq);
    if (fresh.length === 0) return prev;
    return {
      ...prev,
      events: prev.events.concat(fresh),
      lastEventSeq: fresh.at(-1)?.seq ?? prev.lastEventSeq,
    };
  }
  return prev.state === m.state ? prev : { ...prev, state: m.state };
}

/** Outside the `failover` prefix: the topic's refetches must not reset a stream the socket fills. */
export const streamQuery = (runId: string) =>
  queryOptions({
    queryKey: ["failover-stream", runId] as const,
    queryFn: emptyStream,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    // The reducer already keeps what did not change. Structural sharing would walk and copy every sample held on
    // every frame (144,000 of them ten times a second at the end of a 10-minute run at 50 ms), and the garbage of
    // those copies costs the chart its collections.
    structuralSharing: false,
  });

/** Follows `runId` while mounted; the detail query is refetched when the run's state changes. */
export function useRunStream(runId: string): RunStream {
  const socket = useLiveSocket();
  const client = useQueryClient();
  const stream = useQuery(streamQuery(runId));
  useEffect(() => {
    if (!socket) return;
    const key = streamQuery(runId).queryKey;
    return socket.followRun(runId, (m) => {
      const prev = client.getQueryData<RunStream>(key) ?? emptyStream();
      const next = reduceRunStream(prev, m);
      if (next !== prev) client.setQueryData(key, next);
      if (m.type === "run-state" && prev.state !== m.state)
        void client.invalidateQueries({ queryKey: failoverQueries.run(runId).queryKey });
    });
  }, [socket, client, runId]);
  return stream.data ?? noStream;
}

const noStream = Object.freeze({ ...emptyStream(), samples: Object.freeze([]) as unknown as Sample[] });
