// Guided setup in the embedded database: per step what it last wrote (to tell drift and to undo), what was there
// before, the last action and its checks. A step is 'applying' or 'undoing' while that runs: one found so at start
// was interrupted, and is reported as failed with what it had done, never silently taken as applied.
import type { DatabaseSync } from "node:sqlite";
import type { SetupCheck, SetupStepId } from "@k3s-ha/shared";

export type StepState = "applied" | "verified" | "failed" | "undone" | "applying" | "undoing";

export interface StepRecord {
  step: SetupStepId;
  state: StepState;
  /** What the step wrote (driver-specific JSON): its drift check and undo read it. */
  applied: unknown;
  /** What was there before (driver-specific JSON), for undo. */
  previous: unknown;
  checks: SetupCheck[] | null;
  /** What an apply or undo has done so far (shown when it was interrupted). */
  progress: string[];
  last: { action: "apply" | "verify" | "undo"; at: string; by: string; ok: boolean; message: string } | null;
}

interface Raw {
  step: string;
  state: string;
  applied: string | null;
  previous: string | null;
  checks: string | null;
  progress: string | null;
  last_action: string | null;
  last_at: string | null;
  last_by: string | null;
  last_ok: number | null;
  last_message: string | null;
}

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

function toRecord(r: Raw): StepRecord {
  return {
    step: r.step as SetupStepId,
    state: r.state as StepState,
    applied: parse(r.applied),
    previous: parse(r.previous),
    checks: parse(r.checks) as SetupCheck[] | null,
    progress: (parse(r.progress) as string[] | null) ?? [],
    last: r.last_action
      ? {
          action: r.last_action as "apply" | "verify" | "undo",
          at: r.last_at ?? "",
          by: r.last_by ?? "",
          ok: r.last_ok === 1,
          message: r.last_message ?? "",
        }
      : null,
  };
}

export class SetupStore {
  constructor(private readonly db: DatabaseSync) {}

  get(step: SetupStepId): StepRecord | undefined {
    const r = this.db.prepare("SELECT * FROM setup_steps WHERE step = ?").get(step) as Raw | undefined;
    return r ? toRecord(r) : undefined;
  }

  all(): StepRecord[] {
    return (this.db.prepare("SELECT * FROM setup_steps ORDER BY step").all() as unknown as Raw[]).map(
      toRecord,
    );
  }

  /** Writes the whole record (one row per step). */
  put(rec: StepRecord): void {
    this.db
      .prepare(
        `INSERT INTO setup_steps (step, state, applied, previous, checks, progress, last_action, last_at, last_by,
           last_ok, last_message)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(step) DO UPDATE SET state = excluded.state, applied = excluded.applied,
           previous = excluded.previous, checks = excluded.checks, progress = excluded.progress,
           last_action = excluded.last_action, last_at = excluded.last_at, last_by = excluded.last_by,
           last_ok = excluded.last_ok, last_message = excluded.last_message`,
      )
      .run(
        rec.step,
        rec.state,
        rec.applied === null || rec.applied === undefined ? null : JSON.stringify(rec.applied),
        rec.previous === null || rec.previous === undefined ? null : JSON.stringify(rec.previous),
        rec.checks ? JSON.stringify(rec.checks) : null,
        JSON.stringify(rec.progress),
        rec.last?.action ?? null,
        rec.last?.at ?? null,
        rec.last?.by ?? null,
        rec.last ? (rec.last.ok ? 1 : 0) : null,
        rec.last?.message ?? null,
      );
  }

  /** Steps a restart cut off while applying or undoing. */
  interrupted(): StepRecord[] {
    return this.all().filter((r) => r.state === "applying" || r.state === "undoing");
  }
}
