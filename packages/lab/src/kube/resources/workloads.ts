// apps/v1 workloads: Deployments, DaemonSets, ReplicaSets — stored with defaults and selector checks, no rollout logic.
import { isObject, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import { type FieldError, fieldInvalid, fieldRequired } from "../status.js";
import { defineType } from "./define.js";
import { defaultPodSpec, podSpecErrors } from "./pods.js";
import { matchesLabels, selectorFromObject } from "./selectors.js";
import type { PrepareContext } from "./types.js";

/** Where apps/v1 keeps a DaemonSet's template generation (bumped by the API server on each template change). */
export const TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

function defaultTemplate(spec: JsonObject): void {
  const template = isObject(spec.template) ? spec.template : undefined;
  if (!template) return;
  template.metadata = { creationTimestamp: null, ...(isObject(template.metadata) ? template.metadata : {}) };
  if (isObject(template.spec)) defaultPodSpec(template.spec, "template");
}

function selectorErrors(obj: KubeObject): FieldError[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const errors: FieldError[] = [];
  const selector = spec.selector;
  if (!isObject(selector)) return [fieldRequired("spec.selector")];
  const template = isObject(spec.template) ? spec.template : {};
  const labels = (isObject(template.metadata) ? template.metadata.labels : undefined) as
    | Record<string, string>
    | undefined;
  const reqs = selectorFromObject(selector);
  if (reqs.length === 0)
    errors.push(fieldInvalid("spec.selector", selector, "empty selector is invalid for deployment"));
  else if (!matchesLabels(reqs, labels)) {
    errors.push(
      fieldInvalid(
        "spec.template.metadata.labels",
        labels ?? {},
        "`selector` does not match template `labels`",
      ),
    );
  }
  errors.push(...podSpecErrors(template.spec, "spec.template.spec"));
  return errors;
}

const specOf = (o: KubeObject): JsonObject => {
  if (!isObject(o.spec)) o.spec = {};
  return o.spec as JsonObject;
};

export const deploymentsType = defineType({
  group: "apps",
  versions: ["v1"],
  resource: "deployments",
  kind: "Deployment",
  shortNames: ["deploy"],
  categories: ["all"],
  status: true,
  generation: true,
  prepare(obj) {
    const spec = specOf(obj);
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: "RollingUpdate" };
    const strategy = spec.strategy as JsonObject;
    if (strategy.type === "RollingUpdate")
      strategy.rollingUpdate ??= { maxUnavailable: "25%", maxSurge: "25%" };
    defaultTemplate(spec);
  },
  validate: selectorErrors,
});

/** DaemonSet strategy PrepareForCreate/PrepareForUpdate: 1 at first, one more whenever the template changes. */
function templateGeneration(obj: KubeObject, ctx: PrepareContext): string {
  if (!ctx.old) return "1";
  const before = Number(ctx.old.metadata.annotations?.[TEMPLATE_GENERATION] ?? 1) || 1;
  const changed = !jsonEqual(specOf(ctx.old).template, specOf(obj).template);
  return String(changed ? before + 1 : before);
}

export const daemonSetsType = defineType({
  group: "apps",
  versions: ["v1"],
  resource: "daemonsets",
  kind: "DaemonSet",
  shortNames: ["ds"],
  categories: ["all"],
  status: true,
  generation: true,
  prepare(obj, ctx) {
    const spec = specOf(obj);
    spec.revisionHistoryLimit ??= 10;
    spec.updateStrategy ??= { type: "RollingUpdate" };
    const strategy = spec.updateStrategy as JsonObject;
    if (strategy.type === "RollingUpdate") strategy.rollingUpdate ??= { maxUnavailable: 1, maxSurge: 0 };
    defaultTemplate(spec);
    obj.metadata.annotations = {
      ...obj.metadata.annotations,
      [TEMPLATE_GENERATION]: templateGeneration(obj, ctx),
    };
  },
  validate: selectorErrors,
});

export const replicaSetsType = defineType({
  group: "apps",
  versions: ["v1"],
  resource: "replicasets",
  kind: "ReplicaSet",
  shortNames: ["rs"],
  categories: ["all"],
  status: true,
  generation: true,
  fieldLabels: { "status.replicas": (o) => String((isObject(o.status) ? o.status.replicas : 0) ?? 0) },
  prepare(obj) {
    const spec = specOf(obj);
    spec.replicas ??= 1;
    defaultTemplate(spec);
  },
  validate: selectorErrors,
});
