// The probe schedule of a run: every endpoint-mode stream fires on one fixed grid (interval apart, all streams at
// each of its points, so that the ways in are sampled side by side), never waiting for a slow probe — a `new` stream
// starts the next probe anyway, a `reused` stream (one connection, one request at a time) lets a tick pass while its
// request is out, which that request's outcome covers. Samples are numbered as they complete and sent in batches.
import type { DialPolicy } from "./dial.js";
import { NameCache } from "./names.js";
import {
  PROBE_PATHS,
  type ProbeAgent,
  type ProbeCredentials,
  type ProbeOutcome,
  type ProbeRequest,
  type ProbeTarget,
  probeAgent,
  probeOnce,
} from "./probe.js";

export type StreamMode = "new" | "reused";

export interface ProbeRunSpec {
  /** The run's zero on the shared monotonic clock (ms); samples start at ms after it. */
  originMs: number;
  intervalMs: number;
  timeoutMs: number;
  request: ProbeRequest;
  dial: DialPolicy;
  credentials: ProbeCredentials;
  targets: ProbeTarget[];
  modes: StreamMode[];
  /** The plan's DNS server, for the names. */
  dns?: { address: string; port: number };
  /** The only addresses a name may resolve to and be dialled (canonical). */
  allowed: string[];
  /** No probe starts after this many ms of the run. */
  durationMs: number;
  /** Completed samples are sent this often. */
  batchMs: number;
}

export interface WireSample {
  seq: number;
  endpoint: string;
  mode: StreamMode;
  address?: string;
  /** ms after the run's zero, when the probe started. */
  startedAtMs: number;
  durationMs: number;
  outcome: ProbeOutcome;
  error?: string;
}

/**
 * The probe thread's scheduling: its real-time round-robin priority (SCHED_RR) when granted, its nice value when
 * raised, and why not where either was refused.
 */
export interface ProbeThreadPriority {
  nice: number | null;
  /** The SCHED_RR priority the thread runs at, null when it runs under the ordinary scheduler. */
  rtPriority?: number | null;
  reason?: string;
}

export interface ProbeStats {
  fired: number;
  /** Ticks a reused stream let pass while its request was out. */
  passed: number;
  /** How late probes started against their grid (0.1 ms resolution). */
  lateMs: { p50: number; p99: number; max: number };
  dnsLookups: number;
  priority: ProbeThreadPriority;
}

interface Stream {
  target: ProbeTarget;
  mode: StreamMode;
  agent: ProbeAgent;
  nextAtMs: number;
  busy: boolean;
}

const LATE_BUCKETS = 20_001; // 0.1 ms buckets up to 2 s; later than that lands in the last one

export class ProbeScheduler {
  private readonly streams: Stream[];
  private readonly names: NameCache | undefined;
  private readonly late = new Uint32Array(LATE_BUCKETS);
  private lateMax = 0;
  private fired = 0;
  private passed = 0;
  private seq = 0;
  private inFlight = 0;
  private pending: WireSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private settle: (() => void) | undefined;
  readonly done: Promise<ProbeStats>;
  private resolveDone!: (s: ProbeStats) => void;

  constructor(
    private readonly spec: ProbeRunSpec,
    private readonly emit: (samples: WireSample[]) => void,
    private readonly clock: () => number,
    private readonly priority: ProbeThreadPriority = { nice: null, reason: "not a probe thread" },
  ) {
    const now = () => clock() - spec.originMs;
    const allowed = new Set(spec.allowed);
    this.names = spec.dns ? new NameCache(spec.dns, allowed, now, spec.timeoutMs) : undefined;
    const pairs = spec.targets.flatMap((target) => spec.modes.map((mode) => ({ target, mode })));
    this.streams = pairs.map(({ target, mode }) => ({
      target,
      mode,
      agent: probeAgent(target, mode, spec.credentials, spec.dial, this.names, now),
      // One wake-up per point of the grid for all the streams, not one per stream spread across the interval: at
      // 50 ms × 6 × 2 that takes the probe thread from a quarter of a core to a sixth in the lab; the last probes of
      // a point start the few tenths of a ms later that the earlier ones took to start (counted in the lateness).
      nextAtMs: 0,
      busy: false,
    }));
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  private now(): number {
    return this.clock() - this.spec.originMs;
  }

  start(): void {
    this.flushTimer = setInterval(() => this.flush(), this.spec.batchMs);
    this.tick();
  }

  private tick(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const { intervalMs, durationMs } = this.spec;
    let now = this.now();
    for (const s of this.streams) {
      // Fire within half a millisecond early rather than sleep a timer's granularity past the grid.
      if (s.nextAtMs > now + 0.5 || s.nextAtMs >= durationMs) continue;
      this.recordLate(Math.abs(now - s.nextAtMs));
      this.fire(s);
      s.nextAtMs += intervalMs;
      // Far behind (a stalled thread): skip to the next point of the grid instead of a burst.
      if (s.nextAtMs <= now) s.nextAtMs += Math.ceil((now - s.nextAtMs) / intervalMs) * intervalMs;
      now = this.now();
    }
    const next = Math.min(...this.streams.map((s) => s.nextAtMs));
    if (!(next < durationMs)) {
      this.finish();
      return;
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, next - this.now() - 0.5));
  }

  private fire(s: Stream): void {
    if (s.mode === "reused" && s.busy) {
      this.passed++;
      return;
    }
    this.fired++;
    s.busy = true;
    this.inFlight++;
    const startedAtMs = this.now();
    void probeOnce(s.agent, PROBE_PATHS[this.spec.request], this.spec.timeoutMs).then((r) => {
      s.busy = false;
      this.inFlight--;
      this.pending.push({
        seq: ++this.seq,
        endpoint: s.target.endpoint,
        mode: s.mode,
        ...(r.address ? { address: r.address } : {}),
        startedAtMs: Math.round(startedAtMs * 10) / 10,
        durationMs: r.durationMs,
        outcome: r.outcome,
        ...(r.error ? { error: r.error } : {}),
      });
      if (this.inFlight === 0) this.settle?.();
    });
  }

  private recordLate(ms: number): void {
    const bucket = Math.min(LATE_BUCKETS - 1, Math.round(ms * 10));
    this.late[bucket] = (this.late[bucket] ?? 0) + 1;
    this.lateMax = Math.max(this.lateMax, ms);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.emit(batch);
  }

  /** Stops starting probes; resolves when the ones out have completed and every sample was sent. */
  stop(): Promise<ProbeStats> {
    this.finish();
    return this.done;
  }

  private finish(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const settled = new Promise<void>((resolve) => {
      if (this.inFlight === 0) resolve();
      else this.settle = resolve;
    });
    void settled.then(() => {
      if (this.flushTimer) clearInterval(this.flushTimer);
      this.flush();
      for (const s of this.streams) s.agent.destroy();
      this.names?.stop();
      this.resolveDone(this.stats());
    });
  }

  private stats(): ProbeStats {
    const total = this.late.reduce((a, b) => a + b, 0);
    const at = (p: number) => {
      const rank = Math.max(1, Math.ceil((p / 100) * total));
      let seen = 0;
      for (let i = 0; i < LATE_BUCKETS; i++) {
        seen += this.late[i] ?? 0;
        if (seen >= rank) return i / 10;
      }
      return 0;
    };
    return {
      fired: this.fired,
      passed: this.passed,
      lateMs: { p50: at(50), p99: at(99), max: Math.round(this.lateMax * 10) / 10 },
      dnsLookups: this.names?.lookups ?? 0,
      priority: this.priority,
    };
  }
}
