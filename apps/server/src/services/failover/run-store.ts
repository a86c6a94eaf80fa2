// Failover runs in the embedded database: the run's row (request, state, restore, stats), its samples written a
// batch per transaction, and its events; read back in seq order for the API, the CSV and a follower catching up.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { PredictionFacts, RunEvent, RunRequest, RunState, RunSummary } from "@k3s-ha/shared";
import type { ProbeStats, WireSample } from "./probe/scheduler.js";

export interface RestoreRecord {
  state: "not-needed" | "pending" | "running" | "done" | "failed";
  steps: { action: string; state: "pending" | "running" | "done" | "failed"; error?: string }[];
}

export interface RunRequestRecord extends Omit<RunRequest, "confirm" | "endpoints"> {
  endpoints: string[];
}

export interface RunRow {
  id: string;
  scenario: RunSummary["scenario"];
  node: string | null;
  state: RunState;
  startedBy: string;
  startedAt: string;
  endedAt: string | null;
  request: RunRequestRecord;
  actionAtMs: number | null;
  stepsRan: number;
  restore: RestoreRecord;
  error: string | null;
  probeStats: ProbeStats | null;
  facts: PredictionFacts | null;
}

interface RawRun {
  id: string;
  scenario: string;
  node: string | null;
  state: string;
  started_by: string;
  started_at: string;
  ended_at: string | null;
  request: string;
  action_at_ms: number | null;
  steps_ran: number;
  restore: string;
  error: string | null;
  probe_stats: string | null;
  facts: string | null;
  samples?: number;
}

const toRun = (r: RawRun): RunRow => ({
  id: r.id,
  scenario: r.scenario as RunRow["scenario"],
  node: r.node,
  state: r.state as RunState,
  startedBy: r.started_by,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  request: JSON.parse(r.request) as RunRequestRecord,
  actionAtMs: r.action_at_ms,
  stepsRan: r.steps_ran,
  restore: JSON.parse(r.restore) as RestoreRecord,
  error: r.error,
  probeStats: r.probe_stats ? (JSON.parse(r.probe_stats) as ProbeStats) : null,
  facts: r.facts ? (JSON.parse(r.facts) as PredictionFacts) : null,
});

interface RawSample {
  seq: number;
  endpoint: string;
  mode: string;
  address: string | null;
  started_at_ms: number;
  duration_ms: number;
  outcome: string;
  error: string | null;
}

const toSample = (r: RawSample): WireSample => ({
  seq: r.seq,
  endpoint: r.endpoint,
  mode: r.mode as WireSample["mode"],
  ...(r.address ? { address: r.address } : {}),
  startedAtMs: r.started_at_ms,
  durationMs: r.duration_ms,
  outcome: r.outcome as WireSample["outcome"],
  ...(r.error ? { error: r.error } : {}),
});

export class RunStore {
  private readonly insertSample: StatementSync;
  private readonly insertEvent: StatementSync;

