// GET /api/bgp/peers and /api/bgp/routes: the router's sessions and routes as the router collector last saw them.
import { type BgpPeersResponse, type BgpRoutesResponse, cidrContainsCidr, parseCidr } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { NodeSnapshot } from "../collectors/node.js";
import type { RouterSnapshot } from "../collectors/router.js";
import { parseQuery } from "../errors.js";

const routesQuery = z.strictObject({
  prefix: z
    .string()
    .max(64)
    .refine((p) => parseCidr(p) !== null, { message: "expected a CIDR such as 2001:db8::/64" })
    .optional(),
});

export const bgpRoutes: FastifyPluginAsync = async (app) => {
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
