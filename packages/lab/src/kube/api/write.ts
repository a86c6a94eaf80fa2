// The write path every create, update and patch goes through: metadata rules, status handling, defaults, validation,
// generation, managedFields, no-op detection, dryRun, then one row in the shared store.

import { type FieldOwner, trackUpdate } from "../managed/managed-fields.js";
import {
  clone,
  isObject,
  jsonEqual,
  type KubeObject,
  type ManagedFieldsEntry,
  newUid,
  nowIso,
} from "../meta.js";
import { apiVersionOf, groupKind, groupResource, type PrepareContext } from "../resources/types.js";
import { metadataErrors, metadataUpdateErrors } from "../resources/validation.js";
import {
  alreadyExists,
  badRequest,
  conflict,
  fieldRequired,
  forbidden,
  invalid,
  MODIFIED,
  notFound,
} from "../status.js";
import { finalizeDeletion } from "./delete.js";
import {
  type Api,
  checkBodyType,
  generateName,
  keyOf,
  present,
  type Scope,
  storageApiVersion,
  type WriteOptions,
  type WriteResult,
} from "./objects.js";

export interface CommitInput {
  scope: Scope;
  /** The requested state, in the request's version. */
  next: KubeObject;
  /** The stored object, when updating. */
  old?: KubeObject;
  opts: WriteOptions;
  owner: FieldOwner;
  /** managedFields computed by server-side apply (otherwise the write is tracked as an Update). */
  applied?: ManagedFieldsEntry[];
}

const withoutMetaAndStatus = (o: KubeObject) => {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
};

const comparable = (o: KubeObject) => ({
  ...o,
  apiVersion: undefined,
  metadata: {
    ...o.metadata,
    resourceVersion: undefined,
    managedFields: o.metadata.managedFields?.map((e) => ({ ...e, time: undefined })),
  },
});

function shapeForWrite(input: CommitInput, now: string): KubeObject {
  const { scope, old } = input;
  const type = scope.type;
  let obj = clone(input.next);
  obj.metadata ??= {};
  if (old) {
    if (scope.subresource === "status") {
      const base = clone(old);
      if (obj.status === undefined) delete base.status;
      else base.status = obj.status;
      base.metadata = { ...old.metadata, managedFields: old.metadata.managedFields };
      obj = base;
    } else if (type.subresources.status) {
      if (old.status === undefined) delete obj.status;
      else obj.status = clone(old.status);
    }
    const m = obj.metadata;
    m.uid = old.metadata.uid;
    m.creationTimestamp = old.metadata.creationTimestamp;
    m.name = old.metadata.name;
    m.namespace = old.metadata.namespace;
    if (old.metadata.generation !== undefined) m.generation = old.metadata.generation;
    if (old.metadata.deletionTimestamp) m.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined) {
      m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    }
    if (m.managedFields === undefined && old.metadata.managedFields)
      m.managedFields = old.metadata.managedFields;
  } else {
    const m = obj.metadata;
    m.uid = newUid();
    m.creationTimestamp = now;
    delete m.resourceVersion;
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (type.generation) m.generation = 1;
    else delete m.generation;
    if (type.createStatus === "drop") delete obj.status;
    else if (typeof type.createStatus === "function") obj.status = type.createStatus(obj);
  }
  obj.apiVersion = apiVersionOf(type, scope.version);
  obj.kind = type.kind;
  return obj;
}

/** Strict: 400 for fields the schema does not know; Warn (default): warnings; Ignore: nothing. */
function unknownFieldWarnings(
  type: Scope["type"],
  version: string,
  unknown: string[],
  opts: WriteOptions,
): { warnings?: string[] } {
  if (unknown.length === 0 || opts.fieldValidation === "Ignore") return {};
  const texts = unknown.map((f) => `unknown field "${f}"`);
  if (opts.fieldValidation === "Strict") {
    throw badRequest(
      `${type.kind} in version "${version}" cannot be handled as a ${type.kind}: strict decoding error: ${texts.join(", ")}`,
    );
  }
  return { warnings: texts };
}

