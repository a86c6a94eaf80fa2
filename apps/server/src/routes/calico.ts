// POST /api/calico/node-statuses: creates a CalicoNodeStatus for every plan node without one (audited), so Calico's
// own BGP view can be read through the API as well as over SSH.
import type { ClusterSnapshot } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { AppError } from "../errors.js";
import { KubeError } from "../plugins/kube.js";
import { createNodeStatuses, type NodeStatusResult, nodeStatusName } from "../services/calico-node-status.js";

export const calicoRoutes: FastifyPluginAsync = async (app) => {
  app.post("/api/calico/node-statuses", async (request): Promise<NodeStatusResult> => {
    const actor = request.principal?.user ?? "unknown";
    const plan = app.planSource.plan;
    if (!plan) throw new AppError("PLAN_INVALID", "no valid plan: the nodes are not known");
    const access = await app.kube.access().catch((err: unknown) => {
      throw err instanceof KubeError ? new AppError("K8S_UNAVAILABLE", err.message) : err;
    });
    try {
      const result = await createNodeStatuses(
        access,
        plan,
        app.hub.source<ClusterSnapshot>("kubernetes")?.data,
      );
      app.audit({
        actor,
        action: "calico.create-node-statuses",
        target: null,
        outcome: "ok",
        detail: result.created.length
          ? `created ${result.created.map(nodeStatusName).join(", ")}`
          : "every node has one already",
      });
      return result;
    } catch (err) {
      app.audit({
        actor,
        action: "calico.create-node-statuses",
        target: null,
        outcome: "failed",
        detail: err instanceof Error ? err.message.slice(0, 300) : "failed",
      });
      throw err;
    }
  });
};
