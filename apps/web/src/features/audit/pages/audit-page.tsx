// Route /audit: the most recent audit entries, newest first; refreshed when the server reports a change.
import type { AuditEntry } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { Card, LoadError, Loading, PageHeader } from "../../../components/ui";
import { formatAgo, formatDateTime } from "../../../lib/format";
import { auditQueries } from "../queries";

const outcomeStyle: Record<AuditEntry["outcome"], string> = {
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  denied:
    "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  failed: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
};

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top";

export function AuditPage() {
  const { data, error, isPending } = useQuery(auditQueries.recent(100));
  return (
    <>
      <PageHeader title="Audit">Who signed in and what was changed or tested, newest first.</PageHeader>
      {isPending ? (
        <Loading what="the audit log" />
      ) : error ? (
        <LoadError what="the audit log" error={error} />
      ) : data.entries.length === 0 ? (
        <Card className="p-6 text-sm text-slate-700 dark:text-slate-300">No audit entries yet.</Card>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full min-w-[48rem] text-sm">
            <caption className="sr-only">Audit entries</caption>
            <thead className="bg-slate-50 dark:bg-slate-900/60">
              <tr>
                {["Time", "Actor", "Action", "Target", "Outcome", "Detail"].map((h) => (
                  <th key={h} scope="col" className={th}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.entries.map((entry) => (
                <tr key={entry.id} className="border-t border-slate-200 dark:border-slate-800">
                  <td className={`${td} whitespace-nowrap`}>
                    <time dateTime={entry.at} title={formatAgo(entry.at)}>
                      {formatDateTime(entry.at)}
                    </time>
                  </td>
                  <td className={td}>{entry.actor}</td>
                  <td className={td}>
                    <code className="font-mono text-xs">{entry.action}</code>
                  </td>
                  <td className={td}>{entry.target ?? "—"}</td>
                  <td className={td}>
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${outcomeStyle[entry.outcome]}`}
                    >
                      {entry.outcome}
                    </span>
                  </td>
                  <td className={`${td} text-slate-700 dark:text-slate-300`}>{entry.detail ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </>
  );
}
