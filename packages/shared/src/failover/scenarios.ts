// The failover scenarios as data (as the lab's drills are): each a list of steps `{id, action, waitFor?, restore?}`,
// run in order, and the restore phase as the steps' restores in reverse. An executor (issue 11's run service) maps
// actions to registry commands and Kubernetes writes; `waitFor` names a condition the live sources decide.
import type { FailoverScenario } from "../protocol/failover.js";

export type StepAction =
  | "probe-only"
  | "cordon"
  | "uncordon"
  | "drain"
  | "exclude-from-load-balancers"
  | "include-in-load-balancers"
  | "stop-k3s"
  | "start-k3s"
  | "restart-k3s"
  | "kill-k3s"
  | "kill-bird"
  | "stop-bgp"
  | "start-bgp"
  | "reboot-node"
  | "drop-node-traffic";

export type WaitCondition =
  | "router-vip-path-withdrawn"
  | "router-vip-path-back"
  | "node-ready"
  /** The node's own API failed after the action and answers again (a reboot's return). */
  | "node-back"
  | "node-api-ready"
  | "fault-over"
  | "bird-back";

export interface ScenarioStep {
  id: string;
  action: StepAction;
  /** What must hold before the next step (bounded by the run's duration). */
  waitFor?: WaitCondition;
  /** The step that undoes this one in the restore phase (run in reverse order). */
  restore?: { action: StepAction; waitFor?: WaitCondition };
}

export interface Scenario {
  id: FailoverScenario;
  title: string;
  /** What the confirmation says will happen to the node (the UI asks for its name before a destructive one). */
  effect: string;
  destructive: boolean;
  steps: ScenarioStep[];
}

const k3sBack = { action: "start-k3s", waitFor: "node-api-ready" } as const;

export const scenarios: Record<FailoverScenario, Scenario> = {
  observe: {
    id: "observe",
    title: "Observe",
    effect: "nothing: probes only, while you work elsewhere",
    destructive: false,
    steps: [{ id: "observe", action: "probe-only" }],
  },
  "drain-stop": {
    id: "drain-stop",
    title: "Drain and stop k3s",
    effect: "cordons and drains the node (PodDisruptionBudgets respected), then stops k3s",
    destructive: true,
    steps: [
      { id: "cordon", action: "cordon", restore: { action: "uncordon" } },
      { id: "drain", action: "drain" },
      { id: "stop-k3s", action: "stop-k3s", restore: k3sBack },
    ],
  },
  "stop-k3s": {
    id: "stop-k3s",
    title: "Stop k3s",
    effect: "stops k3s (systemctl stop k3s): its apiserver goes away, BGP stays up",
    destructive: true,
    steps: [{ id: "stop-k3s", action: "stop-k3s", restore: k3sBack }],
  },
  "restart-k3s": {
    id: "restart-k3s",
    title: "Restart k3s",
    effect: "restarts k3s (systemctl restart k3s)",
    destructive: true,
    steps: [{ id: "restart-k3s", action: "restart-k3s", waitFor: "node-api-ready" }],
  },
  "kill-k3s": {
    id: "kill-k3s",
    title: "Kill k3s",
    effect: "kills k3s with SIGKILL (the document's API process crash); systemd restarts it",
    destructive: true,
    // Back once its API failed and answers again (a probe begun before the process died may still succeed).
    steps: [{ id: "kill-k3s", action: "kill-k3s", waitFor: "node-back", restore: k3sBack }],
  },
  "kill-bird": {
    id: "kill-bird",
    title: "Kill BIRD",
    effect: "kills BIRD inside calico-node; it is restarted (graceful restart keeps its routes meanwhile)",
    destructive: true,
    steps: [{ id: "kill-bird", action: "kill-bird", waitFor: "bird-back" }],
  },
  "node-restart": {
    id: "node-restart",
    title: "Reboot the node",
    effect: "reboots the node (systemctl reboot): every service and its link go down and come back",
    destructive: true,
    steps: [{ id: "reboot", action: "reboot-node", waitFor: "node-back" }],
  },
  "graceful-maintenance": {
    id: "graceful-maintenance",
    title: "Graceful maintenance",
    effect:
      "excludes the node from load balancers and waits for the router to drop its VIP path, then drains and stops k3s",
    destructive: true,
    steps: [
      {
        id: "exclude",
        action: "exclude-from-load-balancers",
        waitFor: "router-vip-path-withdrawn",
        restore: { action: "include-in-load-balancers", waitFor: "router-vip-path-back" },
      },
      { id: "cordon", action: "cordon", restore: { action: "uncordon" } },
      { id: "drain", action: "drain" },
      { id: "stop-k3s", action: "stop-k3s", restore: k3sBack },
    ],
  },
  "bgp-withdraw": {
    id: "bgp-withdraw",
    title: "Withdraw BGP",
    effect: "stops Calico's BGP on the node gracefully (its routes are withdrawn at once)",
    destructive: true,
    steps: [
      {
        id: "stop-bgp",
        action: "stop-bgp",
        restore: { action: "start-bgp", waitFor: "router-vip-path-back" },
      },
    ],
  },
  "hard-fault": {
    id: "hard-fault",
    title: "Hard fault",
    effect:
      "drops all of the node's traffic for faultS seconds (it heals by itself, even if the console loses it)",
    destructive: true,
    steps: [{ id: "drop", action: "drop-node-traffic", waitFor: "fault-over" }],
  },
};

/**
 * What `faultS` means for a scenario: how long the drop lasts, how long the node stays broken before the restore (a
 * step with a restore and nothing to wait for), or nothing (the scenario ends by itself).
 */
export function faultKind(scenario: Scenario): "drop" | "hold" | null {
  if (scenario.steps.some((s) => s.action === "drop-node-traffic")) return "drop";
  return scenario.steps.some((s) => s.restore && !s.waitFor) ? "hold" : null;
}

/** The restore phase: every restore of the steps that ran, last first. */
export function restorePlan(scenario: Scenario, ran: number): ScenarioStep["restore"][] {
  return scenario.steps
    .slice(0, ran)
    .map((s) => s.restore)
    .filter((r): r is NonNullable<ScenarioStep["restore"]> => r !== undefined)
    .reverse();
}
