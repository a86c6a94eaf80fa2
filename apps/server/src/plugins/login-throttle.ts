// Failed sign-in policy: per client network and per user-and-client locks, a per-user slow-down, bounded memory.
import { alignCidr, formatCidr, formatIp, parseIp } from "@k3s-ha/shared";

export interface ThrottlePolicy {
  /** Failures allowed per key before a lock. */
  freeFailures: number;
  /** Failures older than this are forgotten (when no lock is running). */
  windowMs: number;
  /** The first lock; each further failure doubles it up to maxLockMs. */
  baseLockMs: number;
  maxLockMs: number;
  /** Failures for one user, from all clients in the window, after which sign-ins for it are slowed down. */
  slowdownAfter: number;
  /** Under the slow-down, password checks for that user are spaced this far apart... */
  slowdownSpacingMs: number;
  /** ...and a client that would wait longer than this is told to come back (429) instead. */
  slowdownMaxWaitMs: number;
  /** Entries kept per table before the oldest idle ones are evicted; locks are never evicted. */
  maxEntries: number;
}

export const DEFAULT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowMs: 15 * 60_000,
  baseLockMs: 30_000,
  maxLockMs: 15 * 60_000,
  slowdownAfter: 20,
  slowdownSpacingMs: 1000,
  slowdownMaxWaitMs: 10_000,
  maxEntries: 10_000,
};

/** Past this many entries (all locked), new clients share one bucket: memory stays bounded, limits still apply. */
const HARD_CAP_FACTOR = 5;
const OVERFLOW_KEY = "(overflow)";
/** How long a client network that signed in successfully is trusted to skip a user's slow-down. */
const KNOWN_GOOD_MS = 30 * 24 * 3600_000;

/**
 * The network a client is throttled as: an IPv6 address by its /64 (one subscriber has a whole /64),
 * an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, seen by a console listening on `::`) as that IPv4 address.
 */
export function clientNetwork(address: string | undefined): string {
  if (!address) return "(no address)";
  const ip = parseIp(address.replace(/%.*$/, ""));
  if (!ip) return `(unparsed ${address.slice(0, 64)})`;
  if (ip.family === 4) return formatIp(4, ip.value);
  if (ip.value >> 32n === 0xffffn) return formatIp(4, ip.value & 0xffffffffn);
  return formatCidr(alignCidr({ family: 6, address: ip.value, prefix: 64 }));
}

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
  /** Attempts reserved and not yet decided: concurrent attempts count before their passwords are checked. */
  pending: number;
}

/** A table of entries in least-recently-touched order, bounded without ever dropping a lock or a pending attempt. */
export class BoundedTable {
  private readonly map = new Map<string, Entry>();

  constructor(private readonly policy: ThrottlePolicy) {}

  get size(): number {
    return this.map.size;
  }

  peek(key: string): Entry | undefined {
    return this.map.get(key);
  }

  /** The key an attempt is counted under: its own, or the shared overflow bucket when the table is full of locks. */
  keyFor(key: string, now: number): string {
    if (this.map.has(key)) return key;
    this.evict(now);
    return this.map.size >= this.policy.maxEntries * HARD_CAP_FACTOR ? OVERFLOW_KEY : key;
  }

  /** The entry for `key` (from keyFor), created if needed; moves it to the young end. */
  touch(key: string): Entry {
    const entry = this.map.get(key) ?? { failures: 0, lastFailure: 0, lockedUntil: 0, pending: 0 };
    this.map.delete(key);
    this.map.set(key, entry);
    return entry;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  private evict(now: number): void {
    if (this.map.size < this.policy.maxEntries) return;
    for (const [key, entry] of this.map) {
      if (this.map.size < this.policy.maxEntries) break;
      if (entry.pending === 0 && entry.lockedUntil <= now) this.map.delete(key);
    }
  }
}

export type Admission =
  | { ok: true; ticket: Ticket; waitMs: number }
  | { ok: false; retryAfterSeconds: number; reason: "client-locked" | "user-slowed" };

export interface Ticket {
  /** The table and key of each entry the attempt reserved. */
  slots: [BoundedTable, string][];
  pair: string;
  user: string;
  userExists: boolean;
  done: boolean;
}

export class LoginThrottle {
  private readonly clients: BoundedTable;
  private readonly pairs: BoundedTable;
  private readonly users = new Map<string, { failures: number; windowStart: number; nextSlot: number }>();
  private readonly knownGood: BoundedTable;

