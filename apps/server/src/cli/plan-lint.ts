// `k3s-ha plan lint FILE [--json]`: exit 0 without error-level findings, 1 with one, 2 when the file is not a valid plan.
import { type Finding, formatPlanError } from "@k3s-ha/shared";
import { loadPlanFile } from "../plugins/plan.js";

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  color: boolean;
}

const SEVERITY_COLOR: Record<Finding["severity"], string> = { error: "31", warning: "33", info: "36" };

function paint(o: Output, code: string, text: string): string {
  return o.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function formatFindingsTable(findings: Finding[], o: Output): string {
  if (findings.length === 0) return "No findings.";
  const sevWidth = 7;
  const idWidth = Math.max(4, ...findings.map((f) => f.id.length));
  const lines = [`${"SEVERITY".padEnd(sevWidth + 1)} ${"RULE".padEnd(idWidth)}  MESSAGE`];
  for (const f of findings) {
    const sev = paint(o, SEVERITY_COLOR[f.severity], f.severity.toUpperCase().padEnd(sevWidth + 1));
    lines.push(`${sev} ${f.id.padEnd(idWidth)}  ${f.message}`);
    const indent = " ".repeat(sevWidth + 2 + idWidth + 2);
    if (f.paths.length > 0) lines.push(`${indent}at:  ${f.paths.join(", ")}`);
    lines.push(`${indent}fix: ${f.fix}`);
  }
  const count = (s: Finding["severity"]) => findings.filter((f) => f.severity === s).length;
  lines.push("", `${count("error")} error(s), ${count("warning")} warning(s), ${count("info")} info`);
  return lines.join("\n");
}

export function planLint(file: string, json: boolean, o: Output): number {
  const result = loadPlanFile(file);
  if (!result.ok) {
    if (json) o.out(JSON.stringify({ valid: false, errors: result.errors }, null, 2));
    o.err(`${file} is not a valid plan (${result.errors.length} error(s)):`);
    for (const e of result.errors) o.err(`  ${formatPlanError(e, file)}`);
    return 2;
  }
  if (json) o.out(JSON.stringify(result.findings, null, 2));
  else o.out(formatFindingsTable(result.findings, o));
  return result.findings.some((f) => f.severity === "error") ? 1 : 0;
}
