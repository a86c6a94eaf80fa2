// The route-policy audit: computed by the server from the router's and the cluster's snapshots.
import { routeAuditResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const routeAuditQueries = {
  /** Refetched when the router's or the cluster's snapshot changes. */
  all: () => ["route-audit"] as const,
  checks: () =>
    queryOptions({
      queryKey: [...routeAuditQueries.all(), "checks"] as const,
      queryFn: ({ signal }) => apiFetch("/api/route-audit", { signal, schema: routeAuditResponseSchema }),
    }),
};
