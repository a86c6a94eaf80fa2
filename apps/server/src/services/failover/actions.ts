// What each scenario step does to the node: registry commands over SSH (k3s through systemd, the self-removing
// traffic drop) and Kubernetes writes (cordon, the load-balancer exclusion label). Each returns a sentence for the
// run's timeline; a failure throws with what the host or the API said.
import { FAULT_DELAY_MS, type StepAction } from "@k3s-ha/shared";
import type { KubeAccess } from "../../plugins/kube.js";
import type { SshPool } from "../../plugins/ssh.js";
import { drainNode } from "./drain.js";

export interface ActionContext {
  ssh: SshPool;
  kube: () => Promise<KubeAccess>;
  node: string;
  faultS: number;
  signal: AbortSignal;
  /** A sentence for the run's timeline while the action goes on (a PodDisruptionBudget in the way). */
  report: (summary: string) => void;
  /** How long the action may take (the run's time left). */
  timeoutMs: number;
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
  "drain",
  "kill-bird",
  "stop-bgp",
  "start-bgp",
  "reboot-node",
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
  "kill-bird": async (ctx) => {
    const r = await ctx.ssh.exec(ctx.node, "bird-kill", {}, ctx.signal);
    if (r.code === 1) throw new ActionError(`BIRD (bird6) is not running on ${ctx.node}: nothing to kill`);
    if (r.code !== 0)
      throw new ActionError(
        `pkill -KILL -x bird6 on ${ctx.node} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`,
      );
    return {
      summary: `BIRD (bird6) on ${ctx.node} killed with SIGKILL; calico-node's runit starts it again`,
    };
  },
  "stop-bgp": async (ctx) => {
    await nodeCommand(
      ctx,
      () => ctx.ssh.exec(ctx.node, "calico-bgp", { verb: "down" }, ctx.signal),
      "sv down bird6",
    );
    return {
      summary: `Calico's BGP on ${ctx.node} stopped (sv down bird6: its sessions closed with a Cease)`,
    };
  },
  "start-bgp": async (ctx) => {
    await nodeCommand(
      ctx,
      () => ctx.ssh.exec(ctx.node, "calico-bgp", { verb: "up" }, ctx.signal),
      "sv up bird6",
    );
    return { summary: `Calico's BGP on ${ctx.node} started again (sv up bird6)` };
  },
  "reboot-node": async (ctx) => {
    await nodeCommand(ctx, () => ctx.ssh.exec(ctx.node, "node-reboot", {}, ctx.signal), "systemctl reboot");
    return {
      summary: `${ctx.node} is rebooting (systemctl reboot): every service and its link go down and come back`,
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
  drain: async (ctx) => {
    const evicted = await drainNode(await ctx.kube(), ctx.node, {
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      report: ctx.report,
    });
    return {
      summary: evicted.length
        ? `${ctx.node} drained: ${evicted.length} pod${evicted.length === 1 ? "" : "s"} evicted (${evicted.slice(0, 5).join(", ")}${evicted.length > 5 ? ", …" : ""}); DaemonSet pods stay`
        : `${ctx.node} drained: nothing to evict but DaemonSet pods`,
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
