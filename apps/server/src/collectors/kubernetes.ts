// The cluster source: one list-and-watch informer per resource (client-node's ListWatch over raw JSON), restarted
// with backoff and jitter when a watch fails, a missing CRD as `absent` (looked for again every 15 s), RBAC denials
// as `forbidden` with the verb and resource. Every change rebuilds the snapshot (debounced) and the hub drops the
// ones that equal the last.

import {
  buildClusterSnapshot,
  type ClusterLists,
  type ClusterResourceId,
  clusterResourceIds,
  clusterResources,
  type ResourceState,
  rbacName,
  resourcePath,
  type WatchedResource,
} from "@k3s-ha/shared";
import { type KubernetesListObject, type KubernetesObject, ListWatch, Watch } from "@kubernetes/client-node";
import { z } from "zod";
import type { Hub } from "../plugins/hub.js";
import { type KubeAccess, KubeError, unreachable } from "../plugins/kube.js";

const listSchema = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional() }).optional(),
  items: z.array(z.looseObject({ metadata: z.looseObject({ name: z.string() }) })).nullable(),
});

const ABSENT_RETRY_MS = 15_000;
const FORBIDDEN_RETRY_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
const DEBOUNCE_MS = 100;

/** 1 s, 2 s, 4 s … 30 s, each between half and all of it so that many consoles do not retry in step. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.min(attempt, 5));
  return Math.round(base * (0.5 + random() * 0.5));
}

/** A failed list or watch → the resource's state. */
export function resourceFailure(err: unknown, r: WatchedResource, server: URL): ResourceState {
  const resource = rbacName(r);
  const status = err instanceof KubeError ? err.status : (err as { statusCode?: number }).statusCode;
  if (status === 404 && r.custom) return { status: "absent" };
  if (status === 403)
    return {
      status: "forbidden",
      error: {
        code: "K8S_FORBIDDEN",
        message:
          err instanceof KubeError
            ? err.message
            : `cannot watch ${resource}: forbidden (the kubeconfig's user lacks it)`,
      },
    };
  if (err instanceof KubeError) return { status: "failing", error: { code: err.code, message: err.message } };
  if (status === 401)
    return {
      status: "failing",
      error: { code: "K8S_UNAUTHORIZED", message: `cannot watch ${resource}: the credentials were refused` },
    };
  if (status)
    return {
      status: "failing",
      error: { code: "K8S_ERROR", message: `cannot watch ${resource}: HTTP ${status}` },
    };
  const e = unreachable(err, server);
  return { status: "failing", error: { code: e.code, message: e.message } };
}

class ResourceWatch {
  state: ResourceState = { status: "syncing" };
  private informer: ListWatch<KubernetesObject> | undefined;
  /** What the failed informer held, shown until a new list succeeds (a reconnect is not an empty cluster). */
  private lastGood: readonly KubernetesObject[] = [];
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;

  constructor(
    readonly id: ClusterResourceId,
    private readonly access: KubeAccess,
    private readonly changed: () => void,
    private readonly absentRetryMs: number,
  ) {}

  private get resource(): WatchedResource {
    return clusterResources[this.id];
  }

  start(): void {
    const path = resourcePath(this.resource);
    const informer = new ListWatch<KubernetesObject>(
      path,
      new Watch(this.access.kc),
      () => this.list(path),
      false,
    );
    informer.on("add", this.changed);
    informer.on("update", this.changed);
    informer.on("delete", this.changed);
    informer.on("error", (err) => this.failed(err));
    this.informer = informer;
    void informer.start();
  }

  /** The informer's cache; while a watch reconnects, what it held last (the state says it failed); none if absent. */
  items(): readonly KubernetesObject[] {
    if (this.state.status === "absent") return [];
    if (this.state.status !== "ok") return this.lastGood;
    return this.informer?.list() ?? [];
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    void this.informer?.stop();
  }

  /** A missing CRD looked for now rather than at its next retry (the setup has just created it). */
  lookAgainIfAbsent(): void {
    if (this.stopped || this.state.status !== "absent") return;
    clearTimeout(this.retry);
    this.start();
  }

