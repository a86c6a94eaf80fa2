// The plan on disk: loaded at start, reloaded when the file changes, last good plan kept when an edit is invalid.
import { closeSync, constants, type FSWatcher, fstatSync, openSync, readSync, watch } from "node:fs";
import { basename, dirname } from "node:path";
import {
  type Finding,
  lintPlan,
  type Plan,
  type PlanError,
  type PlanResponse,
  safeMessage,
} from "@k3s-ha/shared";
import { parsePlanYaml } from "@k3s-ha/shared/plan-yaml";
import type { FastifyBaseLogger } from "fastify";
import fp from "fastify-plugin";
import type { Hub } from "./hub.js";
import type { AuditRecord } from "./store.js";

const RELOAD_DEBOUNCE_MS = 120;

export type PlanLoad = { ok: true; plan: Plan; findings: Finding[] } | { ok: false; errors: PlanError[] };

/** The largest plan file read: a plan is a few KiB; anything near this is a mistake or an attack. */
export const MAX_PLAN_BYTES = 1024 * 1024;

const KIND: [(s: ReturnType<typeof fstatSync>) => boolean, string][] = [
  [(s) => s.isDirectory(), "a directory"],
  [(s) => s.isFIFO(), "a FIFO"],
  [(s) => s.isCharacterDevice() || s.isBlockDevice(), "a device"],
  [(s) => s.isSocket(), "a socket"],
];

function fileError(file: string, reason: string): PlanLoad {
  return { ok: false, errors: [{ path: "(file)", segments: [], message: `cannot read ${file}: ${reason}` }] };
}

/**
 * Reads at most MAX_PLAN_BYTES + 1 bytes of a regular file. The size from stat is not trusted (/proc files say 0),
 * and the file is opened non-blocking and checked before reading, so a FIFO or a device cannot hang the server.
 */
export function readPlanText(file: string): { ok: true; text: string } | { ok: false; reason: string } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason:
        code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : (code ?? "error"),
    };
  }
  try {
    const stat = fstatSync(fd);
    const kind = KIND.find(([test]) => test(stat))?.[1];
    if (kind || !stat.isFile())
      return { ok: false, reason: `it is ${kind ?? "not a regular file"}, not a plan file` };
    const buffer = Buffer.alloc(MAX_PLAN_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_PLAN_BYTES)
      return { ok: false, reason: `it is larger than ${MAX_PLAN_BYTES / 1024} KiB; a plan is a few KiB` };
    if (buffer.subarray(0, length).includes(0))
      return { ok: false, reason: "it is a binary file (it holds NUL bytes)" };
    return { ok: true, text: buffer.toString("utf8", 0, length) };
  } catch (err) {
    return { ok: false, reason: (err as NodeJS.ErrnoException).code ?? "read error" };
  } finally {
    closeSync(fd);
  }
}

/** Reads, validates and lints a plan file; never throws (errors come back as data, the last good plan stays). */
export function loadPlanFile(file: string): PlanLoad {
  const read = readPlanText(file);
  if (!read.ok) return fileError(file, read.reason);
  const result = parsePlanYaml(read.text);
  if (!result.ok) return result;
  try {
    return { ok: true, plan: result.plan, findings: lintPlan(result.plan) };
  } catch (err) {
    return fileError(file, `reviewing the plan failed: ${safeMessage((err as Error).message)}`);
  }
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
    let result: PlanLoad;
    try {
      result = loadPlanFile(this.file);
    } catch (err) {
      // loadPlanFile answers bad files as data; this guards the reload timer against anything else.
      result = fileError(this.file, `unexpected failure: ${safeMessage((err as Error).message)}`);
    }
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
        detail: `revision ${this.revision}: ${errors === 0 ? "no error findings" : errors === 1 ? "1 error finding" : `${errors} error findings`}`,
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
