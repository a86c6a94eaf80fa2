// Route /failover/runs/:id: one run, live while it goes on — the timeline, the results per way in and mode, the
// events, the restore; abort (asks first), export as CSV or JSON.
import {
  type RunDetail,
  resultsOfSummaries,
  SampleSummarizer,
  summaryOptions,
  vipPathChangesAtMs,
} from "@k3s-ha/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useDeferredValue, useMemo, useRef, useState } from "react";
import { Link, useLocation } from "wouter";
import {
  Card,
  CardTitle,
  dangerButtonClass,
  FormAlert,
  LoadError,
  Loading,
  PageHeader,
  Pill,
  secondaryButtonClass,
} from "../../../components/ui";
import { apiFetch, isApiError } from "../../../lib/api";
import { formatDateTime } from "../../../lib/format";
import { useThrottled } from "../../../lib/throttle";
import { EventsList } from "../components/events-list";
import { formatMs, probeThreadSentence, stateTone } from "../components/format";
import { ResultsTable } from "../components/results-table";
import { failoverQueries } from "../queries";
import { useRunStream } from "../stream";

const RunChart = lazy(() => import("../components/run-chart"));

const active = (state: string | undefined) => state === "running" || state === "restoring";

function AbortButton({ id }: { id: string }) {
  const client = useQueryClient();
  const [asking, setAsking] = useState(false);
  const abort = useMutation({
    mutationFn: () =>
      apiFetch(`/api/failover/runs/${encodeURIComponent(id)}/abort`, { method: "POST", body: {} }),
    onSettled: () => client.invalidateQueries({ queryKey: failoverQueries.all() }),
  });
  if (!asking)
    return (
      <button type="button" className={dangerButtonClass} onClick={() => setAsking(true)}>
        Abort…
      </button>
    );
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span>Stop now and restore the node?</span>
      <button
        type="button"
        className={dangerButtonClass}
        disabled={abort.isPending}
        onClick={() => abort.mutate()}
      >
        {abort.isPending ? "Aborting…" : "Abort and restore"}
      </button>
      <button type="button" className={secondaryButtonClass} onClick={() => setAsking(false)}>
        Keep running
      </button>
      {abort.isError && (
        <FormAlert>
          {isApiError(abort.error) ? abort.error.message : "The run could not be aborted."}
        </FormAlert>
      )}
    </div>
  );
}

