// A step's checks (Verify or preflight): pass or fail with the evidence each rests on.
import type { SetupCheck } from "@k3s-ha/shared";
import { Pill } from "../../../components/ui";

/** "All 9 checks pass", "2 of 9 checks fail", "8 of 9 checks pass; 1 warning" (a warning never fails a step). */
export function checksSummary(checks: readonly SetupCheck[]): string {
  const failing = checks.filter((c) => !c.ok && c.severity !== "warning").length;
  const warnings = checks.filter((c) => !c.ok && c.severity === "warning").length;
  const head = failing
    ? `${failing} of ${checks.length} checks fail`
    : warnings
      ? `${checks.length - warnings} of ${checks.length} checks pass`
      : `All ${checks.length} checks pass`;
  return warnings ? `${head}; ${warnings} ${warnings === 1 ? "warning" : "warnings"}` : head;
}

export function ChecksList({ checks }: { checks: readonly SetupCheck[] }) {
  if (!checks.length) return null;
  return (
    <details open={checks.some((c) => !c.ok)} className="mt-3">
      <summary className="cursor-pointer text-sm font-medium text-slate-800 dark:text-slate-200">
        {checksSummary(checks)}
      </summary>
      <ul className="mt-2 space-y-2" aria-label="Checks">
        {checks.map((c) => (
          <li key={c.id} className="flex flex-col gap-1 text-sm sm:flex-row sm:items-baseline sm:gap-3">
            <span className="shrink-0">
              <Pill tone={c.ok ? "good" : c.severity === "warning" ? "warn" : "bad"}>
                {c.ok ? "pass" : c.severity === "warning" ? "warning" : "fail"}
              </Pill>
            </span>
            <span className="min-w-0">
              <span className="font-medium text-slate-900 dark:text-slate-100">{c.title}</span>
              <span className="block text-xs break-words text-slate-600 dark:text-slate-400">
                {c.evidence}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
