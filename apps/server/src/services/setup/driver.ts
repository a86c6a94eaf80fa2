// What each guided-setup step implements (one driver per step id): plan what it would write against what is live,
// apply that, verify the effect with evidence, and undo what it wrote. The setup service does the rest (lock, audit,
// records, status); drivers never parse command output themselves (the registry's parsers do).
import type {
  ClusterSnapshot,
  DnsSnapshot,
  Plan,
  RouterSnapshot,
  SetupChange,
  SetupCheck,
  SetupStepId,
} from "@k3s-ha/shared";
import type { KubeAccess } from "../../plugins/kube.js";
import type { SshPool } from "../../plugins/ssh.js";
import type { KubeObjects } from "./kube-objects.js";
import type { StepRecord } from "./setup-store.js";

/** What a driver can reach: the plan, the adapters, the hub's latest snapshots. */
export interface StepContext {
  plan: Plan;
  /** The plan's file (key files it names are relative to it). */
  planFile: string;
  kube: () => Promise<KubeObjects>;
  kubeAccess: () => Promise<KubeAccess>;
  ssh: SshPool;
  router: () => RouterSnapshot | undefined;
  cluster: () => ClusterSnapshot | undefined;
  dns: () => DnsSnapshot | undefined;
  /** Polls the router (and DNS) now and waits for the fresh snapshot (verify reads what the apply changed). */
  refresh: (what: "router" | "dns" | "cluster") => Promise<void>;
  /** Other steps' records (an earlier step's state). */
  record: (id: SetupStepId) => StepRecord | undefined;
  signal: AbortSignal;
  /** Planning for a preview or an apply (dry-runs are asked for); false when only the status is wanted. */
  preview?: boolean;
  /** A line of progress, streamed to the page and kept on the record. */
  progress: (line: string) => void;
  /**
   * Keeps what an apply has written so far on its record, before and after each change (a console killed
   * half-way still knows what to undo). Set while an apply runs.
   */
  keep?: (applied: unknown) => void;
}

/** What a step would do now. */
export interface StepPlan {
  changes: SetupChange[];
  /** Nothing to apply: live already holds what the step writes. */
  satisfied: boolean;
  /** Why apply would be refused now (a precondition, a conflict with the plan). */
  refusals: string[];
  /** Manual steps: what the operator does by hand. */
  instructions?: string[];
  /** Driver data apply needs (what was planned), kept out of the API answer. */
  internal?: unknown;
}

export interface ApplyOutcome {
  /** What was written (stored; drift and undo read it). */
  applied: unknown;
  /** What was there before, for undo. */
  previous: unknown;
  message: string;
}

export interface StepDriver {
  id: SetupStepId;
  plan(ctx: StepContext): Promise<StepPlan>;
  /** Applies `planned` (the plan just made); throws StepError with what was done when it fails part-way. */
  apply?(ctx: StepContext, planned: StepPlan, opts: { force: boolean }): Promise<ApplyOutcome>;
  verify(ctx: StepContext): Promise<SetupCheck[]>;
  /** Whether live still holds what `rec` says was applied (false: drifted). */
  holds?(ctx: StepContext, rec: StepRecord): Promise<boolean>;
  /** Why undo would not bring back what was there before (it is refused unless forced). */
  undoRefusals?(ctx: StepContext, rec: StepRecord): Promise<string[]>;
  undo?(ctx: StepContext, rec: StepRecord): Promise<string>;
}

/** A step that failed; `done` says what it had already changed (nothing is half-applied silently). */
export class StepError extends Error {
  constructor(
    message: string,
    readonly done: string[] = [],
    readonly applied?: unknown,
  ) {
    super(message);
  }
}

export const check = (
  id: string,
  title: string,
  ok: boolean,
  evidence: string,
  severity: SetupCheck["severity"] = "error",
): SetupCheck => ({ id, title, ok, severity, evidence });
