// Failover runs as a service: the preflight and the cluster's operation lock, one active run at a time, the run's
// detail with its results computed from the stored samples, followers that catch up from the database and then
// receive live batches (no gap, no duplicate), the restore of runs a server restart interrupted, and retention.
import { randomUUID } from "node:crypto";
import {
  type ClusterSnapshot,
  documentFailureTable,
  type FailureTableRow,
  failureTable,
  type Plan,
  predictionFacts,
  preflight,
  type RouterSnapshot,
  type RunDetail,
  type RunEvent,
  type RunRequest,
  type RunState,
  type RunSummary,
  resultsOfSummaries,
  runResults,
  runTargets,
  SampleSummarizer,
  scenarios,
  summaryOptions,
  vipPathChangesAtMs,
} from "@k3s-ha/shared";
import { AppError } from "../../errors.js";
import type { KubeAccess } from "../../plugins/kube.js";
import type { SshPool } from "../../plugins/ssh.js";
import type { OperationLock } from "../operation-lock.js";
import { type FailoverCatalog, failoverCatalog, missingActions } from "./catalog.js";
import { readControllers } from "./controller-reading.js";
import { monotonicMs } from "./probe/clock.js";
import type { ProbeRun } from "./probe/engine.js";
import type { ProbeRunSpec, WireSample } from "./probe/scheduler.js";
import { probeSpec } from "./probe-spec.js";
import { ActiveRun } from "./run.js";
import { type FollowerMessage, RunFollowers } from "./run-followers.js";
import type { RunRow, RunStore } from "./run-store.js";

export interface FailoverDeps {
  store: RunStore;
  lock: OperationLock;
  ssh: SshPool;
  kube: () => Promise<KubeAccess>;
  plan: () => Plan | undefined;
  router: () => RouterSnapshot | undefined;
  cluster: () => ClusterSnapshot | undefined;
  subscribe: (topic: "router" | "kubernetes", listener: () => void) => () => void;
  /** The `failover` topic: a run started, changed state or ended. */
  publish: () => void;
  audit: (action: string, user: string, target: string, outcome: "ok" | "failed", detail?: string) => void;
  startProbes: (
    spec: ProbeRunSpec,
    onSamples: (s: WireSample[]) => void,
    onProbeError?: (message: string) => void,
  ) => ProbeRun;
  nodeApiReady: (node: string) => Promise<boolean>;
  /** Polls the router every 250 ms while a run is active; returns the undo. */
  hurryRouter: () => () => void;
  log: (msg: string, err?: unknown) => void;
}

/** How often a live run's results are worked out again for the detail route. */
const LIVE_RESULTS_EVERY_MS = 1_000;

export class FailoverService {
  private active: ActiveRun | undefined;
  private readonly followers: RunFollowers;
  private readonly cache = new Map<string, { key: string; results: RunDetail["results"] }>();
  /**
   * A live run's summary of the samples read so far and when its results were last worked out: a client polling the
   * detail of a 10-minute run at 50 ms would otherwise have every sample read and summed on each poll (quadratic in
   * the run).
   */
  private readonly liveCache = new Map<
    string,
    {
      summarizer: SampleSummarizer;
      lastSeq: number;
      endMs: number;
      atMs: number;
      results: RunDetail["results"];
    }
  >();

  constructor(private readonly deps: FailoverDeps) {
    this.followers = new RunFollowers(deps.store);
  }

  /** The preflight's reasons, plus what only the service knows (the scenario's actions, a server to act on). */
  private check(plan: Plan, request: RunRequest): { id: string; message: string }[] {
    const _scenario = scenarios[request.scenario];
    const reasons: { id: string; message: string }[] = preflight({
      plan,
      cluster: this.deps.cluster(),
      scenario: request.scenario,
      ...(request.node ? { node: request.node } : {}),
      ...(this.deps.lock.describe() ? { lockHeldBy: this.deps.lock.describe() } : {}),
    });
    const unsupported = missingActions(request.scenario);
    if (unsupported.length)
      reasons.push({
        id: "scenario-unavailable",
        message: `${request.scenario} needs ${unsupported.join(", ")}, which this console version cannot run yet`,
      });
    const node = plan.nodes.find((n) => n.name === request.node);
    if (request.scenario !== "observe" && node && node.role !== "server")
      reasons.push({
        id: "node-not-server",
        message: `${node.name} is an agent: it serves no API to measure`,
      });
    return reasons;
  }

