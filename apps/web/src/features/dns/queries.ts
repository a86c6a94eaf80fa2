// The plan's DNS names as the DNS server answers them, compared with the plan.
import { dnsResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const dnsQueries = {
  /** Refetched when the DNS snapshot changes. */
  all: () => ["dns"] as const,
  names: () =>
    queryOptions({
      queryKey: [...dnsQueries.all(), "names"] as const,
      queryFn: ({ signal }) => apiFetch("/api/dns", { signal, schema: dnsResponseSchema }),
    }),
};
