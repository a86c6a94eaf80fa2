// Route /failover/compare?a=&b=: two runs side by side per way in and connection mode (VIP against DNS, before
// against after a change) — downtime, longest gap and p99 latency, with the difference.
import type { RunDetail } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { Link, useSearch } from "wouter";
import { Card, CardTitle, LoadError, Loading, PageHeader } from "../../../components/ui";
import { formatDateTime } from "../../../lib/format";
import { endpointLabel, formatMs } from "../components/format";
import { failoverQueries } from "../queries";

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 tabular-nums";

const title = (r: RunDetail) =>
  `${r.scenario}${r.node ? ` on ${r.node}` : ""}, ${formatDateTime(r.startedAt)}`;

export default function ComparePage() {
  const params = new URLSearchParams(useSearch());
  const a = useQuery({ ...failoverQueries.run(params.get("a") ?? ""), enabled: Boolean(params.get("a")) });
  const b = useQuery({ ...failoverQueries.run(params.get("b") ?? ""), enabled: Boolean(params.get("b")) });
  if (!params.get("a") || !params.get("b"))
    return (
      <PageHeader title="Compare runs">
        Pick two runs on the{" "}
        <Link href="/failover" className="text-sky-700 underline dark:text-sky-400">
          Failover
        </Link>{" "}
        page.
      </PageHeader>
    );
  if (a.isPending || b.isPending) return <Loading what="the runs" />;
  if (a.isError) return <LoadError what="the first run" error={a.error} />;
  if (b.isError) return <LoadError what="the second run" error={b.error} />;
  const keys = [
    ...new Set([...a.data.results, ...b.data.results].map((r) => `${r.endpoint}\u0000${r.mode}`)),
  ].sort();
  const find = (run: RunDetail, key: string) =>
    run.results.find((r) => `${r.endpoint}\u0000${r.mode}` === key);
  return (
    <>
      <PageHeader title="Compare runs">
        A: {title(a.data)}. B: {title(b.data)}.{" "}
        <Link href="/failover" className="text-sky-700 underline dark:text-sky-400">
          All runs
        </Link>
      </PageHeader>
      <Card>
        <CardTitle aside="B minus A: negative is better">Side by side</CardTitle>
        <ul className="divide-y divide-slate-100 text-sm md:hidden dark:divide-slate-800/60">
          {keys.map((key) => {
            const [endpoint = "", mode = ""] = key.split("\u0000");
            const x = find(a.data, key);
            const y = find(b.data, key);
            const diff = x && y ? y.downtimeMs - x.downtimeMs : undefined;
            return (
              <li key={key} className="space-y-1 px-4 py-3">
                <p className="font-medium">
                  {endpointLabel(endpoint)} · {mode === "new" ? "new each probe" : "kept alive"}
                </p>
                <p>
                  A {x ? formatMs(x.downtimeMs) : "not probed"}, B {y ? formatMs(y.downtimeMs) : "not probed"}
                  {diff === undefined
                    ? ""
                    : ` (B ${diff > 0 ? "+" : diff < 0 ? "−" : "±"}${formatMs(Math.abs(diff))})`}
                </p>
              </li>
            );
          })}
        </ul>
        <div className="hidden overflow-x-auto md:block">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-800">
                <th className={th}>Way in</th>
                <th className={th}>Connection</th>
                <th className={`${th} text-right`}>Unavailable A</th>
                <th className={`${th} text-right`}>Unavailable B</th>
                <th className={`${th} text-right`}>Difference</th>
                <th className={`${th} text-right`}>Longest gap A / B</th>
                <th className={`${th} text-right`}>p99 A / B</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                const [endpoint = "", mode = ""] = key.split("\u0000");
                const x = find(a.data, key);
                const y = find(b.data, key);
                const diff = x && y ? y.downtimeMs - x.downtimeMs : undefined;
                return (
                  <tr key={key} className="border-b border-slate-100 last:border-0 dark:border-slate-800/60">
                    <th scope="row" className={`${td} text-left font-medium`}>
                      {endpointLabel(endpoint)}
                    </th>
                    <td className={td}>{mode === "new" ? "new each probe" : "kept alive"}</td>
                    <td className={`${td} text-right`}>{x ? formatMs(x.downtimeMs) : "not probed"}</td>
                    <td className={`${td} text-right`}>{y ? formatMs(y.downtimeMs) : "not probed"}</td>
                    <td className={`${td} text-right font-semibold`}>
                      {diff === undefined
                        ? "–"
                        : `${diff > 0 ? "+" : diff < 0 ? "−" : ""}${formatMs(Math.abs(diff))}`}
                    </td>
                    <td className={`${td} text-right`}>
                      {formatMs(x?.longestGapMs)} / {formatMs(y?.longestGapMs)}
                    </td>
                    <td className={`${td} text-right`}>
                      {formatMs(x?.latencyMs.p99)} / {formatMs(y?.latencyMs.p99)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
