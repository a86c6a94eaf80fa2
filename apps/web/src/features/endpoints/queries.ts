// The API endpoint matrix: every way in (servers, VIP, DNS names) with TCP, TLS, SAN and /readyz.
import { endpointsResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const endpointQueries = {
  /** Refetched when an outcome in the matrix changes. */
  all: () => ["endpoints"] as const,
  matrix: () =>
    queryOptions({
      queryKey: [...endpointQueries.all(), "matrix"] as const,
      queryFn: ({ signal }) => apiFetch("/api/endpoints", { signal, schema: endpointsResponseSchema }),
    }),
};