  constructor(
    private readonly now: () => number = Date.now,
    readonly policy: ThrottlePolicy = DEFAULT_POLICY,
  ) {
    this.clients = new BoundedTable(policy);
    this.pairs = new BoundedTable(policy);
    this.knownGood = new BoundedTable(policy);
  }

  /** Entries held, for tests and figures. */
  sizes(): { clients: number; pairs: number; users: number } {
    return { clients: this.clients.size, pairs: this.pairs.size, users: this.users.size };
  }

  /**
   * Reserves an attempt before the password is checked, or says how long to wait. Per-user state is kept only
   * for users that exist, so made-up names cannot fill the tables or lock anyone out.
   */
  admit(user: string, address: string, userExists: boolean): Admission {
    const now = this.now();
    const net = clientNetwork(address);
    const pair = `${user}\u0000${net}`;
    const slots: [BoundedTable, string][] = [[this.clients, this.clients.keyFor(net, now)]];
    if (userExists) slots.push([this.pairs, this.pairs.keyFor(pair, now)]);
    let wait = 0;
    for (const [table, key] of slots) {
      const e = table.peek(key);
      if (e) wait = Math.max(wait, this.blockedMs(e, now));
    }
    if (wait > 0) return { ok: false, retryAfterSeconds: Math.ceil(wait / 1000), reason: "client-locked" };

    let waitMs = 0;
    if (userExists && !this.isKnownGood(pair, now)) {
      const u = this.userState(user, now);
      if (u.failures >= this.policy.slowdownAfter) {
        const slot = Math.max(now, u.nextSlot);
        if (slot - now > this.policy.slowdownMaxWaitMs) {
          return { ok: false, retryAfterSeconds: Math.ceil((slot - now) / 1000), reason: "user-slowed" };
        }
        u.nextSlot = slot + this.policy.slowdownSpacingMs;
        waitMs = slot - now;
      }
    }
    for (const [table, key] of slots) table.touch(key).pending++;
    return { ok: true, ticket: { slots, pair, user, userExists, done: false }, waitMs };
  }

  fail(ticket: Ticket): void {
    if (!this.settle(ticket)) return;
    const now = this.now();
    for (const [table, key] of ticket.slots) {
      const e = table.touch(key);
      if (e.lockedUntil <= now && now - e.lastFailure > this.policy.windowMs) e.failures = 0;
      e.failures++;
      e.lastFailure = now;
      if (e.failures >= this.policy.freeFailures) {
        const lock = this.policy.baseLockMs * 2 ** (e.failures - this.policy.freeFailures);
        e.lockedUntil = now + Math.min(this.policy.maxLockMs, lock);
      }
    }
    if (ticket.userExists) this.userState(ticket.user, now).failures++;
  }

  succeed(ticket: Ticket): void {
    if (!this.settle(ticket)) return;
    for (const [table, key] of ticket.slots) table.delete(key);
    if (ticket.userExists)
      this.knownGood.touch(this.knownGood.keyFor(ticket.pair, this.now())).lastFailure = this.now();
  }

  /** Neither success nor failure (the check itself failed): the reservation is returned. */
  release(ticket: Ticket): void {
    this.settle(ticket);
  }

  private settle(ticket: Ticket): boolean {
    if (ticket.done) return false;
    ticket.done = true;
    for (const [table, key] of ticket.slots) {
      const e = table.peek(key);
      if (e && e.pending > 0) e.pending--;
    }
    return true;
  }

  /** A client network that signed in as this user within the window of trust skips the user's slow-down. */
  private isKnownGood(pair: string, now: number): boolean {
    const e = this.knownGood.peek(pair);
    return e !== undefined && now - e.lastFailure < KNOWN_GOOD_MS;
  }

  /** How long an entry blocks a new attempt: a running lock, or the limit already taken by attempts in flight. */
  private blockedMs(e: Entry, now: number): number {
    if (e.lockedUntil > now) return e.lockedUntil - now;
    const failures = now - e.lastFailure > this.policy.windowMs ? 0 : e.failures;
    const allowed = Math.max(this.policy.freeFailures, failures + 1);
    return failures + e.pending >= allowed ? 1000 : 0;
  }

  private userState(user: string, now: number) {
    let u = this.users.get(user);
    if (!u || now - u.windowStart > this.policy.windowMs) {
      u = { failures: 0, windowStart: now, nextSlot: u?.nextSlot ?? 0 };
      this.users.set(user, u);
    }
    return u;
  }
}
