// The banner shown when the plan file on disk does not validate: each error, and which plan is shown instead.
import type { PlanResponse } from "@k3s-ha/shared";
import { formatAgo, formatDateTime } from "../../../lib/format";

export function PlanErrorsBanner({ response }: { response: PlanResponse }) {
  const { errors, source, plan } = response;
  if (errors.length === 0) return null;
  return (
    <div
      data-testid="plan-errors"
      role="alert"
      className="mb-6 rounded-xl border border-red-300 bg-red-50 p-4 text-red-900 dark:border-red-800 dark:bg-red-950/50 dark:text-red-100"
    >
      <h2 className="font-semibold">
        {source.file} has {errors.length} error{errors.length === 1 ? "" : "s"}
        {plan ? " — the last good plan is shown below" : " — no valid plan has been loaded yet"}
      </h2>
      <p className="mt-1 text-sm text-red-800 dark:text-red-200">
        Read{" "}
        <time dateTime={source.loadedAt} title={formatDateTime(source.loadedAt)}>
          {formatAgo(source.loadedAt)}
        </time>{" "}
        (revision {source.revision}). Fix the file; the console reads it again when it changes.
      </p>
      <ul className="mt-3 space-y-1.5 text-sm">
        {errors.map((error, i) => (
          <li
            // Errors have no id and the same path can fail twice; the list is replaced whole, never reordered.
            key={i}
            className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5"
          >
            <code className="rounded bg-white/70 px-1.5 font-mono text-xs ring-1 ring-red-200 dark:bg-red-950 dark:ring-red-800">
              {error.path}
            </code>
            {error.line !== undefined && (
              <span className="text-xs text-red-800 dark:text-red-300">
                line {error.line}
                {error.column !== undefined ? `:${error.column}` : ""}
              </span>
            )}
            <span>{error.message}</span>
            {error.value !== undefined && (
              <span className="text-red-800 dark:text-red-300">
                (got <code className="font-mono text-xs">{shortJson(error.value)}</code>)
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
