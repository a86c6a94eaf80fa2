// Request and response bodies of the HTTP API, shared by server routes and the web client.
import { z } from "zod";
import type { Finding } from "../plan/lint/finding.js";
import type { Plan } from "../plan/schema.js";
import type { PlanError } from "../plan/validate.js";

/** Letters, digits, punctuation, symbols and plain spaces: no control, format (bidi) or unassigned characters. */
const PRINTABLE_NAME = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;

export const loginBodySchema = z.strictObject({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(PRINTABLE_NAME, "only printable characters (no control or bidi characters)"),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const passwordChangeBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});
export type PasswordChangeBody = z.infer<typeof passwordChangeBodySchema>;

export interface SessionInfo {
  user: string;
  /** Send back as the `x-csrf-token` header on every mutating request. */
  csrfToken: string;
}

export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

export interface PlanSource {
  file: string;
  /** `ok`: the file on disk is the plan shown; `invalid`: the file has errors and the last good plan is shown. */
  status: "ok" | "invalid";
  loadedAt: string;
  /** Increments each time the plan on disk is read again. */
  revision: number;
}

export interface PlanResponse {
  /** The last good plan (null if the file was never valid). File references are shown; no secret is ever loaded. */
  plan: Plan | null;
  findings: Finding[];
  /** Errors of the file on disk when it does not validate. */
  errors: PlanError[];
  source: PlanSource;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: "ok" | "denied" | "failed";
  detail: string | null;
}

export interface AuditResponse {
  entries: AuditEntry[];
}

export interface HealthResponse {
  status: "ok";
  version: string;
  uptimeSeconds: number;
}