  async start(request: RunRequest, user: string): Promise<{ id: string }> {
    const plan = this.deps.plan();
    if (!plan) throw new AppError("PLAN_UNAVAILABLE", "No valid plan is loaded: nothing to probe");
    const targets = runTargets(plan, request.endpoints, request.node);
    if (!targets.ok) throw new AppError("BAD_REQUEST", `endpoints: ${targets.message}`);
    const reasons = this.check(plan, request);
    if (reasons.length) {
      this.deps.audit(
        "failover.start",
        user,
        request.node ?? request.scenario,
        "failed",
        reasons[0]?.message,
      );
      const lockOnly = reasons.every((r) => r.id === "operation-in-progress");
      throw new AppError(
        lockOnly ? "OPERATION_IN_PROGRESS" : "PREFLIGHT_FAILED",
        `The preflight failed: ${reasons.map((r) => r.message).join("; ")}`,
        { reasons },
      );
    }
    const access = await this.deps.kube().catch((err: unknown) => {
      throw new AppError("K8S_UNAVAILABLE", `The kubeconfig cannot be used: ${(err as Error).message}`);
    });
    // Read before the lock is taken (a few seconds at most): the predictions' controller timings and lease holder.
    const controllers = await readControllers(plan, this.deps.ssh, access);
    const id = randomUUID();
    const scenario = scenarios[request.scenario];
    const release = this.deps.lock.acquire({
      kind: "failover-run",
      id,
      user,
      what: `${request.scenario}${request.node ? ` on ${request.node}` : ""}`,
    });
    const endpoints = targets.targets.map((t) => t.endpoint);
    const startedAt = new Date().toISOString();
    const originMs = monotonicMs();
    const { confirm: _confirm, ...rest } = request;
    this.deps.store.create({
      id,
      scenario: request.scenario,
      node: request.node ?? null,
      state: "running",
      startedBy: user,
      startedAt,
      request: { ...rest, endpoints },
      restore: { state: "pending", steps: [] },
      facts: predictionFacts(plan, request.node, this.deps.router(), this.deps.cluster(), controllers),
    });
    this.deps.audit(
      "failover.start",
      user,
      request.node ?? request.scenario,
      "ok",
      `${request.scenario} run ${id}: ${scenario.effect}`,
    );
    const spec = probeSpec(plan, request, targets.targets, access, originMs);
    const unhurry = this.deps.hurryRouter();
    let run: ActiveRun;
    try {
      run = new ActiveRun(
        id,
        scenario,
        request,
        originMs,
        this.environment(plan, id),
        (onSamples, onProbeError) => this.deps.startProbes(spec, onSamples, onProbeError),
      );
    } catch (err) {
      // The probes could not start (no worker thread): nothing was done to the cluster; the lock is free again.
      unhurry();
      release();
      const message = err instanceof Error ? err.message : String(err);
      this.deps.store.update(id, { state: "failed", endedAt: new Date().toISOString(), error: message });
      this.deps.audit(
        "failover.end",
        user,
        request.node ?? request.scenario,
        "failed",
        `run ${id}: ${message}`,
      );
      throw err;
    }
    this.active = run;
    this.deps.publish();
    void run.finished
      .catch((err: unknown) => this.deps.log("the run ended with an error", err))
      .finally(() => {
        unhurry();
        release();
        if (this.active === run) this.active = undefined;
        // The samples held for a live detail go with the run (the ended run's detail reads them once more).
        this.liveCache.delete(id);
        const row = this.deps.store.get(id);
        this.deps.audit(
          "failover.end",
          user,
          request.node ?? request.scenario,
          row?.state === "done" ? "ok" : "failed",
          `run ${id} ${row?.state}; restore ${row?.restore.state}`,
        );
        this.followers.end(id);
        this.deps.publish();
      });
    return { id };
  }

