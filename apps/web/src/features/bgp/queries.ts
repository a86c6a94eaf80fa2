// The router's BGP sessions and routes, as the server's router collector last read them.
import { bgpPeersResponseSchema, bgpRoutesResponseSchema, bgpTableResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const bgpQueries = {
  /** Refetched when the websocket says the router's snapshot changed. */
  all: () => ["bgp"] as const,
  peers: () =>
    queryOptions({
      queryKey: [...bgpQueries.all(), "peers"] as const,
      queryFn: ({ signal }) => apiFetch("/api/bgp/peers", { signal, schema: bgpPeersResponseSchema }),
    }),
  /** The whole table, read only when asked for (not refetched by the websocket: it is a snapshot on demand). */
  table: (contains: string) =>
    queryOptions({
      queryKey: ["bgp-table", contains] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/api/bgp/table?limit=5000${contains ? `&contains=${encodeURIComponent(contains)}` : ""}`, {
          signal,
          schema: bgpTableResponseSchema,
        }),
      staleTime: 30_000,
    }),
  routes: () =>
    queryOptions({
      queryKey: [...bgpQueries.all(), "routes"] as const,
      queryFn: ({ signal }) => apiFetch("/api/bgp/routes", { signal, schema: bgpRoutesResponseSchema }),
    }),
};
