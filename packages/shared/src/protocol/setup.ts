// The guided setup as the API and the Setup page see it: steps with their status, what a preview shows (changes with
// their diffs and the API server's dry-run answer), checks with evidence, and the bodies apply and undo take.
import { z } from "zod";

export const setupOptions = ["vip", "dns"] as const;
export type SetupOption = (typeof setupOptions)[number];

export const setupStepIds = [
  "preflight",
  "metallb",
  "pool",
  "bgp-config",
  "bgp-filter",
  "router",
  "apiserver-config",
  "api-service",
  "dns-vip",
  "dns-round-robin",
  "kubeconfig",
  "join-command",
] as const;
export type SetupStepId = (typeof setupStepIds)[number];

export const setupStepStatuses = [
  "not-started",
  "satisfied",
  "applied",
  "verified",
  "failed",
  "drifted",
] as const;
export type SetupStepStatus = (typeof setupStepStatuses)[number];

/** Where the design document is wrong for this step, and what the console does instead. */
export const setupCorrectionSchema = z.object({ document: z.string(), fails: z.string(), we: z.string() });
export type SetupCorrection = z.infer<typeof setupCorrectionSchema>;

/** One verification (or preflight) check: pass or fail, with what was seen. */
export const setupCheckSchema = z.object({
  id: z.string(),
  title: z.string(),
  ok: z.boolean(),
  /** A failed warning does not fail the step (e.g. Calico's readiness regression). */
  severity: z.enum(["error", "warning"]),
  evidence: z.string(),
});
export type SetupCheck = z.infer<typeof setupCheckSchema>;

/** One thing a step changes: a Kubernetes object, a host file, router configuration, DNS records. */
export const setupChangeSchema = z.object({
  kind: z.enum(["kubernetes", "host-file", "router", "dns", "manual"]),
  /** `kubernetes`, `node:<name>`, `router`, `dns`. */
  target: z.string(),
  /** "IPAddressPool metallb-system/api-vip". */
  object: z.string(),
  /** `skip`: shown, never written (what the step leaves out on purpose, with the reason in `note`). */
  action: z.enum(["create", "update", "unchanged", "delete", "manual", "skip"]),
  /** A line diff (`+`/`-`/` `) of what is live against what the step writes (empty when unchanged). */
  diff: z.string(),
  /** The API server's answer to the same write with dryRun=All (Kubernetes writes only). */
  dryRun: z.object({ ok: z.boolean(), message: z.string() }).optional(),
  /** Restarts a service, changes BGP or DNS, or can cut traffic: apply needs `confirm: true`. */
  risky: z.boolean().optional(),
  /** Why this change is needed, in a sentence. */
  note: z.string().optional(),
});
export type SetupChange = z.infer<typeof setupChangeSchema>;

export const setupStepSummarySchema = z.object({
  id: z.enum(setupStepIds),
  title: z.string(),
  status: z.enum(setupStepStatuses),
  manual: z.literal(true).optional(),
  options: z.array(z.enum(setupOptions)),
  /** Apply (or undo) needs `confirm: true`. */
  risky: z.boolean(),
  undoable: z.boolean(),
  why: z.string(),
  corrections: z.array(setupCorrectionSchema),
  /** Why the step cannot be applied now (an earlier step, a failed preflight check). */
  blockedBy: z.array(z.string()).optional(),
  /** The last apply, verify or undo. */
  last: z
    .object({
      action: z.enum(["apply", "verify", "undo"]),
      at: z.string(),
      by: z.string(),
      ok: z.boolean(),
      message: z.string(),
    })
    .optional(),
  checks: z.array(setupCheckSchema).optional(),
  /** An apply or undo of this step is running now. */
  running: z.literal(true).optional(),
  /** What the running (or the last interrupted or failed) apply or undo has done. */
  progress: z.array(z.string()).optional(),
});
export type SetupStepSummary = z.infer<typeof setupStepSummarySchema>;

export const setupStepsResponseSchema = z.object({
  option: z.enum(setupOptions).optional(),
  steps: z.array(setupStepSummarySchema),
  /** Who holds the cluster's operation lock, if anyone. */
  operation: z
    .object({ kind: z.string(), id: z.string(), user: z.string(), what: z.string(), since: z.string() })
    .optional(),
});
export type SetupStepsResponse = z.infer<typeof setupStepsResponseSchema>;

export const setupPreviewSchema = z.object({
  step: setupStepSummarySchema,
  changes: z.array(setupChangeSchema),
  /** Nothing to apply: the live cluster already matches. */
  satisfied: z.boolean(),
  /** Manual steps: what the operator does by hand, as text (GUI settings, commands). */
  instructions: z.array(z.string()).optional(),
  /** Why apply would be refused now. */
  refusals: z.array(z.string()),
});
export type SetupPreview = z.infer<typeof setupPreviewSchema>;

export const setupActionResultSchema = z.object({
  step: setupStepSummarySchema,
  ok: z.boolean(),
  message: z.string(),
  changes: z.array(setupChangeSchema),
  checks: z.array(setupCheckSchema),
});
export type SetupActionResult = z.infer<typeof setupActionResultSchema>;

export const setupApplyBodySchema = z
  .strictObject({
    confirm: z.boolean().optional(),
    /** Take over fields another field manager owns (server-side apply force). Needs `confirm: true`. */
    force: z.boolean().optional(),
  })
  .default({});
export type SetupApplyBody = z.output<typeof setupApplyBodySchema>;

export const setupStepsQuerySchema = z.strictObject({ option: z.enum(setupOptions).optional() });
