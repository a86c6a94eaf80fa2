// One shared poll per source: runs `collect` every interval (never two at once, however many viewers), publishes
// the snapshot to the hub (which drops deep-equal ones), and turns failures into the source's status and error.
import type { Topic } from "@k3s-ha/shared";
import type { FailureStatus, Hub } from "../plugins/hub.js";
import { SshError } from "../plugins/ssh-connection.js";

/** A failure a collector reports with its stable code (PARSE_FAILED, K8S_FORBIDDEN…). */
export class CollectError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Fresh data from a fallback while the source's own way in fails: stored, with the source `failing` and why. */
export class PartialRefresh<T> {
  constructor(
    readonly data: T,
    readonly problem: { code: string; message: string },
  ) {}
}

const STATUS_BY_CODE: Record<string, FailureStatus> = {
  HOST_KEY_UNKNOWN: "host-key-unknown",
  HOST_KEY_CHANGED: "host-key-changed",
  ROUTER_STANDBY: "standby",
};

export function failureOf(err: unknown): { code: string; message: string; status: FailureStatus } {
  if (err instanceof SshError || err instanceof CollectError)
    return { code: err.code, message: err.message, status: STATUS_BY_CODE[err.code] ?? "failing" };
  // Anything else is a bug in the collector: say so without internals.
  return {
    code: "COLLECTOR_FAILED",
    message: "the collector failed unexpectedly (see the server log)",
    status: "failing",
  };
}

export class Poller<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  /** Completed polls (tests and metrics). */
  polls = 0;

  constructor(
    private readonly hub: Hub,
    readonly id: Topic,
    readonly intervalMs: number,
    private readonly collect: (signal: AbortSignal) => Promise<T | PartialRefresh<T>>,
    private readonly log: (err: unknown) => void = () => {},
    /** What counts as a change worth publishing (default: deep equality). */
    private readonly same?: (a: unknown, b: T) => boolean,
  ) {}

  start(): void {
    if (this.timer) return;
    this.hub.registerSource(this.id, { intervalMs: this.intervalMs });
    void this.pollNow();
    this.schedule();
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.pollNow(), this.hurried.at(-1) ?? this.intervalMs);
    this.timer.unref();
  }

  private readonly hurried: number[] = [];

  /** Polls every `ms` until the returned function is called (a failover run watches the router every 250 ms). */
  hurry(ms: number): () => void {
    this.hurried.push(ms);
    if (this.timer) this.schedule();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.hurried.splice(this.hurried.indexOf(ms), 1);
      if (this.timer) this.schedule();
    };
  }

  /** The interval in force now. */
  get currentIntervalMs(): number {
    return this.hurried.at(-1) ?? this.intervalMs;
  }

  /** One poll now, or the running one if a poll is already under way. */
  pollNow(): Promise<void> {
    if (this.running) return this.running;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.running = this.collect(signal)
      .then(
        (data) => {
          if (signal.aborted) return;
          if (data instanceof PartialRefresh) this.hub.update(this.id, data.data, data.problem, this.same);
          else this.hub.update(this.id, data, undefined, this.same);
        },
        (err: unknown) => {
          if (signal.aborted) return;
          const f = failureOf(err);
          if (f.code === "COLLECTOR_FAILED") this.log(err);
          this.hub.fail(this.id, { code: f.code, message: f.message }, f.status);
        },
      )
      .finally(() => {
        this.polls++;
        this.running = undefined;
      });
    return this.running;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort?.abort();
  }
}
