// What each scenario step does to the node: registry commands over SSH (k3s through systemd, the self-removing
// traffic drop) and Kubernetes writes (cordon, the load-balancer exclusion label). Each returns a sentence for the
// run's timeline; a failure throws with what the host or the API said.
import { FAULT_DELAY_MS, type StepAction } from "@k3s-ha/shared";
import type { KubeAccess } from "../../plugins/kube.js";
import type { SshPool } from "../../plugins/ssh.js";

export interface ActionContext {
  ssh: SshPool;
  kube: () => Promise<KubeAccess>;
  node: string;
  faultS: number;
  signal: AbortSignal;
}

export interface ActionOutcome {
  summary: string;
  /** When the action takes effect, ms after it returned (the drop starts 0.3 s after its command). */
  effectDelayMs?: number;
}

export class ActionError extends Error {}

/** Actions the console can run now; a scenario needing any other is refused before it starts. */
export const supportedActions = new Set<StepAction>([
  "probe-only",
  "stop-k3s",
  "start-k3s",
  "restart-k3s",
  "kill-k3s",
  "drop-node-traffic",
  "cordon",
  "uncordon",
  "exclude-from-load-balancers",
  "include-in-load-balancers",
]);

async function nodeCommand(
  ctx: ActionContext,
  run: () => ReturnType<SshPool["exec"]>,
  what: string,
): Promise<string> {
  const r = await run();
  if (r.code !== 0) {
    const said = (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ").slice(0, 300);
    throw new ActionError(`${what} on ${ctx.node} failed (exit ${r.code})${said ? `: ${said}` : ""}`);
  }
  return r.stdout.trim();
}

const k3s = (verb: "start" | "stop" | "restart") => async (ctx: ActionContext) => {
  await nodeCommand(
    ctx,
    () => ctx.ssh.exec(ctx.node, "systemctl-k3s", { verb }, ctx.signal),
    `systemctl ${verb} k3s`,
  );
  return { summary: `systemctl ${verb} k3s on ${ctx.node} returned` };
};

const EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";

async function patchNode(ctx: ActionContext, body: unknown, verb: string): Promise<void> {
  const kube = await ctx.kube();
  await kube.mergePatch(`/api/v1/nodes/${encodeURIComponent(ctx.node)}`, body, {
    verb,
    resource: `node ${ctx.node}`,
  });
}

type Action = (ctx: ActionContext) => Promise<ActionOutcome>;

export const actions: Partial<Record<StepAction, Action>> = {
  "probe-only": async () => ({ summary: "Probing only" }),
  "stop-k3s": k3s("stop"),
  "start-k3s": k3s("start"),
  "restart-k3s": k3s("restart"),
  "kill-k3s": async (ctx) => {
    await nodeCommand(ctx, () => ctx.ssh.exec(ctx.node, "k3s-kill", {}, ctx.signal), "SIGKILL to k3s");
    return {
      summary: `k3s's main process on ${ctx.node} was sent SIGKILL (systemd restarts it after RestartSec)`,
    };
  },
  "drop-node-traffic": async (ctx) => {
    const said = await nodeCommand(
      ctx,
      () => ctx.ssh.exec(ctx.node, "node-drop-traffic", { seconds: ctx.faultS }, ctx.signal),
      "the traffic drop",
    );
    return {
      summary: `All of ${ctx.node}'s traffic but loopback is dropped for ${ctx.faultS} s (${said || "scheduled"})`,
      effectDelayMs: FAULT_DELAY_MS,
    };
  },
  cordon: async (ctx) => {
    await patchNode(ctx, { spec: { unschedulable: true } }, "cordon");
    return { summary: `${ctx.node} cordoned` };
  },
  uncordon: async (ctx) => {
    await patchNode(ctx, { spec: { unschedulable: null } }, "uncordon");
    return { summary: `${ctx.node} uncordoned` };
  },
  "exclude-from-load-balancers": async (ctx) => {
    await patchNode(ctx, { metadata: { labels: { [EXCLUDE_LABEL]: "true" } } }, "label");
    return { summary: `${ctx.node} labelled ${EXCLUDE_LABEL}` };
  },
  "include-in-load-balancers": async (ctx) => {
    await patchNode(ctx, { metadata: { labels: { [EXCLUDE_LABEL]: null } } }, "unlabel");
    return { summary: `${ctx.node}'s ${EXCLUDE_LABEL} label removed` };
  },
};
