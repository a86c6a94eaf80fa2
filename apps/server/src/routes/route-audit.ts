// GET /api/route-audit: the route-policy audit over the hub's router and cluster snapshots (computed per request,
// pure and cheap; a source that is not fresh makes its checks `unknown` with the reason).
import {
  type AuditSource,
  type ClusterSnapshot,
  type RouteAuditResponse,
  type RouterSnapshot,
  routePolicyAudit,
} from "@k3s-ha/shared";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { AppError } from "../errors.js";
import type { SourceSnapshot } from "../plugins/hub.js";

function auditSource<T>(s: SourceSnapshot<T> | undefined): AuditSource<T> {
  if (!s) return { unavailable: "not started" };
  if (s.status === "ok" && s.data !== undefined) return { data: s.data };
  const why = s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : "no successful refresh yet";
  return { ...(s.data !== undefined ? { data: s.data } : {}), unavailable: `${s.status} (${why})` };
}

/**
 * The cluster as the audit needs it: services and their EndpointSlices read (a resource the audit does not use, say
 * MetalLB's pools forbidden, does not make its checks unknown).
 */
function clusterSource(s: SourceSnapshot<ClusterSnapshot> | undefined): AuditSource<ClusterSnapshot> {
  const data = s?.data;
  if (!s || !data || s.status === "stale") return auditSource(s);
  const needed = (["services", "endpointslices"] as const).filter((r) => data.resources[r]?.status !== "ok");
  if (needed.length === 0) return { data };
  return auditSource(s);
}

/** The audit as the console sees it now (routes and metrics share it). */
export function currentAudit(app: FastifyInstance): RouteAuditResponse {
  const plan = app.planSource.plan;
  if (!plan) throw new AppError("PLAN_INVALID", "no valid plan: nothing to audit against");
  return {
    checks: routePolicyAudit({
      plan,
      router: auditSource(app.hub.source<RouterSnapshot>("router")),
      cluster: clusterSource(app.hub.source<ClusterSnapshot>("kubernetes")),
    }),
  };
}

export const routeAuditRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/route-audit", async (): Promise<RouteAuditResponse> => currentAudit(app));
};
