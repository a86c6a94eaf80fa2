// A lint finding and the shape every rule family shares.
import type { Plan } from "../schema.js";

export type Severity = "error" | "warning" | "info";

export interface Finding {
  /** Stable rule id, e.g. `vip-in-service-range`. */
  id: string;
  severity: Severity;
  /** What is wrong and why it matters to the operator. */
  message: string;
  /** Plan paths involved (the address map highlights these). */
  paths: string[];
  /** What to change. */
  fix: string;
  /**
   * The values the fix proposes, where it proposes exact ones: applying them (tests do, for every such finding)
   * makes the finding go away without raising a new error.
   */
  patch?: FixPatch[];
}

/** One value to write at a plan path (`network.apiVip`, `nodes[1].address`). */
export interface FixPatch {
  path: string;
  value: string | number | boolean | string[];
}

/** A rule family: a pure function from a validated plan to its findings. */
export type LintRule = (plan: Plan) => Finding[];

export const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
