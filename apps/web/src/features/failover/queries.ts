// Failover runs: the list and one run's detail (results, events, restore). Samples arrive over the websocket as data.
import { failoverCatalogSchema, failureTableSchema, runDetailSchema, runListSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const failoverQueries = {
  /** Refetched when the websocket says a run started, changed state or ended. */
  all: () => ["failover"] as const,
  catalog: () =>
    queryOptions({
      queryKey: [...failoverQueries.all(), "catalog"] as const,
      queryFn: ({ signal }) => apiFetch("/api/failover/scenarios", { signal, schema: failoverCatalogSchema }),
    }),
  failureTable: () =>
    queryOptions({
      queryKey: [...failoverQueries.all(), "failure-table"] as const,
      queryFn: ({ signal }) =>
        apiFetch("/api/failover/failure-table", { signal, schema: failureTableSchema }),
    }),
  runs: () =>
    queryOptions({
      queryKey: [...failoverQueries.all(), "runs"] as const,
      queryFn: ({ signal }) => apiFetch("/api/failover/runs", { signal, schema: runListSchema }),
    }),
  run: (id: string) =>
    queryOptions({
      queryKey: [...failoverQueries.all(), "run", id] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/api/failover/runs/${encodeURIComponent(id)}`, { signal, schema: runDetailSchema }),
    }),
};