  private async list(path: string): Promise<KubernetesListObject<KubernetesObject>> {
    const body = await this.access.getJson(path, { verb: "list", resource: rbacName(this.resource) });
    const list = listSchema.parse(body);
    this.attempts = 0;
    this.setState({ status: "ok" });
    return {
      metadata: { resourceVersion: list.metadata?.resourceVersion ?? "" },
      items: list.items ?? [],
    };
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    const state = resourceFailure(err, this.resource, this.access.server);
    if (this.state.status === "ok") this.lastGood = this.informer?.list() ?? [];
    this.setState(state);
    void this.informer?.stop();
    const delay =
      state.status === "absent"
        ? this.absentRetryMs
        : state.status === "forbidden"
          ? FORBIDDEN_RETRY_MS
          : backoffMs(this.attempts++);
    clearTimeout(this.retry);
    // A new informer lists afresh: its list is what proves the resource readable again (a resumed watch would not).
    this.retry = setTimeout(() => {
      if (!this.stopped) this.start();
    }, delay);
    this.retry.unref();
  }

  private setState(state: ResourceState): void {
    const same = JSON.stringify(state) === JSON.stringify(this.state);
    this.state = state;
    if (!same) this.changed();
  }
}

export interface ClusterWatcherOptions {
  /** Plan node names by address (the API Service's endpoints name no node). */
  names: () => (address: string) => string | undefined;
  /** How soon a missing CRD is looked for again (default 15 s). */
  absentRetryMs?: number;
  log?: (err: unknown) => void;
}

export class ClusterWatcher {
  private watches: ResourceWatch[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(
    private readonly hub: Hub,
    private readonly access: () => Promise<KubeAccess>,
    private readonly options: ClusterWatcherOptions,
  ) {}

  /** (Re)starts every informer with the current kubeconfig. */
  async start(): Promise<void> {
    this.stopWatches();
    const generation = ++this.generation;
    this.hub.registerSource("kubernetes");
    let access: KubeAccess;
    try {
      access = await this.access();
    } catch (err) {
      if (generation !== this.generation) return;
      const e =
        err instanceof KubeError ? err : new KubeError("K8S_CONFIG_INVALID", "the kubeconfig cannot be used");
      this.hub.fail("kubernetes", { code: e.code, message: e.message });
      return;
    }
    if (generation !== this.generation) return;
    const absentRetryMs = this.options.absentRetryMs ?? ABSENT_RETRY_MS;
    this.watches = clusterResourceIds.map(
      (id) => new ResourceWatch(id, access, () => this.schedule(), absentRetryMs),
    );
    for (const w of this.watches) w.start();
  }

  stop(): void {
    this.generation++;
    this.stopWatches();
  }

  /** Looks for every missing CRD again now (after the guided setup created some). */
  lookAgain(): void {
    for (const w of this.watches) w.lookAgainIfAbsent();
  }

  private stopWatches(): void {
    clearTimeout(this.debounce);
    this.debounce = undefined;
    for (const w of this.watches) w.stop();
    this.watches = [];
  }

  private schedule(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.publish();
    }, DEBOUNCE_MS);
    this.debounce.unref();
  }

  /** The current lists, published once every resource has had a first answer. */
  publish(): void {
    if (this.watches.length === 0 || this.watches.some((w) => w.state.status === "syncing")) return;
    const byId = new Map(this.watches.map((w) => [w.id, w]));
    const lists: ClusterLists = (id) => {
      const w = byId.get(id);
      return w ? { state: w.state, items: w.items() } : { state: { status: "syncing" }, items: [] };
    };
    const failing = this.watches.filter(
      (w) => w.state.status === "failing" || w.state.status === "forbidden",
    );
    // Nothing answered at all: the source fails (keeping the last snapshot) rather than showing an empty cluster.
    if (failing.length === this.watches.length) {
      const first = failing[0]?.state.error ?? { code: "K8S_ERROR", message: "no resource could be read" };
      this.hub.fail("kubernetes", first);
      return;
    }
    const problem = failing[0]?.state.error;
    const snapshot = buildClusterSnapshot(lists, this.options.names());
    const message = problem
      ? failing.length > 1
        ? { code: problem.code, message: `${problem.message} (and ${failing.length - 1} more resources)` }
        : problem
      : undefined;
    this.hub.update("kubernetes", snapshot, message);
  }
}
