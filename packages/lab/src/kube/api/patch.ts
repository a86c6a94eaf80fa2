// PATCH: merge, JSON and strategic merge patches, and server-side apply, each ending in the common write path.
import { parse as parseYaml } from "yaml";
import { pathString } from "../managed/fieldset.js";
import { type FieldOwner, serverSideApply } from "../managed/managed-fields.js";
import { isObject, type KubeObject } from "../meta.js";
import { applyJsonPatch, JsonPatchError } from "../patch/json-patch.js";
import { applyMergePatch } from "../patch/merge.js";
import { applyStrategicMergePatch } from "../patch/strategic.js";
import { apiVersionOf, groupResource } from "../resources/types.js";
import {
  badRequest,
  conflict,
  failure,
  fieldForbidden,
  fieldRequired,
  invalid,
  MODIFIED,
  notFound,
  unsupportedMediaType,
} from "../status.js";
import {
  type Api,
  checkBodyType,
  keyOf,
  present,
  type Scope,
  type WriteOptions,
  type WriteResult,
} from "./objects.js";
import { commit, requireNamespace } from "./write.js";

export const JSON_PATCH = "application/json-patch+json";
export const MERGE_PATCH = "application/merge-patch+json";
export const STRATEGIC_PATCH = "application/strategic-merge-patch+json";
export const APPLY_PATCH = "application/apply-patch+yaml";

function checkOptions(patchType: string, opts: WriteOptions): void {
  if (patchType === APPLY_PATCH && !opts.fieldManager) {
    throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [
      fieldRequired("fieldManager", "is required for apply patch"),
    ]);
  }
  if (patchType !== APPLY_PATCH && opts.force !== undefined) {
    throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [
      fieldForbidden("force", "may not be specified for non-apply patch"),
    ]);
  }
}

function parseBody(patchType: string, raw: string): unknown {
  try {
    return patchType === APPLY_PATCH ? (parseYaml(raw) as unknown) : (JSON.parse(raw) as unknown);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

function apply(api: Api, scope: Scope, config: unknown, opts: WriteOptions, owner: FieldOwner): WriteResult {
  const type = scope.type;
  if (!isObject(config)) throw badRequest("error decoding YAML: the apply configuration must be an object");
  const cfg = config as KubeObject;
  if (!cfg.apiVersion || !cfg.kind) {
    throw badRequest(`invalid object type: ${cfg.apiVersion ?? ""}, Kind=${cfg.kind ?? ""}`);
  }
  checkBodyType(cfg, type, scope.version);
  cfg.metadata = isObject(cfg.metadata) ? cfg.metadata : {};
  const name = scope.name ?? "";
  if (cfg.metadata.name && cfg.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${cfg.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  if (cfg.metadata.managedFields !== undefined) throw badRequest("metadata.managedFields must be nil");
  cfg.metadata.name = name;
  if (type.namespaced) cfg.metadata.namespace = scope.namespace;
  else delete cfg.metadata.namespace;
  return api.store.write(() => {
    const old = api.store.get(keyOf(type, scope.namespace, name));
    if (!old && scope.subresource) throw notFound(groupResource(type), name);
    if (!old) requireNamespace(api, scope, scope.namespace);
    const rv = cfg.metadata.resourceVersion;
    if (old && rv && rv !== old.metadata.resourceVersion) throw conflict(groupResource(type), name, MODIFIED);
    const live: KubeObject = old
      ? present(old, type, scope.version)
      : {
          apiVersion: apiVersionOf(type, scope.version),
          kind: type.kind,
          metadata: { name, ...(type.namespaced ? { namespace: scope.namespace ?? "" } : {}) },
        };
    const applyOwner = {
      ...owner,
      manager: opts.fieldManager ?? owner.manager,
      apiVersion: cfg.apiVersion ?? "",
    };
    const result = serverSideApply(
      live,
      cfg,
      applyOwner,
      opts.force === true,
      type.lists,
      Boolean(type.subresources.status),
      pathString,
    );
    return commit(api, {
      scope,
      next: result.object,
      ...(old ? { old } : {}),
      opts,
      owner: applyOwner,
      applied: result.managedFields,
    });
  });
}

function patched(scope: Scope, patchType: string, current: KubeObject, patch: unknown): KubeObject {
  const type = scope.type;
  let out: unknown;
  if (patchType === JSON_PATCH) {
    try {
      out = applyJsonPatch(current, patch);
    } catch (err) {
      if (!(err instanceof JsonPatchError)) throw err;
      throw failure(422, "Invalid", "the server rejected our request due to an error in our request", {});
    }
  } else {
    if (!isObject(patch)) throw badRequest("error decoding patch: the patch must be a JSON object");
    out =
      patchType === MERGE_PATCH
        ? applyMergePatch(current, patch)
        : applyStrategicMergePatch(current, patch, type.lists);
  }
  if (!isObject(out)) throw badRequest("the patched object is not a JSON object");
  const obj = out as KubeObject;
  obj.metadata = isObject(obj.metadata) ? obj.metadata : {};
  return obj;
}

export function patchObject(
  api: Api,
  scope: Scope,
  contentType: string,
  raw: string,
  opts: WriteOptions,
  owner: FieldOwner,
): WriteResult {
  const type = scope.type;
  const patchType = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  const accepted = type.schemas
    ? [JSON_PATCH, MERGE_PATCH, APPLY_PATCH]
    : [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH];
  if (!accepted.includes(patchType)) throw unsupportedMediaType(accepted);
  checkOptions(patchType, opts);
  const body = parseBody(patchType, raw);
  if (patchType === APPLY_PATCH) return apply(api, scope, body, opts, owner);
  const name = scope.name ?? "";
  return api.store.write(() => {
    const old = api.store.get(keyOf(type, scope.namespace, name));
    if (!old) throw notFound(groupResource(type), name);
    const next = patched(scope, patchType, present(old, type, scope.version), body);
    const rv = next.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(groupResource(type), name, MODIFIED);
    next.metadata.name = old.metadata.name;
    if (old.metadata.namespace) next.metadata.namespace = old.metadata.namespace;
    return commit(api, { scope, next, old, opts, owner });
  });
}
