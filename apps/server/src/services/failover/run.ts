// One failover run while it is active: probes in the worker, a baseline, the scenario's steps with their waits, the
// fault phase, the restore (also on abort, failure or lost quorum), and the time axis the live sources add. Every
// sample and event is stored as it arrives and handed to the followers; the row's state says where the run is.
import {
  type ClusterSnapshot,
  faultHoldMs,
  faultKind,
  type Plan,
  type RouterSnapshot,
  type RunEvent,
  type RunRequest,
  type RunState,
  restorePlan,
  type Scenario,
  type ScenarioStep,
  type TimelineEvent,
  type WaitCondition,
} from "@k3s-ha/shared";
import { type ActionContext, ActionError, actions } from "./actions.js";
import { monotonicMs } from "./probe/clock.js";
import type { ProbeRun } from "./probe/engine.js";
import type { ProbeStats, WireSample } from "./probe/scheduler.js";
import type { RestoreRecord, RunStore } from "./run-store.js";
import { quorumLost, RunTimeline } from "./run-timeline.js";
import { conditionMet } from "./waits.js";

export interface RunEnvironment {
  store: RunStore;
  plan: Plan;
  /** The hub's latest snapshots. */
  router: () => RouterSnapshot | undefined;
  cluster: () => ClusterSnapshot | undefined;
  subscribe: (topic: "router" | "kubernetes", listener: () => void) => () => void;
  action: Omit<ActionContext, "node" | "faultS" | "signal" | "report" | "timeoutMs">;
  /** A direct `/readyz` to the node's own address with the kubeconfig's credentials (when no probe says so). */
  nodeApiReady: (node: string) => Promise<boolean>;
  /** Called after the row changed state (the `failover` topic, followers). */
  stateChanged: (state: RunState) => void;
  samplesAdded: (samples: WireSample[]) => void;
  eventAdded: (event: RunEvent) => void;
  log: (msg: string, err?: unknown) => void;
}

export class RunAborted extends Error {}

/** How long past the run's duration a step's wait may go on before the run fails (the restore then runs). */
const WAIT_GRACE_MS = 120_000;

/** The baseline before the first action: a tenth of the run, between 1 and 10 s. */
export function leadInMs(durationMs: number): number {
  return Math.min(10_000, Math.max(1_000, Math.round(durationMs / 10)));
}

export class ActiveRun {
  private eventSeq = 0;
  private readonly abort = new AbortController();
  private abortReason: string | undefined;
  private failure: string | undefined;
  private timeline: RunTimeline | undefined;
  private lastOkAtMs = new Map<string, number>();
  private lastFailAtMs = new Map<string, number>();
  private stepsRan = 0;
  private actionAtMs: number | undefined;
  probes: ProbeRun | undefined;
  readonly finished: Promise<void>;

  constructor(
    readonly id: string,
    readonly scenario: Scenario,
    readonly request: RunRequest,
    readonly originMs: number,
    private readonly env: RunEnvironment,
    /** Absent when recovering a run a server restart interrupted: then only its restore runs. */
    startProbes?: (onSamples: (s: WireSample[]) => void, onProbeError: (message: string) => void) => ProbeRun,
    recovering?: { stepsRan: number },
  ) {
    if (recovering) {
      this.stepsRan = recovering.stepsRan;
      this.eventSeq = env.store.events(id).at(-1)?.seq ?? 0;
      this.finished = this.recover();
    } else {
      this.probes = startProbes?.(
        (samples) => this.onSamples(samples),
        (message) =>
          this.event({ kind: "note", summary: `A probe failed unexpectedly (probing goes on): ${message}` }),
      );
      this.finished = this.execute();
    }
  }

  /** After a server restart: the run stays `interrupted`, its restore runs now and says how it went. */
  private async recover(): Promise<void> {
    this.event({
      kind: "note",
      summary: "The console restarted during this run: it is interrupted; restoring",
    });
    try {
      await this.restore("interrupted");
    } finally {
      this.setState("interrupted");
    }
  }

  private now(): number {
    return Math.round((monotonicMs() - this.originMs) * 10) / 10;
  }

