// One source's state in a line: its status as a badge, when it was last read, and why it fails — what an operator
// needs to trust (or not) what the page below shows.
import type { SourceInfo, SourceStatus } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { formatAgo, formatDateTime } from "../../../lib/format";
import { sourceQueries } from "../queries";

const badge: Record<SourceStatus, { label: string; style: string }> = {
  ok: {
    label: "live",
    style:
      "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  },
  stale: {
    label: "stale",
    style:
      "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  },
  failing: {
    label: "failing",
    style: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  },
  unconfigured: {
    label: "not configured",
    style:
      "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
  },
  "host-key-unknown": {
    label: "host key not approved",
    style:
      "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  },
  standby: {
    label: "CARP standby",
    style:
      "bg-slate-100 text-slate-700 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600",
  },
  "host-key-changed": {
    label: "host key changed",
    style: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
  },
};

export function SourceBadge({ status }: { status: SourceStatus }) {
  const b = badge[status];
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${b.style}`}>
      {b.label}
    </span>
  );
}

export function SourceState({ id, label }: { id: string; label: string }) {
  const sources = useQuery(sourceQueries.list());
  const source: SourceInfo | undefined = sources.data?.sources.find((s) => s.id === id);
  if (!source) return null;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700 dark:text-slate-300">
      <span className="font-medium">{label}</span>
      <SourceBadge status={source.status} />
      {source.lastRefresh ? (
        <span>
          read{" "}
          <time dateTime={source.lastRefresh} title={formatDateTime(source.lastRefresh)}>
            {formatAgo(source.lastRefresh)}
          </time>
        </span>
      ) : (
        <span>not read yet</span>
      )}
      {source.lastError && source.status !== "ok" && (
        <span className="basis-full break-words text-red-800 dark:text-red-300">
          {source.lastError.code}: {source.lastError.message}
        </span>
      )}
    </div>
  );
}
