// A failover run's samples and events as they stream in: a pure reducer (ignores what it already holds by seq,
// returns the same object when nothing is new) and the hook that follows a run on the page's websocket and keeps
// the stream in the query cache (not in component state).
import type { RunEvent, RunState, Sample } from "@k3s-ha/shared";
import { queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useLiveSocket } from "../../lib/live";
import type { RunStreamMessage } from "../../lib/live-socket";
import { failoverQueries } from "./queries";

export interface RunStream {
  samples: Sample[];
  events: RunEvent[];
  lastSeq: number;
  lastEventSeq: number;
  state?: RunState;
}

export const emptyStream: RunStream = { samples: [], events: [], lastSeq: 0, lastEventSeq: 0 };

export function reduceRunStream(prev: RunStream, m: RunStreamMessage): RunStream {
  if (m.type === "run-samples") {
    const fresh = m.samples.filter((s) => s.seq > prev.lastSeq);
    if (fresh.length === 0) return prev;
    return { ...prev, samples: prev.samples.concat(fresh), lastSeq: fresh.at(-1)?.seq ?? prev.lastSeq };
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
    queryFn: () => emptyStream,
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
      const prev = client.getQueryData<RunStream>(key) ?? emptyStream;
      const next = reduceRunStream(prev, m);
      if (next !== prev) client.setQueryData(key, next);
      if (m.type === "run-state" && prev.state !== m.state)
        void client.invalidateQueries({ queryKey: failoverQueries.run(runId).queryKey });
    });
  }, [socket, client, runId]);
  return stream.data ?? emptyStream;
}