  constructor(private readonly db: DatabaseSync) {
    this.insertSample = db.prepare(
      `INSERT OR IGNORE INTO failover_samples
         (run_id, seq, endpoint, mode, address, started_at_ms, duration_ms, outcome, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertEvent = db.prepare(
      "INSERT INTO failover_events (run_id, seq, at_ms, kind, summary, detail) VALUES (?, ?, ?, ?, ?, ?)",
    );
  }

  create(
    run: Omit<RunRow, "endedAt" | "actionAtMs" | "stepsRan" | "error" | "probeStats" | "facts"> & {
      facts?: PredictionFacts;
    },
  ): void {
    this.db
      .prepare(
        `INSERT INTO failover_runs (id, scenario, node, state, started_by, started_at, request, restore, facts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.id,
        run.scenario,
        run.node,
        run.state,
        run.startedBy,
        run.startedAt,
        JSON.stringify(run.request),
        JSON.stringify(run.restore),
        run.facts ? JSON.stringify(run.facts) : null,
      );
  }

  update(
    id: string,
    patch: Partial<
      Pick<RunRow, "state" | "endedAt" | "actionAtMs" | "stepsRan" | "restore" | "error" | "probeStats">
    >,
  ): void {
    const columns: Record<string, string> = {
      state: "state",
      endedAt: "ended_at",
      actionAtMs: "action_at_ms",
      stepsRan: "steps_ran",
      restore: "restore",
      error: "error",
      probeStats: "probe_stats",
    };
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const column = columns[key];
      if (!column || value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(
        value === null
          ? null
          : typeof value === "object"
            ? JSON.stringify(value)
            : (value as string | number),
      );
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE failover_runs SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
  }

  /** One transaction per batch: a crash loses at most the batch in flight, never half of one. */
  addSamples(runId: string, samples: readonly WireSample[]): void {
    if (samples.length === 0) return;
    this.db.exec("BEGIN");
    try {
      for (const s of samples)
        this.insertSample.run(
          runId,
          s.seq,
          s.endpoint,
          s.mode,
          s.address ?? null,
          s.startedAtMs,
          s.durationMs,
          s.outcome,
          s.error ?? null,
        );
      this.db.exec("COMMIT");
    } catch (err) {
      this.db.exec("ROLLBACK");
      throw err;
    }
  }

  addEvent(runId: string, event: RunEvent): void {
    this.insertEvent.run(
      runId,
      event.seq,
      event.atMs,
      event.kind,
      event.summary,
      event.detail ? JSON.stringify(event.detail) : null,
    );
  }

  get(id: string): RunRow | undefined {
    const r = this.db.prepare("SELECT * FROM failover_runs WHERE id = ?").get(id) as RawRun | undefined;
    return r ? toRun(r) : undefined;
  }

  list(limit = 200): (RunRow & { samples: number })[] {
    const rows = this.db
      .prepare(
        `SELECT r.*, (SELECT COUNT(*) FROM failover_samples s WHERE s.run_id = r.id) AS samples
         FROM failover_runs r ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
      )
      .all(limit) as unknown as RawRun[];
    return rows.map((r) => ({ ...toRun(r), samples: r.samples ?? 0 }));
  }

  /** Runs a server restart left unfinished (running or restoring). */
  unfinished(): RunRow[] {
    const rows = this.db
      .prepare("SELECT * FROM failover_runs WHERE state IN ('running', 'restoring')")
      .all() as unknown as RawRun[];
    return rows.map(toRun);
  }

  sampleCount(runId: string): number {
    const r = this.db.prepare("SELECT COUNT(*) AS n FROM failover_samples WHERE run_id = ?").get(runId) as {
      n: number;
    };
    return r.n;
  }

  /** The highest sample seq stored for the run (0 when none). */
  lastSeq(runId: string): number {
    const r = this.db.prepare("SELECT MAX(seq) AS n FROM failover_samples WHERE run_id = ?").get(runId) as {
      n: number | null;
    };
    return r.n ?? 0;
  }

  /** Samples after `since`, in seq order, at most `limit`. */
  samples(runId: string, since = 0, limit = 1_000_000): WireSample[] {
    const rows = this.db
      .prepare("SELECT * FROM failover_samples WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?")
      .all(runId, since, limit) as unknown as RawSample[];
    return rows.map(toSample);
  }

  /** Every sample in seq order, without holding them all (the CSV of a 30-minute run). */
  *iterateSamples(runId: string): Generator<WireSample> {
    const stmt = this.db.prepare("SELECT * FROM failover_samples WHERE run_id = ? ORDER BY seq");
    for (const r of stmt.iterate(runId) as IterableIterator<RawSample>) yield toSample(r);
  }

  events(runId: string, since = 0): RunEvent[] {
    const rows = this.db
      .prepare("SELECT * FROM failover_events WHERE run_id = ? AND seq > ? ORDER BY seq")
      .all(runId, since) as unknown as {
      seq: number;
      at_ms: number;
      kind: string;
      summary: string;
      detail: string | null;
    }[];
    return rows.map((r) => ({
      seq: r.seq,
      atMs: r.at_ms,
      kind: r.kind as RunEvent["kind"],
      summary: r.summary,
      ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}),
    }));
  }

  delete(id: string): boolean {
    return this.db.prepare("DELETE FROM failover_runs WHERE id = ?").run(id).changes > 0;
  }

  /** Deletes finished runs that started before `beforeIso`; returns how many. */
  prune(beforeIso: string): number {
    return Number(
      this.db
        .prepare("DELETE FROM failover_runs WHERE started_at < ? AND state NOT IN ('running', 'restoring')")
        .run(beforeIso).changes,
    );
  }
}
