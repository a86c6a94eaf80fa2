// The console's sources (router, nodes, Kubernetes, DNS, endpoints): status, last refresh and last error.
import { sourcesResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const sourceQueries = {
  /** Refetched when the websocket says a source's status changed, and on its 10 s heartbeat. */
  all: () => ["sources"] as const,
  list: () =>
    queryOptions({
      queryKey: [...sourceQueries.all(), "list"] as const,
      queryFn: ({ signal }) => apiFetch("/api/sources", { signal, schema: sourcesResponseSchema }),
    }),
};
