// The audit log: who did what, when, with which outcome.
import { auditResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const auditQueries = {
  /** Every query under this key is refetched when the websocket says the audit log changed. */
  all: () => ["audit"] as const,
  recent: (limit = 100) =>
    queryOptions({
      queryKey: [...auditQueries.all(), "recent", { limit }] as const,
      queryFn: ({ signal }) => apiFetch(`/api/audit?limit=${limit}`, { signal, schema: auditResponseSchema }),
      staleTime: Number.POSITIVE_INFINITY,
    }),
};
