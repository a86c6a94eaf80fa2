// What this console can run: each scenario in words, what its restore does, what faultS means for it, whether
// every action it needs is supported; and who holds the cluster's operation lock.
import { type failoverCatalogSchema, faultKind, restorePlan, scenarios } from "@k3s-ha/shared";
import type { z } from "zod";
import type { OperationLock } from "../operation-lock.js";
import { supportedActions } from "./actions.js";

export type FailoverCatalog = z.infer<typeof failoverCatalogSchema>;

/** The actions a scenario needs that this console cannot run (empty: it can run). */
export function missingActions(id: keyof typeof scenarios): string[] {
  const needs = scenarios[id].steps.flatMap((s) => [s.action, ...(s.restore ? [s.restore.action] : [])]);
  return [...new Set(needs.filter((a) => !supportedActions.has(a)))];
}

export function failoverCatalog(lock: OperationLock, activeRun: string | null): FailoverCatalog {
  const holder = lock.current();
  return {
    scenarios: Object.values(scenarios).map((s) => {
      const missing = missingActions(s.id);
      return {
        id: s.id,
        title: s.title,
        effect: s.effect,
        destructive: s.destructive,
        restore: restorePlan(s, s.steps.length).map((r) => r?.action ?? ""),
        fault: faultKind(s),
        available: missing.length === 0,
        ...(missing.length
          ? { unavailableReason: `needs ${missing.join(", ")}, not in this console version yet` }
          : {}),
      };
    }),
    lock: holder ? { ...holder, description: lock.describe(holder) ?? "" } : null,
    activeRun,
  };
}
