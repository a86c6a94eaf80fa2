// Per way in and connection mode: samples, failures, total unavailable time, the longest gap, the times from the
// action to the first failure and to recovery, latency percentiles and the errors by kind.
import type { RunDetail } from "@k3s-ha/shared";
import { Fragment, memo } from "react";
import { Card, CardTitle, Pill } from "../../../components/ui";
import { endpointLabel, formatMs } from "./format";

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top tabular-nums";

/** A sentence for the probes an ECMP rehash reset when the VIP's paths changed, or nothing. */
function rehashNote(r: RunDetail["results"][number]): string {
  const n = r.rehashFailures;
  if (!n) return "";
  return ` ${n === 1 ? "One probe was" : `${n} probes were`} reset as the router's paths to the VIP changed: its ECMP rehash moved a connection in flight to another server, which reset it — not an outage.`;
}

/** Drawn again only when the results change (not with every frame the page receives). */
export const ResultsTable = memo(function ResultsTable({
  results,
  live,
}: {
  results: RunDetail["results"];
  live: boolean;
}) {
  return (
    <Card>
      <CardTitle aside={live ? "updating while the run goes on" : undefined}>Results</CardTitle>
      {results.length === 0 ? (
        <p className="p-4 text-sm text-slate-600 dark:text-slate-400">No samples yet.</p>
      ) : (
        <>
          <ul className="divide-y divide-slate-100 text-sm md:hidden dark:divide-slate-800/60">
            {results.map((r) => (
              <li key={`${r.endpoint}-${r.mode}`} className="space-y-1 px-4 py-3">
                <p className="font-medium">
                  {endpointLabel(r.endpoint)} · {r.mode === "new" ? "new each probe" : "kept alive"}
                </p>
                <p>
                  <strong>{formatMs(r.downtimeMs)}</strong> unavailable ({r.failures.toLocaleString("en")} of{" "}
                  {r.samples.toLocaleString("en")} failed), longest gap {formatMs(r.longestGapMs)}
                  {r.recoveredAfterMs !== undefined ? `, recovered +${formatMs(r.recoveredAfterMs)}` : ""}
                </p>
                <p className="text-xs text-slate-600 dark:text-slate-400">
                  p50 / p95 / p99{" "}
                  {[r.latencyMs.p50, r.latencyMs.p95, r.latencyMs.p99].map((v) => formatMs(v)).join(" / ")}
                  {Object.keys(r.errors).length
                    ? `; ${Object.entries(r.errors)
                        .map(([kind, n]) => `${kind} ×${n}`)
                        .join(", ")}`
                    : ""}
                </p>
                {r.prediction && (
                  <p className="text-xs text-slate-600 dark:text-slate-400">
                    Predicted {formatMs(r.prediction.downtimeMs)} because {r.prediction.reason}.
                    {r.prediction.disagrees && !live ? " The measurement disagrees." : ""}
                    {rehashNote(r)}
                  </p>
                )}
              </li>
            ))}
          </ul>
          <div className="hidden overflow-x-auto md:block">
            <table className="w-full text-sm">
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th className={th}>Way in</th>
                  <th className={th}>Connection</th>
                  <th className={`${th} text-right`}>Samples</th>
                  <th className={`${th} text-right`}>Failed</th>
                  <th className={`${th} text-right`}>Unavailable</th>
                  <th className={`${th} text-right`}>Predicted</th>
                  <th className={`${th} text-right`}>Longest gap</th>
                  <th className={`${th} text-right`}>First failure</th>
                  <th className={`${th} text-right`}>Recovered</th>
                  <th className={`${th} text-right`}>p50 / p95 / p99</th>
                  <th className={th}>Errors</th>
                </tr>
              </thead>
              <tbody>
                {results.map((r) => (
                  <Fragment key={`${r.endpoint}-${r.mode}`}>
                    <tr className={r.prediction ? "" : "border-b border-slate-100 dark:border-slate-800/60"}>
                      <th scope="row" className={`${td} text-left font-medium`}>
                        {endpointLabel(r.endpoint)}
                      </th>
                      <td className={td}>{r.mode === "new" ? "new each probe" : "kept alive"}</td>
                      <td className={`${td} text-right`}>{r.samples.toLocaleString("en")}</td>
                      <td
                        className={`${td} text-right ${r.failures ? "font-semibold text-red-700 dark:text-red-300" : ""}`}
                      >
                        {r.failures.toLocaleString("en")}
                      </td>
                      <td className={`${td} text-right font-semibold`}>{formatMs(r.downtimeMs)}</td>
                      <td className={`${td} text-right whitespace-nowrap`}>
                        {r.prediction ? formatMs(r.prediction.downtimeMs) : "–"}
                        {r.prediction?.disagrees && !live ? (
                          <span className="ml-1">
                            <Pill tone="warn">differs</Pill>
                          </span>
                        ) : null}
                      </td>
                      <td className={`${td} text-right`}>{formatMs(r.longestGapMs)}</td>
                      <td className={`${td} text-right`}>
                        {r.firstFailureAfterMs === undefined ? "–" : `+${formatMs(r.firstFailureAfterMs)}`}
                      </td>
                      <td className={`${td} text-right`}>
                        {r.recoveredAfterMs === undefined ? "–" : `+${formatMs(r.recoveredAfterMs)}`}
                      </td>
                      <td className={`${td} text-right whitespace-nowrap`}>
                        {[r.latencyMs.p50, r.latencyMs.p95, r.latencyMs.p99]
                          .map((v) => formatMs(v))
                          .join(" / ")}
                      </td>
                      <td className={td}>
                        {Object.entries(r.errors)
                          .map(([kind, n]) => `${kind} ×${n}`)
                          .join(", ") || "–"}
                      </td>
                    </tr>
                    {r.prediction && (
                      <tr className="border-b border-slate-100 dark:border-slate-800/60">
                        <td colSpan={11} className="px-3 pb-2 text-xs text-slate-600 dark:text-slate-400">
                          Predicted {formatMs(r.prediction.downtimeMs)} because {r.prediction.reason}.
                          {r.prediction.disagrees && !live
                            ? " The measurement disagrees: something behaved otherwise than these timers say."
                            : ""}
                          {rehashNote(r)}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
        Unavailable: from the start of the first failed probe to the start of the next successful one, summed.
        First failure and recovery count from the action. Which server answered is known only for a node's own
        address: through the VIP and the names every server shows the same certificate.
      </p>
    </Card>
  );
});
