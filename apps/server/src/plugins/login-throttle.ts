// Failed-login throttling per client address and per user name: a few tries, then a growing wait.
const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;
const MAX_WAIT_S = 15 * 60;
const MAX_KEYS = 10_000;

interface Entry {
  failures: number;
  lastFailure: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait before another try is allowed for any of these keys (0: go ahead). */
  retryAfterSeconds(keys: string[]): number {
    let wait = 0;
    for (const key of keys) {
      const e = this.entries.get(key);
      if (!e || e.failures < FREE_FAILURES) continue;
      if (this.now() - e.lastFailure > WINDOW_MS) {
        this.entries.delete(key);
        continue;
      }
      const penalty = Math.min(MAX_WAIT_S, 2 ** (e.failures - FREE_FAILURES) * 30);
      const remaining = Math.ceil((e.lastFailure + penalty * 1000 - this.now()) / 1000);
      wait = Math.max(wait, remaining);
    }
    return wait;
  }

  fail(keys: string[]): void {
    if (this.entries.size > MAX_KEYS) this.entries.clear();
    for (const key of keys) {
      const e = this.entries.get(key);
      this.entries.set(key, { failures: (e?.failures ?? 0) + 1, lastFailure: this.now() });
    }
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
