// The guided setup over HTTP: the steps of an option with their status, and per step preview, apply, verify and
// undo. Apply and undo take {confirm: true} for risky steps, answer 409 OPERATION_IN_PROGRESS while another
// operation holds the cluster, and return the step's new status with its evidence.
import { type SetupStepId, setupApplyBodySchema, setupStepIds, setupStepsQuerySchema } from "@k3s-ha/shared";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { AppError, parseBody, parseQuery } from "../errors.js";
import { endpointKubeconfig } from "../services/setup/kubeconfig.js";

const downloadSchema = z.strictObject({
  endpoint: z.enum(["vip-name", "round-robin"]),
  confirm: z.literal(true, { message: "the kubeconfig holds admin credentials: send confirm: true" }),
});

function stepId(params: unknown): SetupStepId {
  const id = (params as { id?: string }).id ?? "";
  if (!(setupStepIds as readonly string[]).includes(id))
    throw new AppError(
      "NOT_FOUND",
      `No setup step ${JSON.stringify(id.slice(0, 40))}: expected one of ${setupStepIds.join(", ")}`,
    );
  return id as SetupStepId;
}

export const setupRoutes: FastifyPluginAsync = async (app) => {
  app.get("/api/setup/steps", async (request) => {
    const q = parseQuery(setupStepsQuerySchema, request.query);
    return app.setup.steps(q.option);
  });

  app.get("/api/setup/steps/:id", async (request) => app.setup.step(stepId(request.params)));

  app.post("/api/setup/steps/:id/preview", async (request) => app.setup.preview(stepId(request.params)));

  app.post("/api/setup/steps/:id/apply", async (request) => {
    const id = stepId(request.params);
    const body = parseBody(setupApplyBodySchema, request.body ?? {}, "The apply request is not valid");
    return app.setup.apply(id, body, request.principal?.user ?? "unknown");
  });

  app.post("/api/setup/steps/:id/verify", async (request) =>
    app.setup.verify(stepId(request.params), request.principal?.user ?? "unknown"),
  );

  // The admin credentials leave the console here only: confirmed, audited, never cached.
  app.post("/api/setup/kubeconfig", async (request, reply) => {
    const body = parseBody(downloadSchema, request.body ?? {}, "The download request is not valid");
    const plan = app.planSource.plan;
    if (!plan) throw new AppError("PLAN_INVALID", "no valid plan: the kubeconfig is rendered from it");
    const user = request.principal?.user ?? "unknown";
    const text = endpointKubeconfig(plan, body.endpoint);
    app.audit({
      actor: user,
      action: "setup.kubeconfig-download",
      target: body.endpoint,
      outcome: "ok",
      detail: null,
    });
    return reply
      .header("content-type", "application/yaml; charset=utf-8")
      .header(
        "content-disposition",
        `attachment; filename="kubeconfig-${plan.metadata.name}-${body.endpoint}.yaml"`,
      )
      .header("cache-control", "no-store")
      .send(text);
  });

  app.post("/api/setup/steps/:id/undo", async (request) => {
    const id = stepId(request.params);
    const body = parseBody(setupApplyBodySchema, request.body ?? {}, "The undo request is not valid");
    return app.setup.undo(id, body, request.principal?.user ?? "unknown");
  });
};
