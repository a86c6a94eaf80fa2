// GET /api/cluster: the cluster as its informers last saw it, with the Calico version warning where it applies.
import { type ClusterResponse, type ClusterSnapshot, calicoVersionWarning } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";

export const clusterRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/cluster", async (): Promise<ClusterResponse> => {
    const cluster = app.hub.source<ClusterSnapshot>("kubernetes")?.data ?? null;
    const warning = calicoVersionWarning(cluster?.calico.version);
    return { cluster, ...(warning ? { calicoWarning: warning } : {}) };
  });
};
