// GET /api/bgp/peers and /api/bgp/routes: the router's sessions and routes as the router collector last saw them.
import {
  type BgpPeersResponse,
  type BgpRoutesResponse,
  type BgpTableResponse,
  cidrContainsCidr,
  parseCidr,
} from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { NodeSnapshot } from "../collectors/node.js";
import { failureOf } from "../collectors/poller.js";
import type { RouterSnapshot } from "../collectors/router.js";
import { AppError, parseQuery } from "../errors.js";
import { FullTableReader, filterTable } from "../services/full-table.js";

const routesQuery = z.strictObject({
  prefix: z
    .string()
    .max(64)
    .refine((p) => parseCidr(p) !== null, { message: "expected a CIDR such as 2001:db8::/64" })
    .optional(),
});

const tableQuery = z.strictObject({
  contains: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(5_000).default(1_000),
});

export const bgpRoutes: FastifyPluginAsync = async (app) => {
  const fullTable = new FullTableReader();

  // The whole table, read on demand through a service (single flight, reused 30 s), not by the routine poll.
  app.get("/api/bgp/table", async (request): Promise<BgpTableResponse> => {
    const { contains, limit } = parseQuery(tableQuery, request.query);
    const plan = app.planSource.plan;
    if (!plan) throw new AppError("PLAN_INVALID", "no valid plan: the router is not known");
    const table = await fullTable.read(app.ssh, plan).catch((err: unknown) => {
      const f = failureOf(err);
      throw new AppError(
        "ROUTER_UNAVAILABLE",
        `the router's table could not be read: ${f.code}: ${f.message}`,
      );
    });
    const { routes, matched } = filterTable(table, contains, limit);
    return {
      routes,
      matched,
      totalRoutes: table.totalRoutes,
      totalPaths: table.totalPaths,
      fetchedAt: table.fetchedAt,
      durationMs: table.durationMs,
    };
  });

  const router = () => app.hub.source<RouterSnapshot>("router")?.data;

  app.get(
    "/api/bgp/peers",
    async (): Promise<BgpPeersResponse> => ({
      peers: [
        ...(router()?.peers ?? []),
        ...(app.planSource.plan?.nodes ?? []).flatMap(
          (n) => app.hub.source<NodeSnapshot>(`node:${n.name}`)?.data?.peers ?? [],
        ),
      ].map((p) =>
        p.establishedAt ? { ...p, uptimeMs: Math.max(0, Date.now() - Date.parse(p.establishedAt)) } : p,
      ),
    }),
  );

  app.get("/api/bgp/routes", async (request): Promise<BgpRoutesResponse> => {
    const { prefix } = parseQuery(routesQuery, request.query);
    const routes = router()?.routes ?? [];
    const outer = prefix ? parseCidr(prefix) : null;
    if (!outer) return { routes };
    return {
      routes: routes.filter((r) => {
        const inner = parseCidr(r.prefix);
        return inner !== null && inner.family === outer.family && cidrContainsCidr(outer, inner);
      }),
    };
  });
};
