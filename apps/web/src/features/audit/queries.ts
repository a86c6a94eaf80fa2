// The audit log: who did what, when, with which outcome; filtered and paged on the server.
import { type AuditEntry, auditResponseSchema } from "@k3s-ha/shared";
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export interface AuditFilter {
  actor?: string;
  action?: string;
  outcome?: AuditEntry["outcome"];
  before?: number;
}

export const AUDIT_PAGE_SIZE = 50;

export function auditSearch(filter: AuditFilter, limit = AUDIT_PAGE_SIZE): string {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const key of ["actor", "action", "outcome", "before"] as const) {
    const value = filter[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return params.toString();
}

export const auditQueries = {
  /** Every query under this key is refetched when the websocket says the audit log changed. */
  all: () => ["audit"] as const,
  page: (filter: AuditFilter, limit = AUDIT_PAGE_SIZE) =>
    queryOptions({
      queryKey: [...auditQueries.all(), "page", { ...filter, limit }] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/api/audit?${auditSearch(filter, limit)}`, { signal, schema: auditResponseSchema }),
      staleTime: Number.POSITIVE_INFINITY,
      placeholderData: keepPreviousData,
    }),
};
