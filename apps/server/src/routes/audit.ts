// GET /api/audit: audit entries newest first, filtered by actor, action and outcome, paged with `before`.
import type { AuditResponse } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { parseQuery } from "../errors.js";

const querySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
  actor: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(200).optional(),
  outcome: z.enum(["ok", "denied", "failed"]).optional(),
});

export const auditRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/audit", async (request): Promise<AuditResponse> => {
    const { limit, before, ...filter } = parseQuery(querySchema, request.query);
    // One more than asked tells whether an older page exists.
    const rows = app.store.auditEntries(limit + 1, before, filter);
    const entries = rows.slice(0, limit);
    const last = entries.at(-1);
    return {
      entries,
      nextBefore: rows.length > limit && last ? last.id : null,
      facets: app.store.auditFacets(),
    };
  });
};