  private environment(plan: Plan, id: string) {
    return {
      store: this.deps.store,
      plan,
      router: this.deps.router,
      cluster: this.deps.cluster,
      subscribe: this.deps.subscribe,
      action: { ssh: this.deps.ssh, kube: this.deps.kube },
      nodeApiReady: this.deps.nodeApiReady,
      stateChanged: (state: RunState) => {
        this.followers.state(id, state);
        this.deps.publish();
      },
      samplesAdded: (samples: WireSample[]) => this.followers.samples(id, samples),
      eventAdded: (event: RunEvent) => this.followers.event(id, event),
      log: this.deps.log,
    };
  }

  abort(id: string, user: string): void {
    const run = this.active;
    if (!run || run.id !== id) {
      const row = this.deps.store.get(id);
      if (!row) throw new AppError("NOT_FOUND", `No failover run ${id}`);
      throw new AppError("RUN_NOT_ACTIVE", `Run ${id} is ${row.state}: there is nothing to abort`);
    }
    this.deps.audit("failover.abort", user, run.request.node ?? run.request.scenario, "ok", `run ${id}`);
    run.requestAbort(`aborted by ${user}`);
  }

  /**
   * Sends everything after `since` / `eventsSince` from the database, then the live batches: synchronous from the
   * read to the registration, so no batch can fall between them.
   */
  follow(
    runId: string,
    since: number,
    eventsSince: number,
    send: (m: FollowerMessage) => void,
  ): (() => void) | undefined {
    return this.followers.follow(runId, since, eventsSince, send, this.active?.id === runId);
  }

  /** One run's row without its results (what the CSV needs: it exists, and when it started). */
  summary(id: string): RunSummary {
    const row = this.deps.store.get(id);
    if (!row) throw new AppError("NOT_FOUND", `No failover run ${id}`);
    return summaryOf(row, this.deps.store.sampleCount(id));
  }

  list(): RunSummary[] {
    return this.deps.store.list().map((r) => summaryOf(r, r.samples));
  }

  detail(id: string): RunDetail {
    const row = this.deps.store.get(id);
    if (!row) throw new AppError("NOT_FOUND", `No failover run ${id}`);
    const count = this.deps.store.sampleCount(id);
    const events = this.deps.store.events(id);
    const key = `${count}:${events.length}:${row.state}`;
    const cached = this.cache.get(id);
    let results: RunDetail["results"];
    const servers = row.request.endpoints.filter((e) => e.startsWith("node:")).length;
    const request = { ...row.request, faultS: row.request.faultS ?? null };
    const contextAt = (endMs: number) => ({
      scenario: row.scenario,
      node: row.node,
      request,
      actionAtMs: row.actionAtMs,
      servers: Math.max(1, servers),
      facts: row.facts,
      endMs,
      vipPathChangesAtMs: vipPathChangesAtMs(events),
    });
    if (row.state === "running" || row.state === "restoring") {
      // Live: only the samples stored since the last read are read and filed into the run's summary, and the
      // results are worked out again at most once a second (they are that old at most; the websocket carries every
      // sample as it comes).
      const live = this.liveCache.get(id) ?? {
        summarizer: new SampleSummarizer(),
        lastSeq: 0,
        endMs: 0,
        atMs: Number.NEGATIVE_INFINITY,
        results: [],
      };
      this.liveCache.set(id, live);
      const nowMs = performance.now();
      if (nowMs - live.atMs >= LIVE_RESULTS_EVERY_MS) {
        for (const s of this.deps.store.samples(id, live.lastSeq)) {
          live.summarizer.add(s);
          live.lastSeq = Math.max(live.lastSeq, s.seq);
          live.endMs = Math.max(live.endMs, s.startedAtMs);
        }
        const ctx = contextAt(live.endMs);
        live.results = resultsOfSummaries(live.summarizer.summaries(summaryOptions(ctx)), ctx);
        live.atMs = nowMs;
      }
      results = live.results;
    } else {
      this.liveCache.delete(id);
      if (cached?.key === key) results = cached.results;
      else {
        const samples = this.deps.store.samples(id);
        results = runResults(samples, contextAt(samples.reduce((a, s) => Math.max(a, s.startedAtMs), 0)));
        this.cache.set(id, { key, results });
      }
    }
    const { stepsRan: _s, request: _r, probeStats, ...rest } = row;
    return {
      ...rest,
      samples: count,
      request,
      results,
      servers: Math.max(1, servers),
      events,
      probeStats,
    };
  }