  private onSamples(samples: WireSample[]): void {
    try {
      this.env.store.addSamples(this.id, samples);
    } catch (err) {
      this.env.log("storing samples failed", err);
      return;
    }
    for (const s of samples)
      if (s.outcome === "ok")
        this.lastOkAtMs.set(s.endpoint, Math.max(this.lastOkAtMs.get(s.endpoint) ?? 0, s.startedAtMs));
      else this.lastFailAtMs.set(s.endpoint, Math.max(this.lastFailAtMs.get(s.endpoint) ?? 0, s.startedAtMs));
    this.env.samplesAdded(samples);
  }

  event(e: TimelineEvent, atMs = this.now()): void {
    const event: RunEvent = { seq: ++this.eventSeq, atMs, ...e };
    this.env.store.addEvent(this.id, event);
    this.env.eventAdded(event);
  }

  /** Abort from the operator (or the console shutting down): the current step stops, the restore runs. */
  requestAbort(reason: string): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    this.abort.abort(new RunAborted(reason));
  }

  private fail(reason: string): void {
    if (this.failure || this.abortReason) return;
    this.failure = reason;
    this.abort.abort(new RunAborted(reason));
  }

  private setState(state: RunState, patch: Parameters<RunStore["update"]>[1] = {}): void {
    this.env.store.update(this.id, { state, ...patch });
    this.env.stateChanged(state);
  }

  private async sleep(ms: number): Promise<void> {
    if (ms <= 0) return;
    const signal = this.abort.signal;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  private met(condition: WaitCondition, sinceMs: number): Promise<boolean> {
    const node = this.request.node ?? "";
    return conditionMet(condition, {
      node,
      nowMs: this.now(),
      sinceMs,
      faultS: this.request.faultS ?? 0,
      lastOkAtMs: (e) => this.lastOkAtMs.get(e),
      lastFailAtMs: (e) => this.lastFailAtMs.get(e),
      vipNodes: this.timeline?.vipNodes() ?? [],
      cluster: this.timeline?.cluster,
      router: this.env.router(),
      nodeApiReady: () => this.env.nodeApiReady(node),
    });
  }

  /**
   * Waits for `condition` (checked every 100 ms) until `deadlineMs` on the run's clock; `sinceMs` is when the action
   * took effect (a wait for what follows it counts from there).
   */
  private async waitFor(
    condition: WaitCondition,
    deadlineMs: number,
    abortable = true,
    sinceMs = this.now(),
  ): Promise<void> {
    const began = sinceMs;
    this.event({ kind: "wait", summary: `Waiting: ${condition}`, detail: { condition, state: "begun" } });
    while (!(await this.met(condition, began))) {
      if (this.now() >= deadlineMs) {
        this.event({
          kind: "wait",
          summary: `Gave up waiting: ${condition}`,
          detail: { condition, state: "timed-out" },
        });
        throw new ActionError(`${condition} did not happen within the run's time`);
      }
      if (abortable) await this.sleep(100);
      else await new Promise((r) => setTimeout(r, 100));
    }
    this.event({
      kind: "wait",
      summary: `Met: ${condition}`,
      detail: { condition, state: "met", afterMs: this.now() - began },
    });
  }

  private context(signal: AbortSignal, deadlineMs: number): ActionContext {
    return {
      ...this.env.action,
      node: this.request.node ?? "",
      faultS: this.request.faultS ?? 1,
      signal,
      report: (summary) => this.event({ kind: "note", summary }),
      timeoutMs: Math.max(5_000, deadlineMs - this.now()),
    };
  }

  private async step(
    step: Pick<ScenarioStep, "action" | "waitFor">,
    deadlineMs: number,
    signal: AbortSignal,
  ) {
    const run = actions[step.action];
    if (!run) throw new ActionError(`the console cannot run ${step.action} yet`);
    const began = this.now();
    this.event(
      {
        kind: "action",
        summary: `${step.action} on ${this.request.node ?? "the cluster"}`,
        detail: { action: step.action },
      },
      began,
    );
    const outcome = await run(this.context(signal, deadlineMs));
    // The action takes effect when its command starts (systemctl stop closes the listener at once), except what says
    // it starts later (the drop, 0.3 s after its command returned).
    const at = outcome.effectDelayMs !== undefined ? this.now() + outcome.effectDelayMs : began;
    this.event(
      { kind: "action-done", summary: outcome.summary, detail: { action: step.action } },
      outcome.effectDelayMs !== undefined ? at : this.now(),
    );
    return at;
  }

  private async execute(): Promise<void> {
    const durationMs = this.request.durationS * 1_000;
    this.timeline = new RunTimeline(
      this.env,
      (e) => this.event(e),
      (snap) => {
        // Embedded etcd losing quorum beyond the node under test ends the run: the restore brings the node back.
        const lost = this.stepsRan > 0 ? quorumLost(snap, this.request.node) : undefined;
        if (lost) this.fail(lost);
      },
    );
    let final: RunState = "done";
    try {
      if (this.scenario.id !== "observe") {
        await this.sleep(leadInMs(durationMs));
        for (const [i, step] of this.scenario.steps.entries()) {
          // Counted before it runs: a step that failed half-way is restored too (every restore is idempotent).
          this.stepsRan = i + 1;
          this.env.store.update(this.id, { stepsRan: this.stepsRan });
          const at = await this.step(step, durationMs, this.abort.signal);
          if (this.actionAtMs === undefined) {
            this.actionAtMs = at;
            this.env.store.update(this.id, { actionAtMs: at });
            // Open pages refetch the detail: the timeline's action line and the times from the action.
            this.env.stateChanged("running");
          }
          // A wait may outlast the probes (a short run, a slow node): bounded, but not by the probing time.
          if (step.waitFor) await this.waitFor(step.waitFor, durationMs + WAIT_GRACE_MS, true, at);
        }
        if (faultKind(this.scenario) === "hold") await this.sleep(faultHoldMs(this.request));
        await this.restore("restoring");
        this.setState("running");
      }
      await Promise.race([this.probes?.done, this.sleep(durationMs + 60_000)]);
    } catch (err) {
      if (!(err instanceof RunAborted || err instanceof ActionError)) this.env.log("the run failed", err);
      if (!this.abortReason && !this.failure) this.failure = err instanceof Error ? err.message : String(err);
      final = this.abortReason ? "aborted" : "failed";
      if (this.failure) this.event({ kind: "note", summary: `The run failed: ${this.failure}` });
      if (this.abortReason) this.event({ kind: "note", summary: `Aborted: ${this.abortReason}` });
      // Probes go on through the restore (the recovery is measured too), bounded by the run's duration.
      await this.restore("restoring").catch((e: unknown) => this.env.log("the restore failed", e));
      await this.probes?.stop().catch(() => undefined);
    } finally {
      this.timeline.stop();
    }
    const stats: ProbeStats | undefined = await this.probes?.done.catch(() => undefined);
    this.setState(final, {
      endedAt: new Date().toISOString(),
      ...(stats ? { probeStats: stats } : {}),
      error: this.failure ?? (this.abortReason ? `aborted: ${this.abortReason}` : null),
    });
  }

  private restoreDone = false;

  /** The restores of the steps that ran, last first; never aborted part-way (a half restore is worse). */
  private async restore(state: RunState): Promise<void> {
    if (this.restoreDone) return;
    this.restoreDone = true;
    const plan = restorePlan(this.scenario, this.stepsRan);
    const record: RestoreRecord = {
      state: plan.length ? "running" : "not-needed",
      steps: plan.map((r) => ({ action: r?.action ?? "", state: "pending" })),
    };
    if (plan.length === 0) {
      this.env.store.update(this.id, { restore: record });
      return;
    }
    this.setState(state, { restore: record });
    this.event({ kind: "restore", summary: `Restoring: ${plan.map((r) => r?.action).join(", ")}` });
    const signal = new AbortController().signal;
    const deadline = this.now() + 180_000;
    for (const [i, r] of plan.entries()) {
      const entry = record.steps[i];
      if (!r || !entry) continue;
      entry.state = "running";
      this.env.store.update(this.id, { restore: record });
      try {
        const at = await this.step(r, deadline, signal);
        if (r.waitFor) await this.waitFor(r.waitFor, deadline, false, at);
        entry.state = "done";
      } catch (err) {
        entry.state = "failed";
        entry.error = err instanceof Error ? err.message : String(err);
        record.state = "failed";
        this.event({ kind: "restore", summary: `Restore step ${r.action} failed: ${entry.error}` });
      }
      this.env.store.update(this.id, { restore: record });
    }
    if (record.state !== "failed") record.state = "done";
    this.env.store.update(this.id, { restore: record });
    this.event({ kind: "restore", summary: `Restore ${record.state}` });
  }
}
