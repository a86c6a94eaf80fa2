// Past and running failover runs, newest first: pick one to open, or two to compare side by side.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { Card, CardTitle, LoadError, Loading, Pill, secondaryButtonClass } from "../../../components/ui";
import { formatDateTime } from "../../../lib/format";
import { failoverQueries } from "../queries";
import { stateTone } from "./format";

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top";

export function RunsList() {
  const runs = useQuery(failoverQueries.runs());
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  return (
    <Card>
      <CardTitle
        aside={
          picked.length === 2 ? (
            <Link className={secondaryButtonClass} href={`/failover/compare?a=${picked[0]}&b=${picked[1]}`}>
              Compare the two
            </Link>
          ) : (
            "tick two runs to compare them"
          )
        }
      >
        Runs
      </CardTitle>
      {runs.isPending ? (
        <Loading what="the runs" />
      ) : runs.isError ? (
        <div className="p-4">
          <LoadError what="the runs" error={runs.error} />
        </div>
      ) : runs.data.runs.length === 0 ? (
        <p className="p-4 text-sm text-slate-600 dark:text-slate-400">No run yet. Start one above.</p>
      ) : (
        <>
          {/* Phones: one block per run; wider screens: the table. */}
          <ul className="divide-y divide-slate-100 text-sm sm:hidden dark:divide-slate-800/60">
            {runs.data.runs.map((r) => (
              <li key={r.id} className="flex items-start gap-3 px-4 py-3">
                <input
                  type="checkbox"
                  className="mt-1"
                  aria-label={`Compare the ${r.scenario} run of ${formatDateTime(r.startedAt)}`}
                  checked={picked.includes(r.id)}
                  onChange={() => toggle(r.id)}
                />
                <div className="min-w-0 flex-1 space-y-1">
                  <Link
                    className="font-medium text-sky-700 underline dark:text-sky-400"
                    href={`/failover/runs/${r.id}`}
                  >
                    {r.scenario}
                    {r.node ? ` on ${r.node}` : ""}
                  </Link>
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    {formatDateTime(r.startedAt)} by {r.startedBy}; {r.samples.toLocaleString("en")} samples
                  </p>
                </div>
                <Pill tone={stateTone[r.state]}>{r.state}</Pill>
              </li>
            ))}
          </ul>
          <div className="hidden overflow-x-auto sm:block">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th className={th}>
                    <span className="sr-only">Compare</span>
                  </th>
                  <th className={th}>Started</th>
                  <th className={th}>Scenario</th>
                  <th className={th}>Node</th>
                  <th className={th}>State</th>
                  <th className={`${th} text-right`}>Samples</th>
                  <th className={th}>By</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.runs.map((r) => (
                  <tr key={r.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800/60">
                    <td className={td}>
                      <input
                        type="checkbox"
                        aria-label={`Compare the ${r.scenario} run of ${formatDateTime(r.startedAt)}`}
                        checked={picked.includes(r.id)}
                        onChange={() => toggle(r.id)}
                      />
                    </td>
                    <td className={`${td} whitespace-nowrap`}>
                      <Link
                        className="font-medium text-sky-700 underline dark:text-sky-400"
                        href={`/failover/runs/${r.id}`}
                      >
                        {formatDateTime(r.startedAt)}
                      </Link>
                    </td>
                    <td className={td}>{r.scenario}</td>
                    <td className={td}>{r.node ?? "–"}</td>
                    <td className={td}>
                      <Pill tone={stateTone[r.state]}>{r.state}</Pill>
                    </td>
                    <td className={`${td} text-right tabular-nums`}>{r.samples.toLocaleString("en")}</td>
                    <td className={td}>{r.startedBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
