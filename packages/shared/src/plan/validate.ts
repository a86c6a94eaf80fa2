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

/** The most errors one answer carries; the rest are counted in a last entry. */
export const MAX_PLAN_ERRORS = 50;
/** The longest value or message text echoed back. */
export const MAX_ECHO_CHARS = 200;

/** Fields whose values are secrets or point at them: their values are never echoed. */
const SECRET_FIELD = /secret|key|password|passphrase|token|kubeconfig|tsig|credential|private/i;
/** Text that looks like key material: PEM/OpenSSH blocks, BIND key statements, long base64 runs. */
const KEY_MATERIAL = /-----BEGIN|PRIVATE KEY|\bsecret\s+"|\bssh-(ed25519|rsa|dss)\s|[A-Za-z0-9+/]{40,}={0,2}/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Text from the file or a library made safe to show: control and bidi characters escaped, length capped. */
export function safeMessage(text: string, max = MAX_ECHO_CHARS): string {
  const escaped = text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}

/**
 * The value an error may echo: short scalars only, never under a field that names a secret, never anything
 * that looks like key material, never the whole document (a key file given as the plan is one string).
 */
export function echoableValue(segments: readonly (string | number)[], value: unknown): unknown {
  if (segments.length === 0) return undefined;
  if (segments.some((s) => typeof s === "string" && SECRET_FIELD.test(s))) return undefined;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (typeof value !== "string" || KEY_MATERIAL.test(value)) return undefined;
  return safeMessage(value);
}

/** Keeps at most MAX_PLAN_ERRORS errors and says how many more there were. */
export function capPlanErrors(result: PlanResult): PlanResult {
  if (result.ok || result.errors.length <= MAX_PLAN_ERRORS) return result;
  const rest = result.errors.length - MAX_PLAN_ERRORS;
  return {
    ok: false,
    errors: [
      ...result.errors.slice(0, MAX_PLAN_ERRORS),
      { path: "(document)", segments: [], message: `${rest} more error(s) not shown; fix these first` },
    ],
  };
}

export function validatePlan(data: unknown): PlanResult {
  const result = planSchema.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, plan: result.data };
  const errors = result.error.issues.map((issue): PlanError => {
    const segments = issue.path.filter((s): s is string | number => typeof s !== "symbol");
    const error: PlanError = {
      path: safeMessage(formatPath(segments)),
      segments,
      message: safeMessage(describe(issue), 2 * MAX_ECHO_CHARS),
    };
    const value = issue.code === "unrecognized_keys" ? undefined : echoableValue(segments, issue.input);
    if (value !== undefined) error.value = value;
    return error;
  });
  return capPlanErrors({ ok: false, errors });
}

export function formatPlanError(e: PlanError, file?: string): string {
  const where = e.line ? `${file ?? "plan"}:${e.line}:${e.column ?? 1}` : (file ?? "plan");
  const value = e.value === undefined ? "" : ` (got ${JSON.stringify(e.value)})`;
  return `${where}: ${e.path}: ${e.message}${value}`;
}
