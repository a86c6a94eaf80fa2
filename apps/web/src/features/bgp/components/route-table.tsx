// The router's routes, filterable by prefix or node, virtualised (TanStack Virtual) once the table is large, so a
// router with many routes in the plan's ranges stays fast to scroll.
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useId, useMemo, useRef, useState } from "react";
import { formInputClass } from "../../../components/ui";

/** What the table needs of a route: the plan's ranges (with FIB) and the whole table (without) both fit. */
export interface TableRoute {
  prefix: string;
  paths: readonly { nextHop: string; node?: string }[];
  fib?: { nextHops: readonly { address: string; node?: string }[] };
}

/** Above this many routes the list is virtualised; below, every route is in the page (find-in-page works). */
export const VIRTUALISE_ABOVE = 100;

export function matchesFilter(route: TableRoute, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return (
    route.prefix.toLowerCase().includes(f) ||
    route.paths.some((p) => (p.node ?? p.nextHop).toLowerCase().includes(f)) ||
    (route.fib?.nextHops ?? []).some((h) => (h.node ?? h.address).toLowerCase().includes(f))
  );
}

function VirtualList<R extends TableRoute>({ routes, render }: { routes: R[]; render: (r: R) => ReactNode }) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: routes.length,
    getScrollElement: () => parent.current,
    estimateSize: () => 104,
    overscan: 8,
  });
  return (
    <div ref={parent} className="max-h-[36rem] overflow-y-auto" data-testid="route-scroller">
      <ul className="relative" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const r = routes[item.index];
          if (!r) return null;
          return (
            <div
              key={r.prefix}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="absolute inset-x-0 border-b border-slate-100 dark:border-slate-800"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {render(r)}
            </div>
          );
        })}
      </ul>
    </div>
  );
}

export function RouteTable<R extends TableRoute>({
  routes,
  render,
}: {
  routes: R[];
  render: (r: R) => ReactNode;
}) {
  const [filter, setFilter] = useState("");
  const id = useId();
  const shown = useMemo(() => routes.filter((r) => matchesFilter(r, filter)), [routes, filter]);
  return (
    <div>
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <label
          htmlFor={id}
          className="min-w-[14rem] flex-1 text-xs font-medium text-slate-600 dark:text-slate-400"
        >
          Filter by prefix or node
          <input
            id={id}
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="ff01::1 or node02"
            className={formInputClass}
          />
        </label>
        <p className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
          {shown.length === routes.length
            ? `${routes.length} routes`
            : `${shown.length} of ${routes.length} routes`}
        </p>
      </div>
      {shown.length === 0 ? (
        <p className="p-4 text-sm text-slate-700 dark:text-slate-300">No route matches “{filter.trim()}”.</p>
      ) : shown.length > VIRTUALISE_ABOVE ? (
        <VirtualList routes={shown} render={render} />
      ) : (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800">{shown.map(render)}</ul>
      )}
    </div>
  );
}
