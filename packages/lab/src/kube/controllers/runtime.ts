// Running a level-triggered controller: sync on start, on changes to what it watches, and every resync period.
import type { Gvr, KubeClient } from "../client.js";

export interface Controller {
  name: string;
  /** Resources whose changes trigger a sync. */
  watches: ReadonlyArray<Pick<Gvr, "group" | "resource">>;
  /** Periodic sync even without changes (time-driven controllers). */
  resyncMs: number;
  /** Reads the world and writes the difference; must be idempotent. */
  sync(): void;
  /** Called when the loop starts (on becoming leader): a new leader starts with no in-memory state. */
  reset?(): void;
}

export interface ControllerHealth {
  name: string;
  syncs: number;
  lastError?: string;
  lastSync?: Date;
}

export class ControllerLoop {
  readonly health: ControllerHealth;
  private timer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  private scheduled = false;

  constructor(
    private readonly client: KubeClient,
    private readonly controller: Controller,
  ) {
    this.health = { name: controller.name, syncs: 0 };
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Runs one sync now; errors are recorded, never thrown (a failing controller is state, not a crash). */
  runOnce(): void {
    this.scheduled = false;
    try {
      this.controller.sync();
      this.health.syncs++;
      this.health.lastSync = new Date();
      delete this.health.lastError;
    } catch (err) {
      this.health.lastError = (err as Error).message;
    }
  }

  private schedule(): void {
    if (this.scheduled || !this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      if (this.running) this.runOnce();
      else this.scheduled = false;
    });
  }

  start(): void {
    if (this.running) return;
    this.controller.reset?.();
    this.timer = setInterval(() => this.runOnce(), this.controller.resyncMs);
    this.timer.unref();
    if (this.controller.watches.length)
      this.unwatch = this.client.onChanges(this.controller.watches, () => this.schedule());
    this.runOnce();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
  }
}
