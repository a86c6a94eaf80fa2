// The design document's failure table, measured here: each row's claim beside the median of this environment's
// latest runs of the scenario that reproduces it, through the VIP and through the round-robin name.
import { useQuery } from "@tanstack/react-query";
import { Card, CardTitle, LoadError, Loading } from "../../../components/ui";
import { failoverQueries } from "../queries";
import { formatMs } from "./format";

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top";

function Measured({ m }: { m: { affectedMs: number; downtimeMs: number; runs: number } | null }) {
  if (!m) return <span className="text-slate-500 dark:text-slate-400">not measured yet</span>;
  if (m.affectedMs === 0)
    return (
      <span>
        no failure ({m.runs} run{m.runs === 1 ? "" : "s"})
      </span>
    );
  return (
    <span>
      failures for <strong>{formatMs(m.affectedMs)}</strong>, {formatMs(m.downtimeMs)} unavailable in total (
      {m.runs} run{m.runs === 1 ? "" : "s"}, median)
    </span>
  );
}

export function FailureTableCard() {
  const table = useQuery(failoverQueries.failureTable());
  return (
    <Card>
      <CardTitle aside="new connections; median of the latest three runs">
        The design document's failure table, measured here
      </CardTitle>
      {table.isPending ? (
        <Loading what="the failure table" />
      ) : table.isError ? (
        <div className="p-4">
          <LoadError what="the failure table" error={table.error} />
        </div>
      ) : (
        <>
          <ul className="divide-y divide-slate-100 text-sm md:hidden dark:divide-slate-800/60">
            {table.data.rows.map((r) => (
              <li key={r.id} className="space-y-1 px-4 py-3">
                <p className="font-medium">{r.title}</p>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  as {r.scenario}: {r.how}
                </p>
                <p>
                  VIP — document: {r.claims.vip}; measured: <Measured m={r.vip} />
                </p>
                <p>
                  DNS — document: {r.claims.dns}; measured: <Measured m={r.dns} />
                </p>
              </li>
            ))}
          </ul>
          <div className="hidden overflow-x-auto md:block">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th className={th}>Scenario</th>
                  <th className={th}>Document: VIP</th>
                  <th className={th}>Measured: VIP</th>
                  <th className={th}>Document: DNS</th>
                  <th className={th}>Measured: round-robin name</th>
                </tr>
              </thead>
              <tbody>
                {table.data.rows.map((r) => (
                  <tr key={r.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800/60">
                    <th scope="row" className={`${td} text-left font-medium`}>
                      {r.title}
                      <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">
                        as {r.scenario}: {r.how}
                      </span>
                    </th>
                    <td className={td}>{r.claims.vip}</td>
                    <td className={td}>
                      <Measured m={r.vip} />
                    </td>
                    <td className={td}>{r.claims.dns}</td>
                    <td className={td}>
                      <Measured m={r.dns} />
                    </td>
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
