// Lint findings grouped by severity; hovering or focusing one previews the items it involves on the map,
// clicking pins that highlight (and zooms the map to them).
import type { Finding } from "@k3s-ha/shared";
import type { FocusEvent } from "react";
import { groupBySeverity, severities } from "../findings";
import { severityStyles } from "./kind-styles";
import { SeverityBadge } from "./severity-badge";

/** Findings have no unique id (a rule may fire per node): its id and paths identify one. */
export function findingKey(finding: Finding): string {
  return `${finding.id}|${finding.paths.join(",")}`;
}

interface FindingsListProps {
  findings: readonly Finding[];
  pinnedKey: string | null;
  onPreview: (finding: Finding | null) => void;
  onTogglePin: (finding: Finding) => void;
}

export function FindingsList({ findings, pinnedKey, onPreview, onTogglePin }: FindingsListProps) {
  if (findings.length === 0) {
    return (
      <p className="p-4 text-sm text-emerald-800 dark:text-emerald-300">
        No findings: the plan passes every check.
      </p>
    );
  }
  const groups = groupBySeverity(findings);
  const leave = (event: FocusEvent<HTMLElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onPreview(null);
  };

  return (
    <div className="space-y-5 p-4">
      {severities.map((severity) =>
        groups[severity].length === 0 ? null : (
          <section key={severity} aria-labelledby={`findings-${severity}`}>
            <h3 id={`findings-${severity}`} className="mb-2 flex items-center gap-2 text-sm font-semibold">
              <SeverityBadge severity={severity} count={groups[severity].length} />
              <span className="sr-only">findings</span>
            </h3>
            <ul className="space-y-2">
              {groups[severity].map((finding) => {
                const key = findingKey(finding);
                const pinned = key === pinnedKey;
                return (
                  <li
                    key={key}
                    data-finding-id={finding.id}
                    data-severity={finding.severity}
                    data-pinned={pinned || undefined}
                    onMouseEnter={() => onPreview(finding)}
                    onMouseLeave={() => onPreview(null)}
                    onFocus={() => onPreview(finding)}
                    onBlur={leave}
                    className={`rounded-lg border p-3 transition-shadow ${severityStyles[severity].panel} ${
                      pinned ? `ring-2 ${severityStyles[severity].ring}` : ""
                    }`}
                  >
                    <button
                      type="button"
                      aria-pressed={pinned}
                      onClick={() => onTogglePin(finding)}
                      className="block w-full rounded text-left"
                    >
                      <span className="flex items-center justify-between gap-2">
                        <code className="font-mono text-xs text-slate-600 dark:text-slate-400">
                          {finding.id}
                        </code>
                        <span className="shrink-0 text-xs font-medium text-slate-600 dark:text-slate-400">
                          {pinned ? "Shown on map ✓" : "Show on map"}
                        </span>
                      </span>
                      <span className="mt-1 block text-sm text-slate-900 dark:text-slate-100">
                        {finding.message}
                      </span>
                    </button>
                    <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
                      <span className="font-semibold text-slate-900 dark:text-slate-100">Fix: </span>
                      {finding.fix}
                    </p>
                    {finding.paths.length > 0 && (
                      <p className="mt-2 flex flex-wrap gap-1">
                        {finding.paths.map((path) => (
                          <code
                            key={path}
                            className="rounded bg-white/70 px-1.5 py-0.5 font-mono text-[0.6875rem] text-slate-700 ring-1 ring-slate-200 ring-inset dark:bg-slate-900/70 dark:text-slate-300 dark:ring-slate-700"
                          >
                            {path}
                          </code>
                        ))}
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        ),
      )}
    </div>
  );
}