  /** Runs a restart left running or restoring: `interrupted`, and their restores run now (under the lock). */
  async recoverInterrupted(): Promise<void> {
    const plan = this.deps.plan();
    for (const row of this.deps.store.unfinished()) {
      const scenario = scenarios[row.scenario];
      const request = { ...row.request, confirm: true as const } as RunRequest;
      this.deps.store.update(row.id, { state: "interrupted", endedAt: new Date().toISOString() });
      if (!plan) {
        this.deps.store.update(row.id, {
          restore: { state: "failed", steps: [] },
          error: "interrupted by a restart; no valid plan to restore with",
        });
        continue;
      }
      const release = this.deps.lock.acquire({
        kind: "failover-restore",
        id: row.id,
        user: row.startedBy,
        what: `restore of ${row.scenario}`,
      });
      try {
        const originMs = monotonicMs() - (Date.now() - Date.parse(row.startedAt));
        const run = new ActiveRun(
          row.id,
          scenario,
          request,
          originMs,
          this.environment(plan, row.id),
          undefined,
          {
            stepsRan: row.stepsRan,
          },
        );
        await run.finished;
        const after = this.deps.store.get(row.id);
        this.deps.audit(
          "failover.restore",
          "console",
          row.node ?? row.scenario,
          after?.restore.state === "failed" ? "failed" : "ok",
          `run ${row.id} interrupted by a restart; restore ${after?.restore.state}`,
        );
      } finally {
        release();
      }
      this.deps.publish();
    }
  }

  /** The console is stopping: abort the active run and give its restore up to `waitMs`. */
  async close(waitMs = 30_000): Promise<void> {
    const run = this.active;
    if (!run) return;
    run.requestAbort("the console is shutting down");
    await Promise.race([run.finished, new Promise((r) => setTimeout(r, waitMs))]);
  }

  /** What the console can run and who holds the operation lock (the page offers only what would start). */
  catalog(): FailoverCatalog {
    return failoverCatalog(this.deps.lock, this.active?.id ?? null);
  }

  /** The design document's failure table beside the latest three completed runs of each of its scenarios. */
  failureTable(): { rows: FailureTableRow[] } {
    const wanted = new Set(documentFailureTable.map((r) => r.scenario));
    const done = this.deps.store
      .list()
      .filter((r) => r.state === "done" && wanted.has(r.scenario))
      .slice(0, 60)
      .map((r) => {
        const d = this.detail(r.id);
        return { id: d.id, scenario: d.scenario, startedAt: d.startedAt, results: d.results };
      });
    return { rows: failureTable(done) };
  }

  /** A run's samples in seq order, read lazily (the CSV of a 30-minute run is not held in memory). */
  samples(id: string): Iterable<WireSample> {
    return this.deps.store.iterateSamples(id);
  }

  /** Deletes a finished run with its samples and events (audited); the active one cannot be. */
  remove(id: string, user: string): void {
    if (this.active?.id === id)
      throw new AppError("RUN_ACTIVE", `Run ${id} is active: abort it first, then delete it`);
    const row = this.deps.store.get(id);
    if (!row) throw new AppError("NOT_FOUND", `No failover run ${id}`);
    this.deps.store.delete(id);
    this.cache.delete(id);
    this.liveCache.delete(id);
    this.deps.audit(
      "failover.delete",
      user,
      row.node ?? row.scenario,
      "ok",
      `run ${id} (${row.scenario}, ${row.startedAt})`,
    );
    this.deps.publish();
  }

  activeRun(): string | undefined {
    return this.active?.id;
  }
}

export function summaryOf(r: RunRow, samples: number): RunSummary {
  return {
    id: r.id,
    scenario: r.scenario,
    node: r.node,
    state: r.state,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    startedBy: r.startedBy,
    samples,
  };
}
