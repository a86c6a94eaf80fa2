// The router's whole IPv6 table, read when the operator asks (the routine poll reads only the plan's ranges): totals,
// how long the read took, and the routes — filtered on the server, virtualised here.
import type { BgpTableResponse } from "@k3s-ha/shared";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Card, CardTitle, LoadError, Loading, Mono, primaryButtonClass } from "../../../components/ui";
import { formatDateTime } from "../../../lib/format";
import { pathGroups } from "../pages/bgp-page";
import { bgpQueries } from "../queries";
import { RouteTable } from "./route-table";

type Row = BgpTableResponse["routes"][number];

function TableRow({ route }: { route: Row }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2 text-sm">
      <Mono className="font-semibold">{route.prefix}</Mono>
      <span className="text-xs text-slate-700 dark:text-slate-300">
        {pathGroups({ ...route, fib: { nextHops: [] } })
          .map((g) => `via ${g.via}${g.count > 1 ? ` ×${g.count}` : ""}${g.best ? " · best" : ""}`)
          .join(", ")}
      </span>
    </li>
  );
}

function Loaded({ contains }: { contains: string }) {
  const table = useQuery(bgpQueries.table(contains));
  if (table.isPending) return <Loading what="the router's whole table" />;
  if (table.isError)
    return (
      <div className="p-4">
        <LoadError what="the router's whole table" error={table.error} />
      </div>
    );
  const t = table.data;
  return (
    <>
      <p className="px-4 pt-3 text-sm text-slate-700 dark:text-slate-300">
        {t.totalRoutes.toLocaleString("en-US")} routes, {t.totalPaths.toLocaleString("en-US")} paths, read{" "}
        <time dateTime={t.fetchedAt}>{formatDateTime(t.fetchedAt)}</time> in {t.durationMs} ms.
        {t.matched > t.routes.length &&
          ` Showing the first ${t.routes.length.toLocaleString("en-US")} of ${t.matched.toLocaleString("en-US")} that match: narrow the filter.`}
      </p>
      <RouteTable routes={t.routes} render={(r) => <TableRow key={r.prefix} route={r} />} />
    </>
  );
}

export function FullTableCard() {
  const [shown, setShown] = useState(false);
  const [contains, setContains] = useState("");
  const [draft, setDraft] = useState("");
  return (
    <Card>
      <CardTitle>The router's whole table</CardTitle>
      {!shown ? (
        <div className="space-y-2 p-4 text-sm">
          <p>
            The console reads only the plan's ranges every 2 s. The whole table (an Internet table too) is
            read once when you ask, and reused for 30 s.
          </p>
          <button type="button" className={primaryButtonClass} onClick={() => setShown(true)}>
            Read the whole table
          </button>
        </div>
      ) : (
        <>
          <form
            className="flex flex-wrap items-end gap-2 px-4 pt-3"
            onSubmit={(e) => {
              e.preventDefault();
              setContains(draft.trim());
            }}
          >
            <label className="text-xs font-medium text-slate-600 dark:text-slate-400">
              Ask the server for routes containing
              <input
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                placeholder="2001:db8:0:1f:: or node02"
                className="mt-1 block w-64 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950"
              />
            </label>
            <button type="submit" className={primaryButtonClass}>
              Search
            </button>
          </form>
          <Loaded contains={contains} />
        </>
      )}
    </Card>
  );
}
