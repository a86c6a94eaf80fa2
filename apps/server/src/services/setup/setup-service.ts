// The guided setup as a service: each step's status from its record and the live cluster, preview (changes, diffs,
// dry-runs), apply (one operation per cluster under the shared lock, confirmation for risky changes, progress kept
// and published, verified right after), verify, undo — every apply and undo audited with what it changed.
import {
  type Plan,
  SETUP_STEPS,
  type SetupActionResult,
  type SetupApplyBody,
  type SetupCheck,
  type SetupOption,
  type SetupPreview,
  type SetupStepId,
  type SetupStepSummary,
  type SetupStepsResponse,
  setupSteps,
} from "@k3s-ha/shared";
import { AppError } from "../../errors.js";
import type { OperationLock } from "../operation-lock.js";
import type { StepContext, StepDriver, StepPlan } from "./driver.js";
import { StepError } from "./driver.js";
import type { SetupStore, StepRecord } from "./setup-store.js";
import { isManual, StepStatuses } from "./step-status.js";

export interface SetupDeps {
  store: SetupStore;
  lock: OperationLock;
  drivers: Partial<Record<SetupStepId, StepDriver>>;
  plan: () => Plan | undefined;
  /** The context drivers run in (adapters, snapshots), for one operation. */
  context: (plan: Plan, signal: AbortSignal, progress: (line: string) => void) => StepContext;
  publish: () => void;
  audit: (action: string, user: string, target: string, outcome: "ok" | "failed", detail?: string) => void;
  log: (msg: string, err?: unknown) => void;
}

