// GET /api/plan: the plan in force, its findings, and the errors of the file on disk if it is invalid.
import type { PlanResponse } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";

export const planRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/plan", async (): Promise<PlanResponse> => app.planSource.response());
};
