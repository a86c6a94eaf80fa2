// A step's checks (Verify or preflight): pass or fail with the evidence each rests on.
import type { SetupCheck } from "@k3s-ha/shared";
import { Pill } from "../../../components/ui";

export function ChecksList({ checks }: { checks: readonly SetupCheck[] }) {
  if (!checks.length) return null;
  const failing = checks.filter((c) => !c.ok).length;
  return (
    <details open={failing > 0} className="mt-3">
      <summary className="cursor-pointer text-sm font-medium text-slate-800 dark:text-slate-200">
        {failing ? `${failing} of ${checks.length} checks fail` : `All ${checks.length} checks pass`}
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
