// Failover runs as the API takes them (`POST /api/failover/runs`): the scenario, the node, which endpoints and request,
// and the bounds every run has (interval 50-5000 ms, duration 1-1800 s, fault 1-600 s); `confirm: true` always.
import { z } from "zod";

export const failoverScenarios = [
  "observe",
  "drain-stop",
  "stop-k3s",
  "restart-k3s",
  "kill-k3s",
  "kill-bird",
  "node-restart",
  "graceful-maintenance",
  "bgp-withdraw",
  "hard-fault",
] as const;
export type FailoverScenario = (typeof failoverScenarios)[number];

export const runStates = ["running", "restoring", "done", "aborted", "failed", "interrupted"] as const;

const endpointTarget = z.union([
  z.enum(["vip", "vip-name", "round-robin"]),
  z.string().regex(/^node:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "expected node:<name>"),
]);

export const runRequestSchema = z
  .strictObject({
    scenario: z.enum(failoverScenarios),
    /** The node the scenario acts on (every scenario but `observe`). */
    node: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, "expected a Kubernetes node name")
      .optional(),
    endpoints: z.array(endpointTarget).min(1).max(32).optional(),
    request: z.enum(["readyz", "namespace"]).default("readyz"),
    intervalMs: z.number().int().min(50).max(5_000).default(100),
    timeoutMs: z.number().int().min(100).max(10_000).default(1_000),
    durationS: z.number().int().min(1).max(1_800).default(120),
    faultS: z.number().int().min(1).max(600).optional(),
    confirm: z.literal(true, { message: "a run acts on a live cluster: send confirm: true" }),
  })
  .superRefine((r, ctx) => {
    if (r.scenario !== "observe" && !r.node)
      ctx.addIssue({ code: "custom", path: ["node"], message: `${r.scenario} needs the node it acts on` });
    if (r.scenario === "hard-fault" && r.faultS === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["faultS"],
        message: "hard-fault needs faultS (how long the drop lasts)",
      });
    if (r.faultS !== undefined && r.faultS >= r.durationS)
      ctx.addIssue({ code: "custom", path: ["faultS"], message: "faultS must be shorter than durationS" });
  });
export type RunRequest = z.output<typeof runRequestSchema>;
