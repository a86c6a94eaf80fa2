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
    /** How the names are dialled: as Go's dialer (kubectl, client-go) or as Node's happy eyeballs. */
    dial: z.enum(["go", "happy-eyeballs"]).default("go"),
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

export const probeModeSchema = z.enum(["new", "reused"]);
export const outcomeSchema = z.union([
  z.enum(["ok", "timeout", "refused", "reset", "tls-error", "dns-error"]),
  z.string().regex(/^http-\d{3}$/) as z.ZodType<`http-${number}`>,
]);

/** One probe as stored and streamed: start on the run's clock (ms after `startedAt`). */
export const sampleSchema = z.object({
  seq: z.number().int().min(1),
  endpoint: z.string(),
  mode: probeModeSchema,
  address: z.string().optional(),
  startedAtMs: z.number(),
  durationMs: z.number(),
  outcome: outcomeSchema,
  error: z.string().optional(),
});

export const runEventKinds = [
  "action",
  "action-done",
  "wait",
  "router-path",
  "bgp-session",
  "node",
  "endpoint",
  "restore",
  "note",
] as const;

/** Something on the run's time axis besides samples: its actions and waits, and what the live sources saw. */
export const runEventSchema = z.object({
  seq: z.number().int().min(1),
  atMs: z.number(),
  kind: z.enum(runEventKinds),
  /** One sentence for the timeline. */
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

export const restoreStepSchema = z.object({
  action: z.string(),
  state: z.enum(["pending", "running", "done", "failed"]),
  error: z.string().optional(),
});
export const restoreSchema = z.object({
  state: z.enum(["not-needed", "pending", "running", "done", "failed"]),
  steps: z.array(restoreStepSchema),
});

const latencySchema = z.object({
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
});

export const runResultSchema = z.object({
  endpoint: z.string(),
  mode: probeModeSchema,
  samples: z.number().int(),
  failures: z.number().int(),
  downtimeMs: z.number(),
  longestGapMs: z.number(),
  intervals: z.array(
    z.object({
      beganAtMs: z.number(),
      endedAtMs: z.number().optional(),
      kind: outcomeSchema,
      failedProbes: z.number().int(),
      /** Set when the disruption is the router's ECMP rehash at a change of the VIP's paths (see results.ts). */
      cause: z.enum(["ecmp-rehash"]).optional(),
    }),
  ),
  /** Of `failures`, the probes reset by an ECMP rehash when the VIP's paths changed (0 for other ways in). */
  rehashFailures: z.number().int().default(0),
  errors: z.record(z.string(), z.number().int()),
  latencyMs: latencySchema,
  firstFailureAfterMs: z.number().optional(),
  recoveredAfterMs: z.number().optional(),
  /** Which server answered is known only for a node's own address (every server shows the same certificate). */
  answeredBy: z.string().nullable(),
  /** What the live timers and the plan predicted for this way in, with the reasoning; null for runs without facts. */
  prediction: z.object({ downtimeMs: z.number(), reason: z.string(), disagrees: z.boolean() }).nullable(),
});

export type RunResult = z.infer<typeof runResultSchema>;

/** What the predictions rest on, taken at the run's start (see failover/predict.ts). */
export const predictionFactsSchema = z.object({
  routerKnown: z.boolean(),
  vipPaths: z.number().int(),
  nodeHasVipPath: z.boolean(),
  holdTimeMs: z.number().optional(),
  keepaliveMs: z.number().optional(),
  grRestartS: z.number().optional(),
  bfd: z.boolean(),
  calicoVersion: z.string().optional(),
  calicoHonoursReadiness: z.boolean(),
  nodeGraceMs: z.number(),
  /** Where the grace period came from ("node02's k3s configuration", "upstream's default: …"). */
  nodeGraceFrom: z.string().optional(),
  nodeMonitorPeriodMs: z.number(),
  /** The kube-controller-manager lease's holder at the start (a node name), and whether it is the node under test. */
  controllerLeader: z.string().optional(),
  nodeLeadsControllers: z.boolean().optional(),
  /** Its lease duration and the candidates' retry period: a takeover waits for both. */
  controllerLeaseMs: z.number().optional(),
  controllerRetryMs: z.number().optional(),
  restartSecMs: z.number(),
  dnsTtlS: z.number(),
});

export const runStateSchema = z.enum(runStates);
export type RunState = z.infer<typeof runStateSchema>;

export const runSummarySchema = z.object({
  id: z.string(),
  scenario: z.enum(failoverScenarios),
  node: z.string().nullable(),
  state: runStateSchema,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  startedBy: z.string(),
  samples: z.number().int(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runDetailSchema = runSummarySchema.extend({
  request: z.object({
    endpoints: z.array(z.string()),
    request: z.enum(["readyz", "namespace"]),
    intervalMs: z.number(),
    timeoutMs: z.number(),
    durationS: z.number(),
    faultS: z.number().nullable(),
    dial: z.enum(["go", "happy-eyeballs"]),
  }),
  /** When the scenario's first action took effect, on the run's clock. */
  actionAtMs: z.number().nullable(),
  results: z.array(runResultSchema),
  facts: predictionFactsSchema.nullable(),
  /** Servers in the plan when the run started (the predictions' ECMP and DNS shares). */
  servers: z.number().int(),
  events: z.array(runEventSchema),
  restore: restoreSchema,
  error: z.string().nullable(),
  probeStats: z
    .object({
      fired: z.number(),
      passed: z.number(),
      lateMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
      dnsLookups: z.number(),
      /**
       * The probe thread's scheduling: its SCHED_RR priority and nice value when the console could raise them
       * (CAP_SYS_NICE, or RLIMIT_RTPRIO / RLIMIT_NICE), else why not.
       */
      priority: z
        .object({
          nice: z.number().nullable(),
          rtPriority: z.number().nullable().optional(),
          reason: z.string().optional(),
        })
        .optional(),
    })
    .nullable(),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const runListSchema = z.object({ runs: z.array(runSummarySchema) });

/** `GET /api/failover/scenarios`: what the console can run, who holds the cluster's operation lock, the active run. */
export const failoverCatalogSchema = z.object({
  scenarios: z.array(
    z.object({
      id: z.enum(failoverScenarios),
      title: z.string(),
      effect: z.string(),
      destructive: z.boolean(),
      /** What the restore does after the fault (and on abort or failure), in order; empty when the fault heals itself. */
      restore: z.array(z.string()),
      /** What faultS means here: the drop's length, how long the fault is held before the restore, or nothing. */
      fault: z.enum(["drop", "hold"]).nullable(),
      available: z.boolean(),
      unavailableReason: z.string().optional(),
    }),
  ),
  lock: z
    .object({
      kind: z.string(),
      id: z.string(),
      user: z.string(),
      what: z.string(),
      since: z.string(),
      description: z.string(),
    })
    .nullable(),
  activeRun: z.string().nullable(),
});

const measuredSchema = z
  .object({ affectedMs: z.number(), downtimeMs: z.number(), runs: z.number().int() })
  .nullable();

/** `GET /api/failover/failure-table`: the design document's failure table beside this environment's measurements. */
export const failureTableSchema = z.object({
  rows: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      scenario: z.enum(failoverScenarios),
      claims: z.object({ vip: z.string(), dns: z.string() }),
      how: z.string(),
      vip: measuredSchema,
      dns: measuredSchema,
      runIds: z.array(z.string()),
    }),
  ),
});
