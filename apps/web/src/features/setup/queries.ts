// The guided setup: the steps of an option with their status, and one step's preview (asked for, never cached long).
import { type SetupOption, setupPreviewSchema, setupStepsResponseSchema } from "@k3s-ha/shared";
import { queryOptions } from "@tanstack/react-query";
import { apiFetch } from "../../lib/api";

export const setupQueries = {
  /** Refetched when the websocket says a step's state changed (an apply's progress, a verify). */
  all: () => ["setup"] as const,
  steps: (option?: SetupOption) =>
    queryOptions({
      queryKey: [...setupQueries.all(), "steps", option ?? "both"] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/api/setup/steps${option ? `?option=${option}` : ""}`, {
          signal,
          schema: setupStepsResponseSchema,
        }),
    }),
  preview: (id: string) =>
    queryOptions({
      queryKey: [...setupQueries.all(), "preview", id] as const,
      queryFn: ({ signal }) =>
        apiFetch(`/api/setup/steps/${encodeURIComponent(id)}/preview`, {
          method: "POST",
          signal,
          schema: setupPreviewSchema,
        }),
      staleTime: 0,
    }),
};
