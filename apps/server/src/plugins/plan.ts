// The plan on disk: loaded at start, reloaded when the file changes, last good plan kept when an edit is invalid.
import { type FSWatcher, readFileSync, watch } from "node:fs";
import { basename, dirname } from "node:path";
import { type Finding, lintPlan, type Plan, type PlanError, type PlanResponse } from "@k3s-ha/shared";
import { parsePlanYaml } from "@k3s-ha/shared/plan-yaml";
import type { FastifyBaseLogger } from "fastify";
import fp from "fastify-plugin";
import type { Hub } from "./hub.js";
import type { AuditRecord } from "./store.js";

const RELOAD_DEBOUNCE_MS = 120;

export type PlanLoad = { ok: true; plan: Plan; findings: Finding[] } | { ok: false; errors: PlanError[] };

/** Reads and validates a plan file; never throws for a bad file (errors come back as data). */
export function loadPlanFile(file: string): PlanLoad {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message;
    return {
      ok: false,
      errors: [{ path: "(file)", segments: [], message: `cannot read ${file}: ${reason}` }],
    };
  }
  const result = parsePlanYaml(text);
  return result.ok ? { ok: true, plan: result.plan, findings: lintPlan(result.plan) } : result;
}

export class PlanSource {
  private good: { plan: Plan; findings: Finding[] } | null = null;
  private errors: PlanError[] = [];
  private loadedAt = new Date().toISOString();
  private revision = 0;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly file: string,
    private readonly hub: Hub,
    private readonly log: FastifyBaseLogger,
    private readonly audit: (record: AuditRecord) => void,
  ) {
    this.reload();
  }

  reload(): void {
    const result = loadPlanFile(this.file);
    const action = this.revision === 0 ? "plan.load" : "plan.reload";
    this.revision++;
    this.loadedAt = new Date().toISOString();
    if (result.ok) {
      this.good = { plan: result.plan, findings: result.findings };
      this.errors = [];
      this.log.info({ file: this.file, findings: result.findings.length }, "plan loaded");
      const errors = result.findings.filter((f) => f.severity === "error").length;
      this.audit({
        actor: "plan-file",
        action,
        target: this.file,
        outcome: "ok",
        detail: `revision ${this.revision}, ${errors} error finding(s)`,
      });
    } else {
      this.errors = result.errors;
      this.log.warn(
        { file: this.file, errors: result.errors.length },
        "plan file invalid; keeping the last good plan",
      );
      this.audit({
        actor: "plan-file",
        action,
        target: this.file,
        outcome: "failed",
        detail: `revision ${this.revision} not valid (${result.errors.length} error(s)); the last good plan stays in force`,
      });
    }
    this.hub.publish("plan");
  }

  /** Watch the folder, not the file: editors often save by writing a new file and renaming it over the old one. */
  watch(): void {
    const name = basename(this.file);
    this.watcher = watch(dirname(this.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.reload(), RELOAD_DEBOUNCE_MS);
    });
  }

  close(): void {
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
  }

  get plan(): Plan | null {
    return this.good?.plan ?? null;
  }

  response(): PlanResponse {
    return {
      plan: this.good?.plan ?? null,
      findings: this.good?.findings ?? [],
      errors: this.errors,
      source: {
        file: this.file,
        status: this.errors.length > 0 ? "invalid" : "ok",
        loadedAt: this.loadedAt,
        revision: this.revision,
      },
    };
  }
}

declare module "fastify" {
  interface FastifyInstance {
    planSource: PlanSource;
  }
}

export default fp<{ planFile: string; watch: boolean }>(
  async (app, opts) => {
    const source = new PlanSource(opts.planFile, app.hub, app.log, app.audit);
    if (opts.watch) source.watch();
    app.decorate("planSource", source);
    app.addHook("onClose", async () => source.close());
  },
  { name: "plan", dependencies: ["hub", "audit"] },
);
