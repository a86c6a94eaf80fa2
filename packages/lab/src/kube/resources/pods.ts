// Pods: defaulting of the PodSpec (also used by workload templates), validation, and the pod-update rule.
import { isObject, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import { type FieldError, fieldDuplicate, fieldForbidden, fieldRequired } from "../status.js";
import { defineType } from "./define.js";
import { STANDARD_VERBS } from "./types.js";

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

function defaultContainer(c: JsonObject, hostNetwork: boolean): void {
  const image = str(c.image) ?? "";
  const tag = image.includes("@") ? "digest" : (/:([^/:]+)$/.exec(image)?.[1] ?? "latest");
  c.imagePullPolicy ??= tag === "latest" ? "Always" : "IfNotPresent";
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  c.resources ??= {};
  if (Array.isArray(c.ports)) {
    for (const p of c.ports) {
      if (!isObject(p)) continue;
      p.protocol ??= "TCP";
      if (hostNetwork && p.hostPort === undefined) p.hostPort = p.containerPort;
    }
  }
  for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
    const pr = c[probe];
    if (!isObject(pr)) continue;
    pr.timeoutSeconds ??= 1;
    pr.periodSeconds ??= 10;
    pr.successThreshold ??= 1;
    pr.failureThreshold ??= 3;
    if (isObject(pr.httpGet)) pr.httpGet.scheme ??= "HTTP";
  }
}

/** SetDefaults_PodSpec and the admission plugins every cluster runs (ServiceAccount, DefaultTolerationSeconds). */
/**
 * A pod spec's defaults (SetDefaults_PodSpec); for a pod also what admission adds (ServiceAccount, Priority,
 * DefaultTolerationSeconds) — a workload's template gets only the defaults, as on a real API server.
 */
export function defaultPodSpec(spec: JsonObject, kind: "pod" | "template" = "pod"): void {
  spec.restartPolicy ??= "Always";
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  const hostNetwork = spec.hostNetwork === true;
  for (const list of ["containers", "initContainers"]) {
    const cs = spec[list];
    if (Array.isArray(cs)) for (const c of cs) if (isObject(c)) defaultContainer(c, hostNetwork);
  }
  if (kind === "template") return;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  spec.priority ??= 0;
  spec.serviceAccountName ??= "default";
  spec.serviceAccount ??= spec.serviceAccountName;
  const tolerations = Array.isArray(spec.tolerations) ? [...spec.tolerations] : [];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    const has = tolerations.some(
      (t) => isObject(t) && (t.key === key || (t.operator === "Exists" && !t.key)),
    );
    if (!has) tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
}

export function podSpecErrors(spec: unknown, path: string): FieldError[] {
  if (!isObject(spec)) return [fieldRequired(path)];
  const errors: FieldError[] = [];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push(fieldRequired(`${path}.containers`));
    return errors;
  }
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${path}.containers[${i}]`;
    if (!isObject(c)) return;
    const name = str(c.name);
    if (!name) errors.push(fieldRequired(`${at}.name`));
    else if (names.has(name)) errors.push(fieldDuplicate(`${at}.name`, name));
    else names.add(name);
    if (!str(c.image)) errors.push(fieldRequired(`${at}.image`));
  });
  return errors;
}

/** Pod updates may change only images, activeDeadlineSeconds, tolerations (additions) and the grace period. */
function podUpdateErrors(pod: KubeObject, old: KubeObject): FieldError[] {
  const strip = (spec: unknown): unknown => {
    if (!isObject(spec)) return spec;
    const copy = structuredClone(spec);
    for (const list of ["containers", "initContainers"]) {
      const cs = copy[list];
      if (Array.isArray(cs)) for (const c of cs) if (isObject(c)) delete c.image;
    }
    delete copy.activeDeadlineSeconds;
    delete copy.tolerations;
    delete copy.terminationGracePeriodSeconds;
    return copy;
  };
  if (jsonEqual(strip(pod.spec), strip(old.spec))) return [];
  return [
    fieldForbidden(
      "spec",
      "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ),
  ];
}

const podField = (path: string[]) => (o: KubeObject) => {
  let cur: unknown = o;
  for (const p of path) cur = isObject(cur) ? cur[p] : undefined;
  return cur === undefined || cur === null ? "" : String(cur);
};

export const podsType = defineType({
  group: "",
  versions: ["v1"],
  resource: "pods",
  kind: "Pod",
  shortNames: ["po"],
  categories: ["all"],
  status: true,
  returnDeletedObject: true,
  subresources: { eviction: { kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] } },
  verbs: STANDARD_VERBS,
  createStatus: () => ({ phase: "Pending", qosClass: "BestEffort" }),
  fieldLabels: {
    "spec.nodeName": podField(["spec", "nodeName"]),
    "spec.restartPolicy": podField(["spec", "restartPolicy"]),
    "spec.schedulerName": podField(["spec", "schedulerName"]),
    "spec.serviceAccountName": podField(["spec", "serviceAccountName"]),
    "spec.hostNetwork": (o) => String(isObject(o.spec) && o.spec.hostNetwork === true),
    "status.phase": podField(["status", "phase"]),
    "status.podIP": podField(["status", "podIP"]),
    "status.nominatedNodeName": podField(["status", "nominatedNodeName"]),
  },
  prepare(obj) {
    if (isObject(obj.spec)) defaultPodSpec(obj.spec);
  },
  validate(obj, ctx) {
    const errors = podSpecErrors(obj.spec, "spec");
    if (ctx.old && errors.length === 0) errors.push(...podUpdateErrors(obj, ctx.old));
    return errors;
  },
});
