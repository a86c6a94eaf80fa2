// Validates an already-parsed plan object and turns zod issues into errors that name path, value and expectation.
import type { z } from "zod";
import { formatPath } from "./path.js";
import { type Plan, planSchema } from "./schema.js";

export interface PlanError {
  /** The YAML path, e.g. `nodes[1].address`. */
  path: string;
  /** Raw path segments, for locating the value in a source document. */
  segments: (string | number)[];
  /** The offending value as written, when there is one. */
  value?: unknown;
  message: string;
  line?: number;
  column?: number;
}

export type PlanResult = { ok: true; plan: Plan } | { ok: false; errors: PlanError[] };

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `is required (expected ${issue.expected})`
        : `expected ${issue.expected}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} (secrets go in files referenced by *File fields, never inline)`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return issue.message;
  }
}

export function validatePlan(data: unknown): PlanResult {
  const result = planSchema.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, plan: result.data };
  const errors = result.error.issues.map((issue): PlanError => {
    const segments = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    const error: PlanError = { path: formatPath(segments), segments, message: describe(issue) };
    if (issue.input !== undefined && issue.code !== "unrecognized_keys") error.value = issue.input;
    return error;
  });
  return { ok: false, errors };
}

export function formatPlanError(e: PlanError, file?: string): string {
  const where = e.line ? `${file ?? "plan"}:${e.line}:${e.column ?? 1}` : (file ?? "plan");
  const value = e.value === undefined ? "" : ` (got ${JSON.stringify(e.value)})`;
  return `${where}: ${e.path}: ${e.message}${value}`;
}
