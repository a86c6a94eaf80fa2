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
export interface SetupCorrection {
  document: string;
  fails: string;
  we: string;
}

/** One verification (or preflight) check: pass or fail, with what was seen. */
export interface SetupCheck {
  id: string;
  title: string;
  ok: boolean;
  /** A failed warning does not fail the step (e.g. Calico's readiness regression). */
  severity: "error" | "warning";
  evidence: string;
}

/** One thing a step changes: a Kubernetes object, a host file, router configuration, DNS records. */
export interface SetupChange {
  kind: "kubernetes" | "host-file" | "router" | "dns" | "manual";
  /** `kubernetes`, `node:<name>`, `router`, `dns`. */
  target: string;
  /** "IPAddressPool metallb-system/api-vip". */
  object: string;
  action: "create" | "update" | "unchanged" | "delete" | "manual";
  /** A unified diff of what is live against what the step writes (empty when unchanged). */
  diff: string;
  /** The API server's answer to the same write with dryRun=All (Kubernetes writes only). */
  dryRun?: { ok: boolean; message: string };
  /** Restarts a service, changes BGP or DNS, or can cut traffic: apply needs `confirm: true`. */
  risky?: boolean;
  /** Why this change is needed, in a sentence. */
  note?: string;
}

export interface SetupStepSummary {
  id: SetupStepId;
  title: string;
  status: SetupStepStatus;
  manual?: true;
  options: SetupOption[];
  /** Apply (or undo) needs `confirm: true`. */
  risky: boolean;
  undoable: boolean;
  why: string;
  corrections: SetupCorrection[];
  /** Why the step cannot be applied now (an earlier step, a failed preflight check). */
  blockedBy?: string[];
  /** The last apply, verify or undo. */
  last?: { action: "apply" | "verify" | "undo"; at: string; by: string; ok: boolean; message: string };
  checks?: SetupCheck[];
}

export interface SetupStepsResponse {
  option?: SetupOption;
  steps: SetupStepSummary[];
  /** Who holds the cluster's operation lock, if anyone. */
  operation?: { kind: string; id: string; user: string; what: string; since: string };
}

export interface SetupPreview {
  step: SetupStepSummary;
  changes: SetupChange[];
  /** Nothing to apply: the live cluster already matches. */
  satisfied: boolean;
  /** Manual steps: what the operator does by hand, as text (GUI settings, commands). */
  instructions?: string[];
  /** Why apply would be refused now. */
  refusals: string[];
}

export interface SetupActionResult {
  step: SetupStepSummary;
  ok: boolean;
  message: string;
  changes: SetupChange[];
  checks: SetupCheck[];
}

export const setupApplyBodySchema = z
  .strictObject({
    confirm: z.boolean().optional(),
    /** Take over fields another field manager owns (server-side apply force). Needs `confirm: true`. */
    force: z.boolean().optional(),
  })
  .default({});
export type SetupApplyBody = z.output<typeof setupApplyBodySchema>;

export const setupStepsQuerySchema = z.strictObject({ option: z.enum(setupOptions).optional() });
