// GET /api/sources: every source the hub knows with its status, last successful refresh and last error.
import type { SourcesResponse } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";

export const sourcesRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/sources", async (): Promise<SourcesResponse> => ({ sources: app.hub.sources() }));
};
