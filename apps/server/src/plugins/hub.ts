// The state hub: per topic the latest snapshot of a source with its status, last refresh and last error, and change
// events with a sequence number per topic. Collectors publish only real changes (a deep-equal snapshot publishes
// nothing); the `sources` topic changes when a status does and beats every 10 s so pages can show ages. Routes read
// the hub; no route runs a command itself.
import { isDeepStrictEqual } from "node:util";
import type { SourceError, SourceInfo, SourceStatus, Topic } from "@k3s-ha/shared";
import fp from "fastify-plugin";

export interface ChangeEvent {
  topic: Topic;
  seq: number;
  at: string;
}

type Listener = (event: ChangeEvent) => void;

/** A source is stale after this many intervals without a successful refresh. */
export const STALE_AFTER_INTERVALS = 3;
export const HEARTBEAT_MS = 10_000;

/** The statuses a failure can put a source in (`ok` and `stale` come from refreshes and the clock). */
export type FailureStatus = Exclude<SourceStatus, "ok" | "stale">;

interface SourceRecord<T = unknown> {
  id: Topic;
  status: SourceStatus;
  intervalMs?: number;
  lastRefresh?: number;
  lastError?: SourceError;
  data?: T;
}

export interface SourceSnapshot<T> extends SourceInfo {
  /** The last good snapshot (kept while the source fails, so pages can show it with its age). */
  data?: T;
}

export class Hub {
  private readonly listeners = new Map<Topic, Set<Listener>>();
  private readonly seqs = new Map<Topic, number>();
  private readonly records = new Map<Topic, SourceRecord>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  subscribe(topic: Topic, listener: Listener): () => void {
    let set = this.listeners.get(topic);
    if (!set) {
      set = new Set();
      this.listeners.set(topic, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      // Topics nobody listens to any more (a node that left the plan, a page's `node:<name>`) leave no trace.
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  /** Announce that `topic` changed; every subscriber gets the next sequence number. */
  publish(topic: Topic): ChangeEvent {
    const event = { topic, seq: (this.seqs.get(topic) ?? 0) + 1, at: new Date(this.now()).toISOString() };
    this.seqs.set(topic, event.seq);
    for (const listener of this.listeners.get(topic) ?? []) listener(event);
    return event;
  }

  /** Topics with at least one listener (tests: nothing lingers once a socket closes). */
  topicsListenedTo(): Topic[] {
    return [...this.listeners.keys()];
  }

  subscriberCount(topic: Topic): number {
    return this.listeners.get(topic)?.size ?? 0;
  }

  /**
   * Declares a source (idempotent). Until its first refresh it is `stale` with no data; `unconfigured` when the
   * plan does not describe it.
   */
  registerSource(id: Topic, options: { intervalMs?: number; unconfigured?: boolean } = {}): void {
    const existing = this.records.get(id);
    const status: SourceStatus = options.unconfigured ? "unconfigured" : (existing?.status ?? "stale");
    this.records.set(id, {
      ...existing,
      id,
      status,
      ...(options.intervalMs ? { intervalMs: options.intervalMs } : {}),
    });
    if (existing?.status !== status) this.publish("sources");
  }

  /** Removes a source the plan no longer has. */
  removeSource(id: Topic): void {
    if (this.records.delete(id)) this.publish("sources");
  }

  /**
   * A successful refresh: the source is `ok`; its topic is published only when the snapshot differs from the last
   * one. Returns whether it did. A partial refresh (the cluster with one resource forbidden) passes the `problem`:
   * the data is fresh, the source `failing` with that error.
   */
  update<T>(
    id: Topic,
    data: T,
    problem?: { code: string; message: string },
    /** What counts as a change (default: deep equality); latencies that always differ can be left out. */
    same: (a: unknown, b: T) => boolean = isDeepStrictEqual,
  ): boolean {
    const record = this.records.get(id) ?? { id, status: "stale" as SourceStatus };
    const status: SourceStatus = problem ? "failing" : "ok";
    const statusChanged =
      record.status !== status ||
      record.lastError?.code !== problem?.code ||
      record.lastError?.message !== problem?.message;
    const dataChanged = !("data" in record) || !same(record.data, data);
    const { lastError: _cleared, ...rest } = record;
    const lastError = problem
      ? {
          lastError:
            statusChanged || !record.lastError
              ? { code: problem.code, message: problem.message, at: new Date(this.now()).toISOString() }
              : record.lastError,
        }
      : {};
    this.records.set(id, { ...rest, status, lastRefresh: this.now(), data, ...lastError });
    if (dataChanged) this.publish(id);
    if (statusChanged) this.publish("sources");
    return dataChanged;
  }

  /** A failed refresh: the last good data stays; `sources` is published when the status or the error changes. */
  fail(id: Topic, error: { code: string; message: string }, status: FailureStatus = "failing"): void {
    const record = this.records.get(id) ?? { id, status: "stale" as SourceStatus };
    const same =
      record.status === status &&
      record.lastError?.code === error.code &&
      record.lastError.message === error.message;
    this.records.set(id, {
      ...record,
      status,
      lastError: { code: error.code, message: error.message, at: new Date(this.now()).toISOString() },
    });
    if (!same) this.publish("sources");
  }

  source<T>(id: Topic): SourceSnapshot<T> | undefined {
    const r = this.records.get(id) as SourceRecord<T> | undefined;
    if (!r) return undefined;
    return { ...this.info(r), ...("data" in r ? { data: r.data } : {}) };
  }

  sources(): SourceInfo[] {
    return [...this.records.values()].map((r) => this.info(r)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Marks `ok` sources stale after three intervals without a refresh (publishing `sources` when one turns). */
  checkStale(): void {
    const now = this.now();
    let changed = false;
    for (const r of this.records.values()) {
      if (r.status !== "ok" || !r.intervalMs || r.lastRefresh === undefined) continue;
      if (now - r.lastRefresh > STALE_AFTER_INTERVALS * r.intervalMs) {
        r.status = "stale";
        changed = true;
      }
    }
    if (changed) this.publish("sources");
  }

  /** The staleness check every second and the `sources` heartbeat every 10 s. */
  start(): void {
    if (this.timers.length) return;
    this.timers = [
      setInterval(() => this.checkStale(), 1_000),
      setInterval(() => this.publish("sources"), HEARTBEAT_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  private info(r: SourceRecord): SourceInfo {
    return {
      id: r.id,
      status: r.status,
      ...(r.lastRefresh !== undefined ? { lastRefresh: new Date(r.lastRefresh).toISOString() } : {}),
      ...(r.lastError ? { lastError: r.lastError } : {}),
      ...(r.intervalMs ? { intervalMs: r.intervalMs } : {}),
    };
  }
}

declare module "fastify" {
  interface FastifyInstance {
    hub: Hub;
  }
}

export default fp(
  async (app) => {
    const hub = new Hub();
    app.decorate("hub", hub);
    app.addHook("onReady", async () => hub.start());
    app.addHook("onClose", async () => hub.stop());
  },
  { name: "hub" },
);
