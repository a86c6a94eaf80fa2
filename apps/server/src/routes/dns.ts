// GET /api/dns: the plan's names as the DNS source last resolved them, compared with the plan.
import type { DnsResponse, DnsSnapshot } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";

export const dnsRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/api/dns",
    async (): Promise<DnsResponse> => ({ dns: app.hub.source<DnsSnapshot>("dns")?.data ?? null }),
  );
};
