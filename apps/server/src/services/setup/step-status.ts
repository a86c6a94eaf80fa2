// A setup step's status and summary: from its record (what the console applied, verified or undid) and the live
// cluster (does it still hold, or already match), cached for a few seconds; what it waits for is judged on the
// statuses of the same listing.
import {
  type Plan,
  SETUP_STEPS,
  type SetupStepDef,
  type SetupStepId,
  type SetupStepStatus,
  type SetupStepSummary,
} from "@k3s-ha/shared";
import type { StepContext, StepDriver } from "./driver.js";
import type { SetupStore } from "./setup-store.js";

const DONE: readonly SetupStepStatus[] = ["satisfied", "applied", "verified"];
const TTL_MS = 10_000;

type Computed = { status: SetupStepStatus; problem?: string };

/** Nothing to apply: the step is checked by Verify (the router step on pfSense only). */
export function isManual(def: SetupStepDef, plan: Plan): boolean {
  return def.manual === "always" || (def.manual === "pfsense" && plan.bgp.router.platform === "pfsense-frr");
}

export class StepStatuses {
  /**
   * Live statuses for a few seconds: a listing reads every server and the router, and the page asks again on each
   * progress line. Any apply, verify or undo forgets them.
   */
  private readonly cache = new Map<SetupStepId, { until: number; value: Promise<Computed> }>();

  constructor(
    private readonly store: SetupStore,
    private readonly drivers: Partial<Record<SetupStepId, StepDriver>>,
    private readonly context: (plan: Plan) => StepContext,
  ) {}

  invalidate(): void {
    this.cache.clear();
  }

  status(def: SetupStepDef, plan: Plan): Promise<Computed> {
    const hit = this.cache.get(def.id);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = this.live(def, plan);
    this.cache.set(def.id, { until: Date.now() + TTL_MS, value });
    return value;
  }

  /** From the record, and (for applied steps) whether live still holds what the step wrote. */
  private async live(def: SetupStepDef, plan: Plan): Promise<Computed> {
    const rec = this.store.get(def.id);
    const driver = this.drivers[def.id];
    if (isManual(def, plan) || !driver?.apply) {
      if (!rec?.checks || rec.state === "undone") return { status: "not-started" };
      return { status: rec.state === "failed" ? "failed" : "verified" };
    }
    if (rec?.state === "failed" || rec?.state === "applying" || rec?.state === "undoing")
      return { status: "failed" };
    const ctx = this.context(plan);
    try {
      if (rec && (rec.state === "applied" || rec.state === "verified")) {
        const holds = driver.holds ? await driver.holds(ctx, rec) : true;
        return holds ? { status: rec.state } : { status: "drifted" };
      }
      const planned = await driver.plan({ ...ctx, preview: false });
      return { status: planned.satisfied ? "satisfied" : "not-started" };
    } catch (err) {
      return {
        status: rec?.state === "verified" ? "verified" : "not-started",
        problem: err instanceof Error ? err.message : String(err),
      };
    }
  }

  summary(
    def: SetupStepDef,
    plan: Plan,
    statuses: Map<SetupStepId, SetupStepStatus>,
    problem: string | undefined,
    running: { step: SetupStepId; progress: string[] } | undefined,
  ): SetupStepSummary {
    const rec = this.store.get(def.id);
    const status = statuses.get(def.id) ?? "not-started";
    const blockedBy = def.requires
      .filter((r) => !DONE.includes(statuses.get(r) ?? "not-started"))
      .map((r) => `${SETUP_STEPS[r].title} (${r}) is ${statuses.get(r) ?? "not-started"}`);
    if (problem) blockedBy.push(`the live state cannot be read: ${problem}`);
    const isRunning = running?.step === def.id;
    const progress = isRunning ? running?.progress : rec?.progress;
    return {
      id: def.id,
      title: def.title,
      status,
      ...(isManual(def, plan) ? { manual: true as const } : {}),
      options: [...def.options],
      risky: def.risky,
      undoable: def.undoable && !isManual(def, plan),
      why: def.why,
      corrections: [...def.corrections],
      ...(blockedBy.length ? { blockedBy } : {}),
      ...(rec?.last ? { last: rec.last } : {}),
      ...(rec?.checks ? { checks: rec.checks } : {}),
      ...(isRunning ? { running: true as const } : {}),
      ...(progress?.length ? { progress: [...progress] } : {}),
    };
  }
}