function DeleteButton({ id }: { id: string }) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => apiFetch(`/api/failover/runs/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: failoverQueries.all() });
      navigate("/failover");
    },
  });
  if (!asking)
    return (
      <button type="button" className={secondaryButtonClass} onClick={() => setAsking(true)}>
        Delete…
      </button>
    );
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span>Delete this run and its samples for good?</span>
      <button
        type="button"
        className={dangerButtonClass}
        disabled={remove.isPending}
        onClick={() => remove.mutate()}
      >
        {remove.isPending ? "Deleting…" : "Delete"}
      </button>
      <button type="button" className={secondaryButtonClass} onClick={() => setAsking(false)}>
        Keep it
      </button>
      {remove.isError && (
        <FormAlert>
          {isApiError(remove.error) ? remove.error.message : "The run could not be deleted."}
        </FormAlert>
      )}
    </div>
  );
}

function RestoreCard({ run }: { run: RunDetail }) {
  if (run.restore.state === "not-needed" || (run.restore.state === "pending" && active(run.state)))
    return null;
  return (
    <Card>
      <CardTitle
        aside={
          <Pill
            tone={run.restore.state === "failed" ? "bad" : run.restore.state === "done" ? "good" : "warn"}
          >
            {run.restore.state}
          </Pill>
        }
      >
        Restore
      </CardTitle>
      <ul className="space-y-1 p-4 text-sm">
        {run.restore.steps.map((s, i) => (
          <li key={`${s.action}-${i}`}>
            <span className="font-mono">{s.action}</span>: {s.state}
            {s.error ? ` — ${s.error}` : ""}
          </li>
        ))}
      </ul>
    </Card>
  );
}

export default function RunPage({ params }: { params: { id: string } }) {
  const id = params.id;
  const run = useQuery(failoverQueries.run(id));
  const stream = useRunStream(id);
  const state = stream.state ?? run.data?.state;
  const live = active(state);
  // While the run goes on the results come from the stream (the server's summary is the same code), redrawn twice a
  // second: frames arrive ten times a second, and a reader gains nothing from redraws faster than that. The stream's
  // array only grows, so what is shown is a count of its samples. The chart draws in the update itself; the table
  // follows in a deferred render of its own, from a summary that files only the samples added since the last.
  const shown = useThrottled(stream.samples.length, live ? 500 : 0);
  const summarized = useDeferredValue(shown);
  const summary = useRef<SampleSummarizer>(null);
  summary.current ??= new SampleSummarizer();
  const liveSummary = summary.current;
  const liveResults = useMemo(() => {
    if (!live || !run.data) return undefined;
    const ctx = {
      scenario: run.data.scenario,
      node: run.data.node,
      request: run.data.request,
      actionAtMs: run.data.actionAtMs,
      servers: run.data.servers,
      facts: run.data.facts,
      vipPathChangesAtMs: vipPathChangesAtMs(stream.events),
    };
    liveSummary.catchUp(stream.samples, summarized);
    return resultsOfSummaries(liveSummary.summaries(summaryOptions(ctx)), ctx);
  }, [live, liveSummary, stream.samples, summarized, run.data, stream.events]);
  if (run.isPending) return <Loading what="the run" />;
  if (run.isError) return <LoadError what="the run" error={run.error} />;
  const r = run.data;
  const events = stream.events.length >= r.events.length ? stream.events : r.events;
  return (
    <>
      <PageHeader
        title={`${r.scenario}${r.node ? ` on ${r.node}` : ""}`}
        aside={
          <div className="flex flex-wrap items-center gap-2">
            {/* The run's own state, announced as it changes; the restore card has a "done" pill of its own. */}
            <span role="status" aria-label="Run state">
              <Pill tone={stateTone[state ?? r.state]}>{state ?? r.state}</Pill>
            </span>
            {live ? (
              <AbortButton id={id} />
            ) : (
              <>
                <a className={secondaryButtonClass} href={`/api/failover/runs/${id}/samples.csv`} download>
                  Export CSV
                </a>
                <a className={secondaryButtonClass} href={`/api/failover/runs/${id}/export.json`} download>
                  Export JSON
                </a>
                <DeleteButton id={id} />
              </>
            )}
          </div>
        }
      >
        Started {formatDateTime(r.startedAt)} by {r.startedBy}; {r.request.intervalMs} ms interval,{" "}
        {r.request.durationS} s, {r.request.request === "readyz" ? "GET /readyz" : "GET a namespace"}, names
        dialled as {r.request.dial === "go" ? "Go's dialer" : "Node's happy eyeballs"}
        {r.request.faultS !== null ? `, fault ${r.request.faultS} s` : ""}.{" "}
        <Link className="text-sky-700 underline dark:text-sky-400" href="/failover">
          All runs
        </Link>
      </PageHeader>
      <div className="space-y-5">
        {r.error && !live && <FormAlert>{r.error}</FormAlert>}
        <Card>
          {/* The throttled count: a text that changed with every frame had the page laid out ten times a second. */}
          <CardTitle aside={`${shown.toLocaleString("en")} samples${live ? ", live" : ""}`}>
            Timeline
          </CardTitle>
          <Suspense fallback={<Loading what="the chart" />}>
            <RunChart
              samples={stream.samples}
              count={shown}
              events={events}
              endpoints={r.request.endpoints}
              durationMs={r.request.durationS * 1_000}
              actionAtMs={r.actionAtMs}
            />
          </Suspense>
        </Card>
        <ResultsTable results={liveResults ?? r.results} live={live} />
        <RestoreCard run={r} />
        <EventsList events={events} actionAtMs={r.actionAtMs} />
        {r.probeStats && (
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Probe worker: {r.probeStats.fired.toLocaleString("en")} probes, start lateness p50{" "}
            {formatMs(r.probeStats.lateMs.p50)}, p99 {formatMs(r.probeStats.lateMs.p99)};{" "}
            {r.probeStats.passed} ticks passed while a kept-alive request was out; {r.probeStats.dnsLookups}{" "}
            DNS lookups; {probeThreadSentence(r.probeStats.priority)}
          </p>
        )}
      </div>
    </>
  );
}
