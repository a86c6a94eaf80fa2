// Test support (reads files, so only tests import it): the example plans, and the lab plan as a clean base to mutate.
import { readFileSync } from "node:fs";
import type { Plan } from "../schema.js";
import { parsePlanYaml } from "../yaml.js";
import type { Finding, Severity } from "./finding.js";
import { lintPlan } from "./index.js";

export function readExample(name: "lab" | "design-document"): string {
  return readFileSync(new URL(`../../../../../examples/${name}.yaml`, import.meta.url), "utf8");
}

export function loadExample(name: "lab" | "design-document"): Plan {
  const result = parsePlanYaml(readExample(name));
  if (!result.ok)
    throw new Error(`examples/${name}.yaml does not validate: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

/** The lab plan (clean apart from the documentation info), changed by `mutate`. */
export function labPlan(mutate: (plan: Plan) => void = () => {}): Plan {
  const plan = structuredClone(loadExample("lab"));
  mutate(plan);
  return plan;
}

/** The findings of one rule id, as {id, severity, paths}, for exact comparison. */
export function findings(plan: Plan, id: string): Pick<Finding, "id" | "severity" | "paths">[] {
  return lintPlan(plan)
    .filter((f) => f.id === id)
    .map(({ id, severity, paths }) => ({ id, severity, paths }));
}

export function finding(id: string, severity: Severity, ...paths: string[]) {
  return { id, severity, paths };
}

/** The full findings of one id, when a test looks at message or fix text. */
export function full(plan: Plan, id: string): Finding[] {
  return lintPlan(plan).filter((f) => f.id === id);
}

/** Ids of every error and warning (the lab plan has none). */
export function problems(plan: Plan): string[] {
  return lintPlan(plan)
    .filter((f) => f.severity !== "info")
    .map((f) => f.id);
}

/** One node of a plan under test (throws instead of returning undefined). */
export function nodeAt(plan: Plan, index: number): Plan["nodes"][number] {
  const node = plan.nodes[index];
  if (!node) throw new Error(`the plan has no nodes[${index}]`);
  return node;
}

/** Changes fields of one node of a plan being mutated. */
export function patchNode(plan: Plan, index: number, patch: Partial<Plan["nodes"][number]>): void {
  plan.nodes[index] = { ...nodeAt(plan, index), ...patch };
}
