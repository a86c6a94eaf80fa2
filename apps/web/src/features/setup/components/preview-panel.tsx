// What a step would change now: each object or file against what is live (its diff), the API server's dry-run
// answer, why it is needed, what the operator does by hand, and why apply would be refused.
import type { SetupPreview } from "@k3s-ha/shared";
import { Mono, Pill } from "../../../components/ui";
import { DiffView } from "./diff-view";
import { actionText } from "./format";

export function PreviewPanel({ preview }: { preview: SetupPreview }) {
  return (
    <div className="mt-3 space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
      <p className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        {preview.satisfied
          ? "Nothing to apply: the live cluster already matches."
          : `Preview: ${preview.changes.filter((c) => c.action !== "unchanged" && c.action !== "skip").length} change(s)`}
      </p>
      {preview.refusals.length > 0 && (
        <div
          role="alert"
          className="rounded-lg bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200"
        >
          <p className="font-semibold">Apply is refused now:</p>
          <ul className="mt-1 list-disc pl-5">
            {preview.refusals.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {preview.instructions && (
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700 dark:text-slate-300">
          {preview.instructions.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ol>
      )}
      <ul className="space-y-3">
        {preview.changes.map((c) => (
          <li key={`${c.target} ${c.object}`} className="text-sm">
            <div className="flex flex-wrap items-baseline gap-2">
              <Pill
                tone={c.action === "unchanged" || c.action === "skip" ? "neutral" : c.risky ? "warn" : "good"}
              >
                {actionText[c.action]}
              </Pill>
              <Mono>{c.object}</Mono>
              <span className="text-xs text-slate-600 dark:text-slate-400">on {c.target}</span>
            </div>
            {c.note && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{c.note}</p>}
            {c.dryRun && (
              <p
                className={`mt-1 text-xs ${c.dryRun.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}
              >
                Dry-run: {c.dryRun.message}
              </p>
            )}
            <DiffView diff={c.diff} label={`Diff of ${c.object} on ${c.target}`} />
          </li>
        ))}
      </ul>
    </div>
  );
}
