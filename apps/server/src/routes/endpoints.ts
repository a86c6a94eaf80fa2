// GET /api/endpoints: the endpoint matrix as last probed (TCP, TLS and SAN, /readyz per way in).
import type { EndpointsResponse } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";

export const endpointsRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/api/endpoints",
    async (): Promise<EndpointsResponse> => ({
      endpoints: app.hub.source<EndpointsResponse>("endpoints")?.data?.endpoints ?? [],
    }),
  );
};
