// The change feed: polls the shared change log so watchers in this process see writes from every process.
import { expired } from "../status.js";
import type { Change, KubeStore } from "./store.js";

export interface FeedSubscriber {
  /** Called for each change after the subscriber's cursor, in resourceVersion order. */
  onChange(change: Change): void;
  /** Called after each poll with the feed's position (for bookmarks). */
  onProgress?(rv: number): void;
  /** The feed fell behind a compaction: the subscriber must end with 410 Gone. */
  onExpired?(): void;
}

interface Subscription {
  cursor: number;
  subscriber: FeedSubscriber;
}

export interface FeedOptions {
  /** How often the change log is polled while anyone listens (default 50 ms). */
  pollMs?: number;
  /** Rows read per poll query (default 500). */
  batch?: number;
}

export class ChangeFeed {
  private readonly subs = new Set<Subscription>();
  private timer: NodeJS.Timeout | undefined;
  private pokeScheduled = false;
  private lastRv: number;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly unhookCommit: () => void;
  private closed = false;

  constructor(
    private readonly store: KubeStore,
    options: FeedOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 50;
    this.batch = options.batch ?? 500;
    this.lastRv = store.currentRv();
    // Writes made through this process's store are delivered without waiting for the next tick.
    this.unhookCommit = store.onCommit(() => this.poke());
  }

  /** The resourceVersion up to which every change has been delivered. */
  get position(): number {
    return this.lastRv;
  }

  /**
   * Subscribes from `fromRv` (exclusive). Returns the backlog of changes already past the feed's position,
   * which the caller delivers first; throws 410 Expired when `fromRv` is older than the compacted history.
   */
  subscribe(fromRv: number, subscriber: FeedSubscriber): { backlog: Change[]; unsubscribe: () => void } {
    const compacted = this.store.compactedRv();
    if (fromRv < compacted) throw expired(`too old resource version: ${fromRv} (${compacted + 1})`);
    const backlog: Change[] = [];
    let cursor = fromRv;
    while (cursor < this.lastRv) {
      const rows = this.store.changesSince(cursor, this.batch).filter((c) => c.rv <= this.lastRv);
      if (rows.length === 0) break;
      backlog.push(...rows);
      cursor = rows[rows.length - 1]?.rv ?? this.lastRv;
    }
    const sub: Subscription = { cursor: Math.max(fromRv, this.lastRv), subscriber };
    this.subs.add(sub);
    this.schedule();
    return { backlog, unsubscribe: () => this.subs.delete(sub) };
  }

  /** Polls soon (coalesced): after a local write, or when a test wants no delay. */
  poke(): void {
    if (this.pokeScheduled || this.closed || this.subs.size === 0) return;
    this.pokeScheduled = true;
    setImmediate(() => {
      this.pokeScheduled = false;
      this.poll();
    });
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
  }

  /** Reads new changes and hands them out; a failed read (busy or closing datastore) is retried next tick. */
  poll(): void {
    try {
      this.pollOnce();
    } catch {
      // the next tick retries from the same position
    }
  }

  private deliver(sub: Subscription, fn: (s: FeedSubscriber) => void): void {
    try {
      fn(sub.subscriber);
    } catch {
      // one subscriber's failure must not stop the others
    }
  }

  private pollOnce(): void {
    if (this.closed) return;
    if (this.subs.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.lastRv = this.store.currentRv();
      return;
    }
    if (this.store.compactedRv() > this.lastRv) {
      for (const sub of this.subs) if (sub.cursor < this.store.compactedRv()) this.expire(sub);
      this.lastRv = this.store.compactedRv();
    }
    for (;;) {
      const rows = this.store.changesSince(this.lastRv, this.batch);
      for (const change of rows) {
        for (const sub of this.subs) {
          if (change.rv <= sub.cursor) continue;
          sub.cursor = change.rv;
          this.deliver(sub, (s) => s.onChange(change));
        }
        this.lastRv = change.rv;
      }
      if (rows.length < this.batch) break;
    }
    for (const sub of this.subs) {
      if (sub.cursor < this.lastRv) sub.cursor = this.lastRv;
      const at = sub.cursor;
      this.deliver(sub, (s) => s.onProgress?.(at));
    }
  }

  private expire(sub: Subscription): void {
    this.subs.delete(sub);
    this.deliver(sub, (s) => s.onExpired?.());
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.unhookCommit();
    this.subs.clear();
  }
}
