// Every source the console reads, with its status, when it was last read and why it fails: the Overview's "can I
// trust what I see" card. Ages move on the `sources` heartbeat (every 10 s).
import { useQuery } from "@tanstack/react-query";
import { Card, CardTitle, LoadError, Loading } from "../../../components/ui";
import { formatAgo, formatDateTime } from "../../../lib/format";
import { sourceQueries } from "../queries";
import { SourceBadge } from "./source-state";

const LABELS: Record<string, string> = {
  router: "Router",
  kubernetes: "Kubernetes API",
  dns: "DNS",
  endpoints: "API endpoints",
};

export const sourceLabel = (id: string) =>
  LABELS[id] ?? (id.startsWith("node:") ? `Node ${id.slice(5)}` : id);

export function SourcesCard() {
  const sources = useQuery(sourceQueries.list());
  return (
    <Card>
      <CardTitle>Sources</CardTitle>
      {sources.isPending ? (
        <Loading what="the sources" />
      ) : sources.isError ? (
        <div className="p-4">
          <LoadError what="the sources" error={sources.error} />
        </div>
      ) : sources.data.sources.length === 0 ? (
        <p className="p-4 text-sm text-slate-700 dark:text-slate-300">No source is being read yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">
          {sources.data.sources.map((s) => (
            <li key={s.id} className="space-y-1 px-4 py-3 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium">{sourceLabel(s.id)}</span>
                <SourceBadge status={s.status} />
              </div>
              <p className="text-slate-600 dark:text-slate-400">
                {s.lastRefresh ? (
                  <>
                    Last read{" "}
                    <time dateTime={s.lastRefresh} title={formatDateTime(s.lastRefresh)}>
                      {formatAgo(s.lastRefresh)}
                    </time>
                    {s.intervalMs ? `, every ${s.intervalMs / 1000} s` : ""}
                  </>
                ) : (
                  "Not read yet"
                )}
              </p>
              {s.lastError && s.status !== "ok" && (
                <p className="break-words text-red-800 dark:text-red-300">
                  {s.lastError.code}: {s.lastError.message}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
