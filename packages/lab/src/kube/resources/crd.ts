// CustomResourceDefinitions: their own defaulting/validation/status, and the resource type each one adds to the API.
import { isObject, type JsonObject, type KubeObject } from "../meta.js";
import { type FieldError, fieldInvalid, fieldNotSupported, fieldRequired } from "../status.js";
import { humanDuration } from "./columns.js";
import { defineType } from "./define.js";
import { schemaListRules } from "./lists.js";
import { pruneAndDefault, type StructuralSchema, schemaListRule, validateSchema } from "./schema.js";
import type { ResourceType, TableColumn } from "./types.js";

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: StructuralSchema };
  subresources?: { status?: object; scale?: object };
  additionalPrinterColumns?: Array<{
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
    format?: string;
  }>;
}

interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

interface CrdSpec {
  group?: string;
  names?: CrdNames;
  scope?: string;
  versions?: CrdVersion[];
}

const specOf = (crd: KubeObject): CrdSpec => (isObject(crd.spec) ? (crd.spec as CrdSpec) : {});

/** Kube-aware version order: GA before beta before alpha, higher numbers first. */
export function versionPriority(v: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return -1;
  const major = Number(m[1]);
  const stage = m[2] === "alpha" ? 0 : m[2] === "beta" ? 1 : 2;
  return stage * 1_000_000 + major * 1000 + Number(m[3] ?? 0);
}

function crdErrors(crd: KubeObject): FieldError[] {
  const spec = specOf(crd);
  const errors: FieldError[] = [];
  if (!spec.group) errors.push(fieldRequired("spec.group"));
  if (!spec.names?.plural) errors.push(fieldRequired("spec.names.plural"));
  if (!spec.names?.kind) errors.push(fieldRequired("spec.names.kind"));
  if (spec.group && spec.names?.plural && crd.metadata.name !== `${spec.names.plural}.${spec.group}`) {
    errors.push(
      fieldInvalid("metadata.name", crd.metadata.name ?? "", `must be spec.names.plural+"."+spec.group`),
    );
  }
  if (!["Cluster", "Namespaced"].includes(spec.scope ?? "")) {
    errors.push(fieldNotSupported("spec.scope", spec.scope ?? "", ["Cluster", "Namespaced"]));
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0)
    errors.push(fieldRequired("spec.versions", "must have exactly one version marked as storage version"));
  else if (versions.filter((v) => v.storage).length !== 1) {
    errors.push(
      fieldInvalid(
        "spec.versions",
        versions.map((v) => v.name),
        "must have exactly one version marked as storage version",
      ),
    );
  }
  return errors;
}

function prepareCrd(crd: KubeObject): void {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  names.singular ??= (names.kind ?? "").toLowerCase();
  names.listKind ??= `${names.kind ?? ""}List`;
  (crd.spec as JsonObject).conversion ??= { strategy: "None" };
  const status = isObject(crd.status) ? crd.status : {};
  const stored = new Set<string>(
    Array.isArray(status.storedVersions) ? (status.storedVersions as string[]) : [],
  );
  const storage = spec.versions?.find((v) => v.storage)?.name;
  if (storage) stored.add(storage);
  const now = crd.metadata.creationTimestamp ?? null;
  crd.status = {
    conditions: [
      {
        type: "NamesAccepted",
        status: "True",
        lastTransitionTime: now,
        reason: "NoConflicts",
        message: "no conflicts found",
      },
      {
        type: "Established",
        status: "True",
        lastTransitionTime: now,
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
      },
    ],
    acceptedNames: { ...names },
    storedVersions: [...stored],
  };
}

export const crdsType = defineType({
  group: "apiextensions.k8s.io",
  versions: ["v1"],
  resource: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  status: true,
  generation: true,
  createStatus: "drop",
  prepare: prepareCrd,
  validate: crdErrors,
});

/** A simple JSONPath (.a.b, .a[0].b) as additionalPrinterColumns use it. */
function jsonPathValue(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path
    .replace(/^\./, "")
    .split(/\.|\[(\d+)\]/)
    .filter((p) => p !== undefined && p !== "")) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else cur = isObject(cur) ? cur[part] : undefined;
  }
  return cur;
}

function printerColumns(version: CrdVersion | undefined): TableColumn[] | undefined {
  const cols = version?.additionalPrinterColumns;
  if (!cols?.length) return undefined;
  return cols.map((c) => ({
    name: c.name,
    type: (["integer", "number", "boolean", "date"].includes(c.type)
      ? c.type
      : "string") as TableColumn["type"],
    ...(c.format ? { format: c.format } : {}),
    ...(c.description ? { description: c.description } : {}),
    priority: c.priority ?? 0,
    cell: (obj: KubeObject, now: Date) => {
      const v = jsonPathValue(obj, c.jsonPath);
      if (c.type === "date" && typeof v === "string") return humanDuration(now.getTime() - Date.parse(v));
      return Array.isArray(v) || isObject(v) ? JSON.stringify(v) : (v ?? null);
    },
  }));
}

/** The resource type a CRD adds; undefined while it is not established. */
export function customResourceType(crd: KubeObject): ResourceType | undefined {
  const spec = specOf(crd);
  const names = spec.names;
  if (!spec.group || !names?.plural || !names.kind) return undefined;
  const served = (spec.versions ?? []).filter((v) => v.served !== false);
  const storage = (spec.versions ?? []).find((v) => v.storage);
  if (!storage || served.length === 0) return undefined;
  const ordered = [...served]
    .sort((a, b) => versionPriority(b.name) - versionPriority(a.name))
    .map((v) => v.name);
  const versions = [storage.name, ...ordered.filter((v) => v !== storage.name)];
  const schemas: Record<string, StructuralSchema | undefined> = Object.fromEntries(
    served.map((v) => [v.name, v.schema?.openAPIV3Schema]),
  );
  const storageSchema = storage.schema?.openAPIV3Schema;
  const hasStatus = (spec.versions ?? []).some((v) => v.subresources?.status);
  const versionOf = (obj: KubeObject) => (obj.apiVersion ?? "").split("/")[1] ?? storage.name;
  const columns = printerColumns(served.find((v) => v.name === ordered[0]));
  return defineType({
    group: spec.group,
    versions,
    resource: names.plural,
    kind: names.kind,
    singular: names.singular ?? names.kind.toLowerCase(),
    listKind: names.listKind ?? `${names.kind}List`,
    namespaced: spec.scope === "Namespaced",
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    status: hasStatus,
    generation: true,
    lists: schemaListRules((path) => schemaListRule(storageSchema, path)),
    schemas,
    ...(columns ? { columns } : {}),
    prepare(obj, ctx) {
      pruneAndDefault(obj, schemas[versionOf(obj)], ctx.unknownFields);
    },
    validate(obj) {
      return validateSchema(obj, schemas[versionOf(obj)]);
    },
  });
}
