// GET /api/health: the one route that needs no authentication.
import type { HealthResponse } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { VERSION } from "../version.js";

const started = Date.now();

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/api/health",
    async (): Promise<HealthResponse> => ({
      status: "ok",
      version: VERSION,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    }),
  );
};
