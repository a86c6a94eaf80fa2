// The simpler built-in kinds: namespaces, nodes, events, endpoints, config, leases, EndpointSlices, PDBs.
import { isObject, type JsonObject, type KubeObject } from "../meta.js";
import { type FieldError, fieldInvalid, fieldNotSupported, fieldRequired } from "../status.js";
import { defineType } from "./define.js";

const text = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const at = (o: KubeObject, ...path: string[]) => {
  let cur: unknown = o;
  for (const p of path) cur = isObject(cur) ? cur[p] : undefined;
  return cur;
};

export const namespacesType = defineType({
  group: "",
  versions: ["v1"],
  resource: "namespaces",
  kind: "Namespace",
  namespaced: false,
  shortNames: ["ns"],
  status: true,
  nameRule: "label",
  returnDeletedObject: true,
  createStatus: () => ({ phase: "Active" }),
  fieldLabels: { "status.phase": (o) => text(at(o, "status", "phase")) },
  prepare(obj) {
    obj.spec = { finalizers: ["kubernetes"], ...(isObject(obj.spec) ? obj.spec : {}) };
    obj.metadata.labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": obj.metadata.name ?? "" };
  },
});

export const nodesType = defineType({
  group: "",
  versions: ["v1"],
  resource: "nodes",
  kind: "Node",
  namespaced: false,
  shortNames: ["no"],
  status: true,
  createStatus: "keep",
  fieldLabels: { "spec.unschedulable": (o) => String(at(o, "spec", "unschedulable") === true) },
  prepare(obj) {
    if (!isObject(obj.spec)) obj.spec = {};
  },
});

const EVENT_FIELDS = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

export const eventsType = defineType({
  group: "",
  versions: ["v1"],
  resource: "events",
  kind: "Event",
  shortNames: ["ev"],
  fieldLabels: {
    ...Object.fromEntries(
      EVENT_FIELDS.map((f) => [`involvedObject.${f}`, (o: KubeObject) => text(at(o, "involvedObject", f))]),
    ),
    reason: (o) => text(o.reason),
    reportingComponent: (o) => text(o.reportingComponent),
    source: (o) => text(at(o, "source", "component")),
    type: (o) => text(o.type),
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const involved = isObject(obj.involvedObject) ? obj.involvedObject : undefined;
    if (!involved) errors.push(fieldRequired("involvedObject"));
    else if (involved.namespace && involved.namespace !== obj.metadata.namespace) {
      errors.push(
        fieldInvalid("involvedObject.namespace", involved.namespace, "does not match event.namespace"),
      );
    }
    return errors;
  },
});

export const endpointsType = defineType({
  group: "",
  versions: ["v1"],
  resource: "endpoints",
  kind: "Endpoints",
  singular: "endpoints",
  shortNames: ["ep"],
  nameRule: "dns1035",
  createOnUpdate: true,
});

export const configMapsType = defineType({
  group: "",
  versions: ["v1"],
  resource: "configmaps",
  kind: "ConfigMap",
  shortNames: ["cm"],
});

export const secretsType = defineType({
  group: "",
  versions: ["v1"],
  resource: "secrets",
  kind: "Secret",
  fieldLabels: { type: (o) => text(o.type) },
  prepare(obj) {
    obj.type ??= "Opaque";
  },
});

export const serviceAccountsType = defineType({
  group: "",
  versions: ["v1"],
  resource: "serviceaccounts",
  kind: "ServiceAccount",
  shortNames: ["sa"],
  returnDeletedObject: true,
});

export const leasesType = defineType({
  group: "coordination.k8s.io",
  versions: ["v1"],
  resource: "leases",
  kind: "Lease",
  createOnUpdate: true,
});

const ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"];

export const endpointSlicesType = defineType({
  group: "discovery.k8s.io",
  versions: ["v1"],
  resource: "endpointslices",
  kind: "EndpointSlice",
  validate(obj) {
    const errors: FieldError[] = [];
    if (obj.addressType === undefined) errors.push(fieldRequired("addressType"));
    else if (!ADDRESS_TYPES.includes(String(obj.addressType))) {
      errors.push(fieldNotSupported("addressType", obj.addressType, ADDRESS_TYPES));
    }
    const endpoints = Array.isArray(obj.endpoints) ? obj.endpoints : [];
    endpoints.forEach((e, i) => {
      const addrs = isObject(e) ? e.addresses : undefined;
      if (!Array.isArray(addrs) || addrs.length === 0)
        errors.push(fieldRequired(`endpoints[${i}].addresses`));
    });
    return errors;
  },
});

export const pdbsType = defineType({
  group: "policy",
  versions: ["v1"],
  resource: "poddisruptionbudgets",
  kind: "PodDisruptionBudget",
  shortNames: ["pdb"],
  status: true,
  generation: true,
  createStatus: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  validate(obj) {
    const spec = (isObject(obj.spec) ? obj.spec : {}) as JsonObject;
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      return [fieldInvalid("spec", spec, "minAvailable and maxUnavailable cannot be both set")];
    }
    return [];
  },
});