/** Runs inside the caller's write transaction. */
export function commit(api: Api, input: CommitInput): WriteResult {
  const { scope, old, opts } = input;
  const type = scope.type;
  const now = nowIso(api.now());
  const obj = shapeForWrite(input, now);
  const oldView = old ? present(old, type, scope.version) : undefined;
  const ctx: PrepareContext = {
    store: api.store,
    config: api.config,
    now,
    operation: old ? "update" : "create",
    unknownFields: [],
    ...(oldView ? { old: oldView } : {}),
  };
  type.prepare?.(obj, ctx);
  const warnings = unknownFieldWarnings(type, scope.version, ctx.unknownFields, opts);
  const errors = [
    ...metadataErrors(obj, type),
    ...(oldView ? metadataUpdateErrors(obj, oldView) : []),
    ...(type.validate?.(obj, ctx) ?? []),
  ];
  if (errors.length) throw invalid(groupKind(type), obj.metadata.name ?? "", errors);
  if (old && type.generation && !jsonEqual(withoutMetaAndStatus(obj), withoutMetaAndStatus(old))) {
    obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
  }
  obj.metadata.managedFields =
    input.applied ?? trackUpdate(oldView, obj, input.owner, type.lists, Boolean(type.subresources.status));
  if (obj.metadata.managedFields.length === 0) delete obj.metadata.managedFields;
  if (old && jsonEqual(comparable(obj), comparable(old))) {
    return { object: present(old, type, scope.version), created: false, ...warnings };
  }
  const key = keyOf(type, obj.metadata.namespace, obj.metadata.name ?? "");
  if (old?.metadata.deletionTimestamp && !obj.metadata.finalizers?.length) {
    const gone = opts.dryRun
      ? obj
      : finalizeDeletion(api, type, key, { ...obj, apiVersion: storageApiVersion(type) });
    return { object: present(gone, type, scope.version), created: false, ...warnings };
  }
  obj.apiVersion = storageApiVersion(type);
  if (opts.dryRun) {
    if (old?.metadata.resourceVersion) obj.metadata.resourceVersion = old.metadata.resourceVersion;
    return { object: present(obj, type, scope.version), created: !old, ...warnings };
  }
  const stored = api.store.put(key, obj, old);
  return { object: present(stored, type, scope.version), created: !old, ...warnings };
}

function checkNamespace(api: Api, scope: Scope, body: KubeObject): void {
  const type = scope.type;
  if (!type.namespaced) {
    delete body.metadata.namespace;
    return;
  }
  if (body.metadata.namespace && scope.namespace && body.metadata.namespace !== scope.namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  body.metadata.namespace = scope.namespace || body.metadata.namespace;
  void api;
}

/** Inside a write transaction: the namespace must exist and not be terminating. */
export function requireNamespace(api: Api, scope: Scope, namespace: string | undefined): void {
  if (!scope.type.namespaced || !namespace) return;
  const ns = api.store.get({ group: "", resource: "namespaces", namespace: "", name: namespace });
  if (!ns) throw notFound({ group: "", resource: "namespaces" }, namespace);
  const phase = isObject(ns.status) ? ns.status.phase : undefined;
  if (phase === "Terminating" || ns.metadata.deletionTimestamp) {
    throw forbidden(
      groupResource(scope.type),
      "",
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

/** A copy of a create/update body after the checks both share: kind and version, metadata, namespace. */
function acceptBody(
  api: Api,
  scope: Scope,
  body: KubeObject,
): KubeObject & { metadata: NonNullable<KubeObject["metadata"]> } {
  checkBodyType(body, scope.type, scope.version);
  const obj = clone(body);
  obj.metadata = isObject(obj.metadata) ? obj.metadata : {};
  checkNamespace(api, scope, obj);
  return obj as KubeObject & { metadata: NonNullable<KubeObject["metadata"]> };
}

export function createObject(
  api: Api,
  scope: Scope,
  body: KubeObject,
  opts: WriteOptions,
  owner: FieldOwner,
) {
  const type = scope.type;
  const obj = acceptBody(api, scope, body);
  if (!obj.metadata.name && obj.metadata.generateName)
    obj.metadata.name = generateName(obj.metadata.generateName);
  const name = obj.metadata.name;
  if (!name) {
    throw invalid(groupKind(type), "", [fieldRequired("metadata.name", "name or generateName is required")]);
  }
  return api.store.write(() => {
    requireNamespace(api, scope, obj.metadata.namespace);
    if (api.store.get(keyOf(type, obj.metadata.namespace, name)))
      throw alreadyExists(groupResource(type), name);
    return commit(api, { scope, next: obj, opts, owner });
  });
}

export function updateObject(
  api: Api,
  scope: Scope,
  body: KubeObject,
  opts: WriteOptions,
  owner: FieldOwner,
) {
  const type = scope.type;
  const obj = acceptBody(api, scope, body);
  const name = scope.name ?? "";
  if (obj.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${obj.metadata.name ?? ""}) does not match the name on the URL (${name})`,
    );
  }
  return api.store.write(() => {
    const old = api.store.get(keyOf(type, scope.namespace, name));
    if (!old) {
      if (!type.createOnUpdate || scope.subresource) throw notFound(groupResource(type), name);
      requireNamespace(api, scope, obj.metadata.namespace);
      return commit(api, { scope, next: obj, opts, owner });
    }
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(groupResource(type), name, MODIFIED);
    return commit(api, { scope, next: obj, old, opts, owner });
  });
}
