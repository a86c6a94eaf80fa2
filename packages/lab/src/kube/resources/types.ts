// What the API knows about one kind of resource: names, scope, verbs, subresources, and its defaulting/validation hooks.
import type { KubeObject } from "../meta.js";
import type { FieldError } from "../status.js";
import type { KubeStore } from "../store/store.js";
import type { StructuralSchema } from "./schema.js";

/** How a list field merges in strategic merge patch and server-side apply (listType/listMapKeys, patchMergeKey). */
export type ListRule = { kind: "map"; keys: string[]; smpKey?: string } | { kind: "set" };

/** Looks up the rule for a list at a path of field names (list indices left out); undefined means atomic. */
export type ListRules = (path: readonly string[]) => ListRule | undefined;

export interface ClusterConfig {
  /** Service ClusterIP range, e.g. "fd00:10:96::/112" (first address: the kubernetes Service). */
  serviceCidr: string;
  nodePortRange: [number, number];
  clusterDomain: string;
}

export interface PrepareContext {
  store: KubeStore;
  config: ClusterConfig;
  now: string;
  operation: "create" | "update";
  old?: KubeObject;
  /** Fields the kind's schema does not know, collected while pruning (fieldValidation Strict/Warn). */
  unknownFields: string[];
}

export interface SubresourceInfo {
  /** Kind answered by the subresource (discovery's kind), and its group/version when not the parent's. */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface TableColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: string;
  description?: string;
  priority?: number;
  cell(obj: KubeObject, now: Date): unknown;
}

export interface ResourceType {
  group: string;
  /** Served versions, preferred first; objects are stored as the first one. */
  versions: string[];
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Record<string, SubresourceInfo>;
  /** DELETE answers with the object (pods, services…) instead of a Status. */
  returnDeletedObject: boolean;
  /** What create does to a submitted status: keep it (nodes), drop it, or replace it. */
  createStatus: "keep" | "drop" | ((obj: KubeObject) => unknown);
  /** Field selector labels beyond metadata.name and metadata.namespace. */
  fieldLabels: Record<string, (obj: KubeObject) => string | undefined>;
  lists: ListRules;
  /** Name rule: "subdomain" (most), "label" (namespaces), "dns1035" (services), "path" (no DNS rule). */
  nameRule: "subdomain" | "label" | "dns1035" | "path";
  /** Defaulting and allocation, inside the write transaction; may throw a StatusError. */
  prepare?(obj: KubeObject, ctx: PrepareContext): void;
  validate?(obj: KubeObject, ctx: PrepareContext): FieldError[];
  /** Custom resources: the structural schema of each version. */
  schemas?: Record<string, StructuralSchema | undefined>;
  columns?: TableColumn[];
}

export const STANDARD_VERBS = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];
export const STATUS_VERBS = ["get", "patch", "update"];

export const apiVersionOf = (t: Pick<ResourceType, "group">, version: string): string =>
  t.group ? `${t.group}/${version}` : version;

export const groupResource = (t: ResourceType) => ({ group: t.group, resource: t.resource });
export const groupKind = (t: ResourceType) => ({ group: t.group, kind: t.kind });
