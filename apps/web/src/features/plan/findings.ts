// Which findings concern which map items: plan paths of a finding matched against range and address paths.
import { type Finding, type Severity, severityOrder } from "@k3s-ha/shared";

function isInside(inner: string, outer: string): boolean {
  if (!inner.startsWith(outer)) return false;
  const next = inner[outer.length];
  return next === "." || next === "[";
}

/**
 * True when two plan paths name the same field or one lies inside the other:
 * `nodes[1]` and `network.hostRange.to` match `nodes[1].address` and `network.hostRange`; `nodes[10]` does not match `nodes[1]`.
 */
export function pathsMatch(a: string, b: string): boolean {
  return a === b || isInside(a, b) || isInside(b, a);
}

export function findingConcerns(finding: Pick<Finding, "paths">, itemPath: string): boolean {
  return finding.paths.some((path) => pathsMatch(path, itemPath));
}

export function findingsAbout(findings: readonly Finding[], itemPath: string): Finding[] {
  return findings.filter((finding) => findingConcerns(finding, itemPath));
}

export function worstSeverity(findings: readonly Pick<Finding, "severity">[]): Severity | null {
  let worst: Severity | null = null;
  for (const { severity } of findings) {
    if (worst === null || severityOrder[severity] < severityOrder[worst]) worst = severity;
  }
  return worst;
}

export const severities: readonly Severity[] = ["error", "warning", "info"];

export function groupBySeverity(findings: readonly Finding[]): Record<Severity, Finding[]> {
  const groups: Record<Severity, Finding[]> = { error: [], warning: [], info: [] };
  for (const finding of findings) groups[finding.severity].push(finding);
  return groups;
}
