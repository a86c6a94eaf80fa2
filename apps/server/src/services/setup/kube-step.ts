// A step that writes Kubernetes objects: each manifest against what is live (create, update or unchanged, the diff of
// the fields the console writes, the API server's dry-run answer), applied in order by server-side apply (a CRD is
// waited for until Established), undone by deleting what the step created and releasing the fields it took.
import {
  holds,
  lineDiff,
  liveThrough,
  type Manifest,
  type SetupChange,
  type SetupCheck,
  type SetupStepId,
} from "@k3s-ha/shared";
import { stringify } from "yaml";
import { KubeError } from "../../plugins/kube.js";
import type { ApplyOutcome, StepContext, StepDriver, StepPlan } from "./driver.js";
import { StepError } from "./driver.js";
import { type KubeObjects, manifestLabel } from "./kube-objects.js";
import type { StepRecord } from "./setup-store.js";

export interface Rendered {
  manifests: Manifest[];
  refusals: string[];
  /** A sentence per object label, shown beside its change. */
  notes?: Record<string, string>;
  /** Changes shown without being written (what the step leaves out, and why). */
  extra?: SetupChange[];
}

export interface KubeStepSpec {
  id: SetupStepId;
  risky: boolean;
  render(ctx: StepContext, kube: KubeObjects): Promise<Rendered>;
  verify(ctx: StepContext): Promise<SetupCheck[]>;
  /** Waits after the apply for what the objects start (a controller's rollout), bounded. */
  settle?(ctx: StepContext, kube: KubeObjects): Promise<void>;
}

interface KubeApplied {
  objects: { manifest: Manifest; created: boolean }[];
}

interface Planned {
  items: { manifest: Manifest; action: SetupChange["action"] }[];
}

const yaml = (v: unknown) => (v === undefined ? "" : stringify(v, { lineWidth: 0 }));

/** The live object without what the server keeps for itself (managedFields, resourceVersion…). */
function liveShown(live: Record<string, unknown> | undefined, m: Manifest): unknown {
  return live === undefined ? undefined : liveThrough(live, m);
}

const CRD = "CustomResourceDefinition";

async function planManifest(
  kube: KubeObjects,
  m: Manifest,
  pending: { namespaces: Set<string>; groups: Set<string> },
  risky: boolean,
  note: string | undefined,
  dryRun: boolean,
): Promise<SetupChange> {
  const live = await kube.get(m);
  const action: SetupChange["action"] = !live ? "create" : holds(live, m) ? "unchanged" : "update";
  const change: SetupChange = {
    kind: "kubernetes",
    target: "kubernetes",
    object: manifestLabel(m),
    action,
    diff: action === "unchanged" ? "" : lineDiff(yaml(liveShown(live, m)), yaml(m)),
    ...(risky && action !== "unchanged" ? { risky: true } : {}),
    ...(note ? { note } : {}),
  };
  if (action === "unchanged" || !dryRun) return change;
  const group = m.apiVersion.split("/")[0] ?? "";
  const ns = m.metadata.namespace;
  if (ns && pending.namespaces.has(ns))
    change.dryRun = {
      ok: true,
      message: `checked at apply: its namespace ${ns} is created by this step first`,
    };
  else if (pending.groups.has(group))
    change.dryRun = { ok: true, message: `checked at apply: its CRD is created by this step first` };
  else {
    try {
      await kube.apply(m, { dryRun: true });
      change.dryRun = { ok: true, message: "the API server accepts it (dryRun=All)" };
    } catch (err) {
      change.dryRun = { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  }
  if (m.kind === "Namespace" && action === "create") pending.namespaces.add(m.metadata.name);
  if (m.kind === CRD && action === "create")
    pending.groups.add(String((m.spec as { group?: unknown } | undefined)?.group ?? ""));
  return change;
}

/** Waits (bounded) until a CRD is Established, so objects of its kind can be written next. */
async function waitEstablished(kube: KubeObjects, m: Manifest, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !signal.aborted) {
    const live = await kube.get(m);
    const conds = (
      (live?.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []
    ).filter((c) => c.type === "Established" && c.status === "True");
    if (conds.length) {
      kube.rediscover();
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new KubeError("K8S_TIMEOUT", `${manifestLabel(m)} was not Established within 30 s`);
}

export function kubeStep(spec: KubeStepSpec): StepDriver {
  return {
    id: spec.id,
    async plan(ctx): Promise<StepPlan> {
      const kube = await ctx.kube();
      const r = await spec.render(ctx, kube);
      const pending = { namespaces: new Set<string>(), groups: new Set<string>() };
      const changes: SetupChange[] = [];
      const items: Planned["items"] = [];
      for (const m of r.manifests) {
        const c = await planManifest(
          kube,
          m,
          pending,
          spec.risky,
          r.notes?.[manifestLabel(m)],
          ctx.preview === true,
        );
        changes.push(c);
        items.push({ manifest: m, action: c.action });
      }
      const refusals = [...r.refusals];
      for (const c of changes)
        if (c.dryRun && !c.dryRun.ok)
          refusals.push(`${c.object}: the API server refuses it: ${c.dryRun.message}`);
      return {
        changes: [...changes, ...(r.extra ?? [])],
        satisfied:
          r.refusals.length === 0 && items.length > 0 && items.every((i) => i.action === "unchanged"),
        refusals,
        internal: { items } satisfies Planned,
      };
    },

    async apply(ctx, planned, opts): Promise<ApplyOutcome> {
      const kube = await ctx.kube();
      const { items } = planned.internal as Planned;
      const applied: KubeApplied = { objects: [] };
      const done: string[] = [];
      for (const { manifest, action } of items) {
        if (ctx.signal.aborted) throw new StepError("the apply was stopped", done, applied);
        if (action === "unchanged") continue;
        try {
          await kube.apply(manifest, { force: opts.force });
          applied.objects.push({ manifest, created: action === "create" });
          done.push(`${action === "create" ? "created" : "updated"} ${manifestLabel(manifest)}`);
          ctx.progress(done.at(-1) ?? "");
          if (manifest.kind === CRD) await waitEstablished(kube, manifest, ctx.signal);
          if (manifest.kind === "Namespace") kube.rediscover();
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          throw new StepError(`${manifestLabel(manifest)}: ${why}`, done, applied);
        }
      }
      if (spec.settle) await spec.settle(ctx, kube);
      return {
        applied,
        previous: null,
        message: done.length ? done.join("; ") : "nothing to change",
      };
    },

    verify: spec.verify,

    async holds(ctx, rec: StepRecord): Promise<boolean> {
      const kube = await ctx.kube();
      const objects = (rec.applied as KubeApplied | null)?.objects ?? [];
      for (const o of objects) if (!holds(await kube.get(o.manifest), o.manifest)) return false;
      return true;
    },

    async undo(ctx, rec: StepRecord): Promise<string> {
      const kube = await ctx.kube();
      const objects = [...((rec.applied as KubeApplied | null)?.objects ?? [])].reverse();
      const done: string[] = [];
      for (const o of objects) {
        try {
          if (o.created) await kube.remove(o.manifest);
          else await kube.release(o.manifest);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          throw new StepError(`undo ${manifestLabel(o.manifest)}: ${why}`, done);
        }
        done.push(
          `${o.created ? "deleted" : "released the console's fields of"} ${manifestLabel(o.manifest)}`,
        );
        ctx.progress(done.at(-1) ?? "");
        if (o.manifest.kind === CRD) kube.rediscover();
      }
      return done.length ? done.join("; ") : "nothing to undo";
    },
  };
}
