// Route /audit: audit entries newest first, filtered by actor, action and outcome (kept in the URL), paged.
import type { AuditEntry } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useLocation, useSearch } from "wouter";
import { StaleNotice } from "../../../components/stale-notice";
import { Card, LoadError, Loading, PageHeader } from "../../../components/ui";
import { formatAgo, formatDateTime } from "../../../lib/format";
import { type AuditFilter, auditQueries, auditSearch } from "../queries";

const outcomeStyle: Record<AuditEntry["outcome"], string> = {
  ok: "bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  denied:
    "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  failed: "bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
};
const OUTCOMES: AuditEntry["outcome"][] = ["ok", "denied", "failed"];

const th = "px-3 py-2 text-left text-xs font-semibold text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top";
const select =
  "mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";
const pager =
  "rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";

function filterFromSearch(search: string): AuditFilter {
  const p = new URLSearchParams(search);
  const outcome = p.get("outcome");
  const before = Number(p.get("before"));
  return {
    actor: p.get("actor") || undefined,
    action: p.get("action") || undefined,
    outcome: OUTCOMES.includes(outcome as AuditEntry["outcome"])
      ? (outcome as AuditEntry["outcome"])
      : undefined,
    before: Number.isInteger(before) && before > 0 ? before : undefined,
  };
}

function Outcome({ outcome }: { outcome: AuditEntry["outcome"] }) {
  return (
    <span
      className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${outcomeStyle[outcome]}`}
    >
      {outcome}
    </span>
  );
}

function When({ at }: { at: string }) {
  return (
    <time dateTime={at} title={formatAgo(at)} className="whitespace-nowrap tabular-nums">
      {formatDateTime(at)}
    </time>
  );
}

function FilterSelect(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: string[];
  onChange: (value: string | undefined) => void;
}) {
  const options =
    props.value && !props.options.includes(props.value) ? [props.value, ...props.options] : props.options;
  return (
    <div className="min-w-[10rem] flex-1">
      <label htmlFor={props.id} className="text-xs font-semibold text-slate-600 dark:text-slate-400">
        {props.label}
      </label>
      <select
        id={props.id}
        className={select}
        value={props.value ?? ""}
        onChange={(e) => props.onChange(e.target.value || undefined)}
      >
        <option value="">All</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

export function AuditPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const filter = filterFromSearch(search);
  // The cursors of the newer pages already seen, so "Newer" goes back exactly.
  const [newer, setNewer] = useState<(number | undefined)[]>([]);
  const { data, error, isPending, dataUpdatedAt } = useQuery(auditQueries.page(filter));

  const go = (next: AuditFilter, keepHistory = false) => {
    if (!keepHistory) setNewer([]);
    const query = auditSearch(next).replace(/^limit=\d+&?/, "");
    navigate(query ? `/audit?${query}` : "/audit", { replace: true });
  };
  const setField = (key: "actor" | "action" | "outcome") => (value: string | undefined) =>
    go({ ...filter, [key]: value, before: undefined });

  return (
    <>
      <PageHeader title="Audit">
        Who signed in and what was changed or tested, newest first. Times are local, 24-hour, with the zone.
      </PageHeader>
      <StaleNotice updatedAt={dataUpdatedAt} what="the audit log" />
      <Card className="mb-4 p-3">
        <form
          className="flex flex-wrap gap-3"
          aria-label="Filter the audit log"
          onSubmit={(e) => e.preventDefault()}
        >
          <FilterSelect
            id="audit-actor"
            label="Actor"
            value={filter.actor}
            options={data?.facets.actors ?? []}
            onChange={setField("actor")}
          />
          <FilterSelect
            id="audit-action"
            label="Action"
            value={filter.action}
            options={data?.facets.actions ?? []}
            onChange={setField("action")}
          />
          <FilterSelect
            id="audit-outcome"
            label="Outcome"
            value={filter.outcome}
            options={OUTCOMES}
            onChange={setField("outcome")}
          />
        </form>
      </Card>
      {isPending ? (
        <Loading what="the audit log" />
      ) : error && !data ? (
        <LoadError what="the audit log" error={error} />
      ) : data.entries.length === 0 ? (
        <Card className="p-6 text-sm text-slate-700 dark:text-slate-300">
          {filter.actor || filter.action || filter.outcome
            ? "No audit entries match these filters."
            : "No audit entries yet."}
        </Card>
      ) : (
        <Card>
          <table className="hidden w-full table-fixed text-sm md:table">
            <caption className="sr-only">Audit entries</caption>
            <colgroup>
              <col className="w-[13.5rem]" />
              <col className="w-[10rem]" />
              <col className="w-[11rem]" />
              <col className="w-[9rem]" />
              <col className="w-[6rem]" />
              <col />
            </colgroup>
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
                  <td className={td}>
                    <When at={entry.at} />
                  </td>
                  <td className={`${td} break-words`}>{entry.actor}</td>
                  <td className={`${td} break-words`}>
                    <code className="font-mono text-xs">{entry.action}</code>
                  </td>
                  <td className={`${td} break-all`}>{entry.target ?? "—"}</td>
                  <td className={td}>
                    <Outcome outcome={entry.outcome} />
                  </td>
                  <td className={`${td} break-words text-slate-700 dark:text-slate-300`}>
                    {entry.detail ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul
            className="divide-y divide-slate-200 md:hidden dark:divide-slate-800"
            aria-label="Audit entries"
          >
            {data.entries.map((entry) => (
              <li key={entry.id} className="space-y-1 p-3 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <code className="font-mono text-xs font-semibold">{entry.action}</code>
                  <Outcome outcome={entry.outcome} />
                </div>
                <div className="text-xs text-slate-600 dark:text-slate-400">
                  <When at={entry.at} /> · {entry.actor}
                  {entry.target ? <span className="break-all"> · {entry.target}</span> : null}
                </div>
                {entry.detail && (
                  <p className="break-words text-slate-700 dark:text-slate-300">{entry.detail}</p>
                )}
              </li>
            ))}
          </ul>
          <nav
            aria-label="Audit pages"
            className="flex items-center justify-between gap-2 border-t border-slate-200 p-3 dark:border-slate-800"
          >
            <button
              type="button"
              className={pager}
              disabled={filter.before === undefined}
              onClick={() => {
                setNewer(newer.slice(0, -1));
                go({ ...filter, before: newer.at(-1) }, true);
              }}
            >
              ← Newer
            </button>
            <span className="text-xs text-slate-600 dark:text-slate-400">
              {data.entries.length} entries on this page
            </span>
            <button
              type="button"
              className={pager}
              disabled={data.nextBefore === null}
              onClick={() => {
                setNewer([...newer, filter.before]);
                go({ ...filter, before: data.nextBefore ?? undefined }, true);
              }}
            >
              Older →
            </button>
          </nav>
        </Card>
      )}
    </>
  );
}
