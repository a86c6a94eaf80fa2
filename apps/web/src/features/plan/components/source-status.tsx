// The plan file's state: which file, valid or not, when it was read.
import type { PlanSource } from "@k3s-ha/shared";
import { useIsStale } from "../../../components/stale-notice";
import { formatAgo, formatDateTime } from "../../../lib/format";

export function SourceStatus({ source }: { source: PlanSource }) {
  // While the live channel is down nobody knows whether the file changed since: say so instead of "valid".
  const stale = useIsStale();
  const ok = source.status === "ok";
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
      <span
        className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 font-semibold ring-1 ring-inset ${
          ok
            ? "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800"
            : "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800"
        }`}
      >
        <span
          aria-hidden="true"
          className={`size-1.5 rounded-full ${ok ? "bg-emerald-600" : "bg-red-600"}`}
        />
        {ok ? "File valid" : "File invalid"}
        {stale && <span className="font-normal"> when last seen (not live)</span>}
      </span>
      <code className="font-mono">{source.file}</code>
      <span>
        read{" "}
        <time dateTime={source.loadedAt} title={formatDateTime(source.loadedAt)}>
          {formatAgo(source.loadedAt)}
        </time>
        , revision {source.revision}
      </span>
    </div>
  );
}
