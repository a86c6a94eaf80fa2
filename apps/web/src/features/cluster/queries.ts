// The cluster as the server's informers last saw it (nodes, MetalLB, Calico, the API Service), with the Calico
// version warning.
import { clusterResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const clusterQueries = {
  /** Refetched when the websocket says the cluster snapshot changed. */
  all: () => ["cluster"] as const,
  current: () =>
    queryOptions({
      queryKey: [...clusterQueries.all(), "current"] as const,
      queryFn: ({ signal }) => apiFetch("/api/cluster", { signal, schema: clusterResponseSchema }),
    }),
};
