// Shared pieces of the API's operations: who is asking, which resource, keys in the store, objects as answered.
import type { KubeObject, ObjectMeta } from "../meta.js";
import type { DefinedType } from "../resources/define.js";
import type { Registry } from "../resources/registry.js";
import { apiVersionOf, type ClusterConfig } from "../resources/types.js";
import { badRequest } from "../status.js";
import type { KubeStore, ObjectKey } from "../store/store.js";

export interface Api {
  store: KubeStore;
  registry: Registry;
  config: ClusterConfig;
  now(): Date;
}

export interface Scope {
  type: DefinedType;
  version: string;
  /** Namespace from the URL ("" or undefined for cluster scope or all namespaces). */
  namespace?: string;
  name?: string;
  subresource?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** fieldManager query parameter, or the User-Agent prefix the apiserver derives. */
  fieldManager?: string;
  force?: boolean;
  /** fieldValidation: Strict rejects unknown fields, Warn (the default) reports them, Ignore drops them silently. */
  fieldValidation?: "Strict" | "Warn" | "Ignore";
}

export interface WriteResult {
  object: KubeObject;
  /** 201 when the write created the object. */
  created: boolean;
  /** Warning headers (RFC 7234 299) to send with the answer. */
  warnings?: string[];
}

export const DEFAULT_CONFIG: ClusterConfig = {
  serviceCidr: "10.43.0.0/16",
  nodePortRange: [30000, 32767],
  clusterDomain: "cluster.local",
};

export function keyOf(type: DefinedType, namespace: string | undefined, name: string): ObjectKey {
  return {
    group: type.group,
    resource: type.resource,
    namespace: type.namespaced ? (namespace ?? "") : "",
    name,
  };
}

export const storageApiVersion = (type: DefinedType) => apiVersionOf(type, type.versions[0] ?? "v1");

const META_ORDER: Array<keyof ObjectMeta> = [
  "name",
  "generateName",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
  "managedFields",
];

/** The object as the API answers it: requested apiVersion, kind first, metadata in the apiserver's field order. */
export function present(obj: KubeObject, type: DefinedType, version: string): KubeObject {
  const { kind: _k, apiVersion: _a, metadata, ...rest } = obj;
  const meta: Record<string, unknown> = {};
  for (const k of META_ORDER) if (metadata[k] !== undefined) meta[k] = metadata[k];
  for (const [k, v] of Object.entries(metadata)) if (!(k in meta) && v !== undefined) meta[k] = v;
  return { kind: type.kind, apiVersion: apiVersionOf(type, version), metadata: meta as ObjectMeta, ...rest };
}

/** Checks a request body's apiVersion/kind against the endpoint, as the decoder does. */
export function checkBodyType(body: KubeObject, type: DefinedType, version: string): void {
  const expected = apiVersionOf(type, version);
  if (body.kind !== undefined && body.kind !== type.kind) {
    throw badRequest(
      `${body.kind} in version "${(body.apiVersion ?? "").split("/").pop() ?? ""}" cannot be handled as a ${type.kind}: no kind "${body.kind}" is registered for version "${body.apiVersion ?? ""}"`,
    );
  }
  if (body.apiVersion !== undefined && body.apiVersion !== expected) {
    const [group, v] = body.apiVersion.includes("/") ? body.apiVersion.split("/") : ["", body.apiVersion];
    if (group !== type.group || !type.versions.includes(v ?? "")) {
      throw badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`,
      );
    }
  }
}

const NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

/** names.SimpleNameGenerator: prefix plus five random characters. */
export function generateName(prefix: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return `${prefix.slice(0, 58)}${suffix}`;
}

/** The fieldManager an Update is recorded under when the request names none (prefix of the User-Agent). */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const prefix = (userAgent ?? "").split("/")[0]?.trim() ?? "";
  return prefix ? prefix.slice(0, 128) : "unknown";
}