const errorsOk = (checks: readonly SetupCheck[]) => checks.every((c) => c.ok || c.severity === "warning");
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class SetupService {
  private running: { step: SetupStepId; progress: string[]; abort: AbortController } | undefined;
  private readonly statuses: StepStatuses;

  constructor(private readonly deps: SetupDeps) {
    this.statuses = new StepStatuses(deps.store, deps.drivers, (plan) => this.ctx(plan));
  }

  private requirePlan(): Plan {
    const plan = this.deps.plan();
    if (!plan) throw new AppError("PLAN_INVALID", "no valid plan: the setup renders every step from it");
    return plan;
  }

  private driver(id: SetupStepId): StepDriver | undefined {
    return this.deps.drivers[id];
  }

  private ctx(plan: Plan, signal = new AbortController().signal, progress: (l: string) => void = () => {}) {
    return this.deps.context(plan, signal, progress);
  }

  /** Every step's status; requirements are judged on the statuses of this same listing. */
  async steps(option?: SetupOption): Promise<SetupStepsResponse> {
    const plan = this.requirePlan();
    const all = setupSteps();
    const computed = await Promise.all(all.map((d) => this.statuses.status(d, plan)));
    const statuses = new Map(all.map((d, i) => [d.id, computed[i]?.status ?? "not-started"]));
    const wanted = new Set(setupSteps(option).map((d) => d.id));
    const holder = this.deps.lock.current();
    return {
      ...(option ? { option } : {}),
      steps: all
        .map((d, i) => ({ d, i }))
        .filter(({ d }) => wanted.has(d.id))
        .map(({ d, i }) => this.statuses.summary(d, plan, statuses, computed[i]?.problem, this.running)),
      ...(holder ? { operation: holder } : {}),
    };
  }

  async step(id: SetupStepId): Promise<SetupStepSummary> {
    const found = (await this.steps()).steps.find((s) => s.id === id);
    if (!found) throw new AppError("NOT_FOUND", `no setup step ${id}`);
    return found;
  }

  async preview(id: SetupStepId): Promise<SetupPreview> {
    const plan = this.requirePlan();
    const driver = this.driver(id);
    const step = await this.step(id);
    if (!driver) return { step, changes: [], satisfied: false, refusals: ["this step is not available yet"] };
    const planned = await driver.plan({ ...this.ctx(plan), preview: true });
    return {
      step,
      changes: planned.changes,
      satisfied: planned.satisfied,
      ...(planned.instructions ? { instructions: planned.instructions } : {}),
      refusals: [...(step.blockedBy ?? []), ...planned.refusals],
    };
  }

  /** Runs `work` under the cluster's lock with progress published; the record is written around it. */
  private async operate<T>(
    id: SetupStepId,
    user: string,
    what: string,
    work: (ctx: StepContext, progress: string[]) => Promise<T>,
  ): Promise<T> {
    const plan = this.requirePlan();
    const release = this.deps.lock.acquire({ kind: "setup-apply", id, user, what });
    const abort = new AbortController();
    const progress: string[] = [];
    this.running = { step: id, progress, abort };
    try {
      const running = () => {
        const rec = this.deps.store.get(id);
        return rec && (rec.state === "applying" || rec.state === "undoing") ? rec : undefined;
      };
      const ctx: StepContext = {
        ...this.ctx(plan, abort.signal, (line) => {
          progress.push(line);
          // Kept as it happens: a console killed half-way still says what was done.
          const rec = running();
          if (rec) this.deps.store.put({ ...rec, progress: [...progress] });
          this.deps.publish();
        }),
        keep: (applied) => {
          const rec = running();
          if (rec?.state === "applying") this.deps.store.put({ ...rec, applied });
        },
      };
      return await work(ctx, progress);
    } finally {
      this.running = undefined;
      this.statuses.invalidate();
      release();
      this.deps.publish();
    }
  }

  private save(id: SetupStepId, patch: Partial<StepRecord>): StepRecord {
    this.statuses.invalidate();
    const prev = this.deps.store.get(id);
    const rec: StepRecord = {
      step: id,
      state: "applied",
      applied: null,
      previous: null,
      checks: null,
      progress: [],
      last: null,
      ...prev,
      ...patch,
    };
    this.deps.store.put(rec);
    return rec;
  }

  private last(action: "apply" | "verify" | "undo", user: string, ok: boolean, msg: string) {
    return { action, at: new Date().toISOString(), by: user, ok, message: msg };
  }

  /** Verify, retried for up to `settleMs` while an error check fails (what an apply started takes a moment). */
  private async runVerify(driver: StepDriver, ctx: StepContext, settleMs: number): Promise<SetupCheck[]> {
    const deadline = Date.now() + settleMs;
    for (;;) {
      const checks = await driver.verify(ctx);
      if (errorsOk(checks) || Date.now() >= deadline || ctx.signal.aborted) return checks;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  private changesSummary(planned: StepPlan): string {
    return planned.changes
      .filter((c) => c.action !== "unchanged" && c.action !== "skip")
      .map((c) => `${c.action} ${c.object} on ${c.target}${c.diff ? `\n${c.diff}` : ""}`)
      .join("\n");
  }

  async apply(id: SetupStepId, body: SetupApplyBody, user: string): Promise<SetupActionResult> {
    const plan = this.requirePlan();
    const def = SETUP_STEPS[id];
    const driver = this.driver(id);
    if (isManual(def, plan) || !driver?.apply)
      throw new AppError("STEP_MANUAL", `${id} has nothing to apply: it is checked by Verify`);
    const before = await this.step(id);
    if (before.blockedBy?.length)
      throw new AppError("STEP_BLOCKED", `${id} cannot be applied yet: ${before.blockedBy.join("; ")}`, {
        blockedBy: before.blockedBy,
      });
    if (body.force && body.confirm !== true)
      throw new AppError(
        "CONFIRMATION_REQUIRED",
        `${id}: taking over fields another manager owns needs confirm: true`,
      );
    return this.operate(id, user, `applying ${id}`, async (ctx, progress) => {
      const planned = await driver.plan({ ...ctx, preview: true });
      if (planned.refusals.length)
        throw new AppError("STEP_REFUSED", `${id} is refused: ${planned.refusals.join("; ")}`, {
          refusals: planned.refusals,
        });
      const risky = planned.changes.filter((c) => c.risky && c.action !== "unchanged");
      if (risky.length && body.confirm !== true)
        throw new AppError(
          "CONFIRMATION_REQUIRED",
          `${id} changes a live cluster (${risky.map((c) => `${c.action} ${c.object} on ${c.target}`).join("; ")}): send confirm: true`,
          { changes: risky },
        );
      const diff = this.changesSummary(planned);
      if (planned.satisfied) {
        this.deps.audit("setup.apply", user, id, "ok", "nothing to change: the live cluster already matches");
        const checks = await this.runVerify(driver, ctx, 0);
        this.save(id, {
          state: errorsOk(checks) ? "verified" : "failed",
          checks,
          last: this.last("apply", user, true, "nothing to change"),
        });
        return {
          step: await this.step(id),
          ok: true,
          message: "nothing to change",
          changes: planned.changes,
          checks,
        };
      }
      this.save(id, { state: "applying", progress: [], last: this.last("apply", user, false, "applying") });
      try {
        const outcome = await driver.apply?.(ctx, planned, { force: body.force === true });
        if (!outcome) throw new StepError(`${id} has no apply`);
        this.save(id, {
          state: "applied",
          applied: outcome.applied,
          previous: outcome.previous,
          progress: [...progress],
          last: this.last("apply", user, true, outcome.message),
        });
        this.deps.audit("setup.apply", user, id, "ok", `${outcome.message}\n${diff}`);
        const checks = await this.runVerify(driver, ctx, 30_000);
        const ok = errorsOk(checks);
        this.save(id, { state: ok ? "verified" : "failed", checks });
        return {
          step: await this.step(id),
          ok,
          message: ok ? outcome.message : `${outcome.message}; but verification failed`,
          changes: planned.changes,
          checks,
        };
      } catch (err) {
        const done = err instanceof StepError ? err.done : [];
        const partial = err instanceof StepError ? err.applied : undefined;
        const why = message(err);
        this.save(id, {
          state: "failed",
          ...(partial !== undefined ? { applied: partial } : {}),
          progress: [...progress],
          last: this.last("apply", user, false, why),
        });
        this.deps.audit(
          "setup.apply",
          user,
          id,
          "failed",
          `${why}\ndone before the failure: ${done.join("; ") || "nothing"}\n${diff}`,
        );
        return { step: await this.step(id), ok: false, message: why, changes: planned.changes, checks: [] };
      }
    });
  }

  async verify(id: SetupStepId, user: string): Promise<SetupActionResult> {
    const plan = this.requirePlan();
    const driver = this.driver(id);
    if (!driver) throw new AppError("STEP_REFUSED", `${id} is not available yet`);
    const ctx = this.ctx(plan, AbortSignal.timeout(60_000));
    const checks = await this.runVerify(driver, ctx, 5_000);
    const ok = errorsOk(checks);
    const rec = this.deps.store.get(id);
    const state = ok ? "verified" : "failed";
    // A failed verify of an applied step keeps what it wrote (undo and drift still know it).
    this.save(id, {
      state: rec?.state === "undone" && !ok ? "undone" : state,
      checks,
      last: this.last("verify", user, ok, ok ? "all checks pass" : "a check failed"),
    });
    this.deps.publish();
    return {
      step: await this.step(id),
      ok,
      message: ok ? "all checks pass" : "a check failed",
      changes: [],
      checks,
    };
  }

  async undo(id: SetupStepId, body: SetupApplyBody, user: string): Promise<SetupActionResult> {
    const plan = this.requirePlan();
    const def = SETUP_STEPS[id];
    const driver = this.driver(id);
    if (!def.undoable || !driver?.undo || isManual(def, plan))
      throw new AppError("STEP_NOT_UNDOABLE", `${id} cannot be undone by the console`);
    const rec = this.deps.store.get(id);
    if (!rec || rec.state === "undone" || rec.applied === null)
      throw new AppError("STEP_NOT_UNDOABLE", `${id}: the console has applied nothing to undo`);
    const listing = await this.steps();
    const dependents = listing.steps.filter(
      (s) =>
        SETUP_STEPS[s.id].requires.includes(id) &&
        (s.status === "applied" || s.status === "verified") &&
        this.deps.store.get(s.id)?.applied,
    );
    if (dependents.length)
      throw new AppError(
        "STEP_REQUIRED_BY",
        `undo ${dependents.map((s) => s.id).join(", ")} first: they rest on ${id}`,
      );
    if ((def.risky || body.force) && body.confirm !== true)
      throw new AppError(
        "CONFIRMATION_REQUIRED",
        `undoing ${id} ${body.force ? "with force" : "changes a live cluster"}: send confirm: true`,
      );
    const refusals = (await driver.undoRefusals?.(this.ctx(plan), rec)) ?? [];
    if (refusals.length && body.force !== true)
      throw new AppError("UNDO_REFUSED", `undo of ${id} is refused: ${refusals.join("; ")}`, { refusals });
    return this.operate(id, user, `undoing ${id}`, async (ctx, progress) => {
      this.save(id, { state: "undoing", progress: [] });
      try {
        const msg = await driver.undo?.(ctx, rec);
        this.save(id, {
          state: "undone",
          applied: null,
          checks: null,
          progress: [...progress],
          last: this.last("undo", user, true, msg ?? ""),
        });
        this.deps.audit("setup.undo", user, id, "ok", msg);
        return { step: await this.step(id), ok: true, message: msg ?? "", changes: [], checks: [] };
      } catch (err) {
        const why = message(err);
        this.save(id, {
          state: "failed",
          progress: [...progress],
          last: this.last("undo", user, false, why),
        });
        this.deps.audit("setup.undo", user, id, "failed", why);
        return { step: await this.step(id), ok: false, message: why, changes: [], checks: [] };
      }
    });
  }

  /** Steps a restart cut off: reported as failed with what they had done, and audited (apply again resumes). */
  recoverInterrupted(): void {
    for (const rec of this.deps.store.interrupted()) {
      const what = rec.state === "applying" ? "apply" : "undo";
      const msg = `interrupted: the console stopped during this ${what}; done before: ${rec.progress.join("; ") || "nothing recorded"}. Preview shows what is left; apply again to finish.`;
      this.deps.store.put({
        ...rec,
        state: "failed",
        last: { action: what, at: new Date().toISOString(), by: "console", ok: false, message: msg },
      });
      this.deps.audit(`setup.${what}`, "console", rec.step, "failed", msg);
    }
  }

  close(): void {
    this.running?.abort.abort();
  }
}
