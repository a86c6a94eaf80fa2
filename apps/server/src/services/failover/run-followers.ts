// The pages and clients following runs: each gets a run's backlog from the database after the seq it holds, then
// the live samples and events once, and the run's state whenever it changes. The follower is registered at once
// with the seq the database holds now; the backlog up to it goes out in frames between other work (a 30-minute run
// is hundreds of thousands of samples), and live frames wait in its queue until the backlog is out — no gap, no
// duplicate.
import type { RunEvent, RunState } from "@k3s-ha/shared";
import type { WireSample } from "./probe/scheduler.js";
import type { RunStore } from "./run-store.js";

export type FollowerMessage =
  | { type: "run-samples"; runId: string; samples: WireSample[] }
  | { type: "run-events"; runId: string; events: RunEvent[] }
  | { type: "run-state"; runId: string; state: RunState };

interface Follower {
  send: (m: FollowerMessage) => void;
  lastSeq: number;
  lastEventSeq: number;
  /** Live samples held back while the backlog is still going out. */
  queue: WireSample[] | undefined;
  closed: boolean;
}

/** A follower catching up gets the backlog in frames of at most this many samples. */
const CATCH_UP_FRAME = 2_000;

export class RunFollowers {
  private readonly byRun = new Map<string, Set<Follower>>();

  constructor(private readonly store: RunStore) {}

  /** undefined when there is no such run; live frames follow only while `live` (the run is active). */
  follow(
    runId: string,
    since: number,
    eventsSince: number,
    send: (m: FollowerMessage) => void,
    live: boolean,
  ): (() => void) | undefined {
    const row = this.store.get(runId);
    if (!row) return undefined;
    // The backlog ends at what is stored now; anything newer arrives live, into the queue until the backlog is out.
    const upTo = this.store.lastSeq(runId);
    const events = this.store.events(runId, eventsSince);
    const follower: Follower = {
      send,
      lastSeq: Math.max(since, upTo),
      lastEventSeq: events.at(-1)?.seq ?? eventsSince,
      queue: [],
      closed: false,
    };
    const set = this.byRun.get(runId) ?? new Set<Follower>();
    if (live) {
      this.byRun.set(runId, set);
      set.add(follower);
    }
    if (events.length) send({ type: "run-events", runId, events });
    send({ type: "run-state", runId, state: row.state });
    void this.sendBacklog(runId, since, upTo, follower);
    return () => {
      follower.closed = true;
      set.delete(follower);
    };
  }

  private async sendBacklog(runId: string, since: number, upTo: number, f: Follower): Promise<void> {
    let last = since;
    while (last < upTo && !f.closed) {
      const page = this.store.samples(runId, last, CATCH_UP_FRAME).filter((s) => s.seq <= upTo);
      if (page.length === 0) break;
      f.send({ type: "run-samples", runId, samples: page });
      last = page.at(-1)?.seq ?? upTo;
      // Other requests and sockets get their turn between frames.
      await new Promise((r) => setImmediate(r));
    }
    const queued = f.queue ?? [];
    f.queue = undefined;
    if (!f.closed && queued.length) f.send({ type: "run-samples", runId, samples: queued });
  }

  samples(runId: string, samples: readonly WireSample[]): void {
    for (const f of this.byRun.get(runId) ?? []) {
      const fresh = samples.filter((s) => s.seq > f.lastSeq);
      if (fresh.length === 0) continue;
      f.lastSeq = fresh.at(-1)?.seq ?? f.lastSeq;
      if (f.queue) f.queue.push(...fresh);
      else f.send({ type: "run-samples", runId, samples: fresh });
    }
  }

  event(runId: string, event: RunEvent): void {
    for (const f of this.byRun.get(runId) ?? []) {
      if (event.seq <= f.lastEventSeq) continue;
      f.lastEventSeq = event.seq;
      f.send({ type: "run-events", runId, events: [event] });
    }
  }

  state(runId: string, state: RunState): void {
    for (const f of this.byRun.get(runId) ?? []) f.send({ type: "run-state", runId, state });
  }

  /** The run ended: its followers have had everything. */
  end(runId: string): void {
    this.byRun.delete(runId);
  }
}
