// GET /api/audit: newest audit entries first.
import type { AuditResponse } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { parseQuery } from "../errors.js";

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

export const auditRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/audit", async (request): Promise<AuditResponse> => {
    const q = parseQuery(querySchema, request.query);
    return { entries: app.store.auditEntries(q.limit, q.before) };
  });
};
