// The SSH hosts (router and nodes): where each host key pin comes from, and approving a key a host offers.
import { hostsResponseSchema } from "@k3s-ha/shared";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { apiFetch } from "../../lib/api";
import { sourceQueries } from "../sources/queries";

const approvedSchema = z.object({
  name: z.string(),
  fingerprint: z.string(),
  approvedBy: z.string(),
  approvedAt: z.string(),
});

export const hostQueries = {
  all: () => ["hosts"] as const,
  list: () =>
    queryOptions({
      queryKey: [...hostQueries.all(), "list"] as const,
      queryFn: ({ signal }) => apiFetch("/api/hosts", { signal, schema: hostsResponseSchema }),
    }),
};

/** Approves the key `name` offers, naming the fingerprint the admin compared. */
export function useApproveKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, fingerprint }: { name: string; fingerprint: string }) =>
      apiFetch(`/api/hosts/${encodeURIComponent(name)}/approve-key`, {
        method: "POST",
        body: { fingerprint },
        schema: approvedSchema,
      }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: hostQueries.all() }),
        client.invalidateQueries({ queryKey: sourceQueries.all() }),
      ]),
  });
}
