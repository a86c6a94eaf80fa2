// The plan as the server holds it: last good plan, its findings, and the state of the file on disk.
import { planResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const planQueries = {
  /** Every query under this key is refetched when the websocket says the plan changed. */
  all: () => ["plan"] as const,
  current: () =>
    queryOptions({
      queryKey: [...planQueries.all(), "current"] as const,
      queryFn: ({ signal }) => apiFetch("/api/plan", { signal, schema: planResponseSchema }),
      staleTime: Number.POSITIVE_INFINITY,
    }),
};
