// The pages and clients following runs: each gets a run's backlog from the database after the seq it holds, then
// the live samples and events once — the read and the registration happen in one synchronous step, so nothing falls
// between them — and the run's state whenever it changes.
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
    let last = since;
    for (;;) {
      const page = this.store.samples(runId, last, CATCH_UP_FRAME);
      if (page.length === 0) break;
      send({ type: "run-samples", runId, samples: page });
      last = page.at(-1)?.seq ?? last;
      if (page.length < CATCH_UP_FRAME) break;
    }
    const events = this.store.events(runId, eventsSince);
    if (events.length) send({ type: "run-events", runId, events });
    send({ type: "run-state", runId, state: row.state });
    if (!live) return () => {};
    const follower: Follower = { send, lastSeq: last, lastEventSeq: events.at(-1)?.seq ?? eventsSince };
    const set = this.byRun.get(runId) ?? new Set<Follower>();
    this.byRun.set(runId, set);
    set.add(follower);
    return () => set.delete(follower);
  }

  samples(runId: string, samples: readonly WireSample[]): void {
    for (const f of this.byRun.get(runId) ?? []) {
      const fresh = samples.filter((s) => s.seq > f.lastSeq);
      if (fresh.length === 0) continue;
      f.lastSeq = fresh.at(-1)?.seq ?? f.lastSeq;
      f.send({ type: "run-samples", runId, samples: fresh });
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
