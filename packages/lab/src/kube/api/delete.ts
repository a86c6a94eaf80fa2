// Deletion: preconditions, finalizers, what DELETE answers, and the cascades (namespace content, CRs, owner GC).
import { isObject, type KubeObject, nowIso } from "../meta.js";
import type { DefinedType } from "../resources/define.js";
import { matchesFields, matchesLabels } from "../resources/selectors.js";
import { groupResource } from "../resources/types.js";
import { conflict, notFound, type Status } from "../status.js";
import type { ObjectKey } from "../store/store.js";
import { type Api, keyOf, present, type Scope } from "./objects.js";
import { fieldsOf, type ListQuery, parseListQuery } from "./read.js";

export interface DeleteOptions {
  dryRun?: boolean;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export interface DeleteResult {
  body: KubeObject | Status;
  code: number;
}

function typeOfKey(api: Api, key: ObjectKey): DefinedType | undefined {
  return api.registry.all().find((t) => t.group === key.group && t.resource === key.resource);
}

function cascadeDependents(api: Api, owner: KubeObject, ownerKey: ObjectKey, orphan: boolean): void {
  const uid = owner.metadata.uid;
  if (!uid) return;
  const scope = ownerKey.namespace === "" ? undefined : ownerKey.namespace;
  for (const { key, object } of api.store.findMentioning(scope, uid)) {
    const refs = object.metadata.ownerReferences ?? [];
    if (!refs.some((r) => r.uid === uid)) continue;
    const type = typeOfKey(api, key);
    if (!type) continue;
    if (orphan) {
      const kept = refs.filter((r) => r.uid !== uid);
      const next: KubeObject = { ...object, metadata: { ...object.metadata, ownerReferences: kept } };
      if (kept.length === 0) delete next.metadata.ownerReferences;
      api.store.put(key, next, object);
    } else finalizeDeletion(api, type, key, object);
  }
}

/** Removes an object for good, then what goes with it. Runs inside a write transaction. */
export function finalizeDeletion(
  api: Api,
  type: DefinedType,
  key: ObjectKey,
  obj: KubeObject,
  policy: DeleteOptions["propagationPolicy"] = "Background",
): KubeObject {
  const gone = api.store.remove(key, obj);
  if (type.group === "" && type.resource === "namespaces") {
    for (const t of api.registry.all()) {
      if (!t.namespaced) continue;
      for (const item of api.store.list(t.group, t.resource, key.name)) {
        api.store.remove(keyOf(t, key.name, item.metadata.name ?? ""), item);
      }
    }
  }
  if (type.group === "apiextensions.k8s.io" && type.resource === "customresourcedefinitions") {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    const group = String(spec.group ?? "");
    const plural = String(names.plural ?? "");
    for (const item of api.store.list(group, plural)) {
      api.store.remove(
        { group, resource: plural, namespace: item.metadata.namespace ?? "", name: item.metadata.name ?? "" },
        item,
      );
    }
  }
  cascadeDependents(api, obj, key, policy === "Orphan");
  return gone;
}

function checkPreconditions(type: DefinedType, obj: KubeObject, options: DeleteOptions): void {
  const name = obj.metadata.name ?? "";
  const p = options.preconditions;
  if (p?.uid && p.uid !== obj.metadata.uid) {
    throw conflict(
      groupResource(type),
      name,
      `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid ?? ""}`,
    );
  }
  if (p?.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(
      groupResource(type),
      name,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ""}`,
    );
  }
}

/** What a completed DELETE answers: the object for some registries, otherwise a Success Status. */
function deletedBody(type: DefinedType, version: string, gone: KubeObject): KubeObject | Status {
  if (type.returnDeletedObject) return present(gone, type, version);
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: {
      name: gone.metadata.name ?? "",
      ...(type.group ? { group: type.group } : {}),
      kind: type.resource,
      uid: gone.metadata.uid ?? "",
    },
  } as Status;
}

function deleteOne(api: Api, scope: Scope, old: KubeObject, options: DeleteOptions): DeleteResult {
  const type = scope.type;
  const key = keyOf(type, old.metadata.namespace, old.metadata.name ?? "");
  checkPreconditions(type, old, options);
  const now = nowIso(api.now());
  if (old.metadata.finalizers?.length) {
    if (old.metadata.deletionTimestamp) return { body: present(old, type, scope.version), code: 200 };
    const marked = {
      ...old,
      metadata: { ...old.metadata, deletionTimestamp: now, deletionGracePeriodSeconds: 0 },
    };
    const stored = options.dryRun ? marked : api.store.put(key, marked, old);
    return { body: present(stored, type, scope.version), code: 200 };
  }
  let last = old;
  if (type.resource === "namespaces" && type.group === "") {
    last = {
      ...old,
      metadata: { ...old.metadata, deletionTimestamp: now },
      status: { phase: "Terminating" },
    };
  }
  const gone = options.dryRun ? last : finalizeDeletion(api, type, key, last, options.propagationPolicy);
  const body =
    type.resource === "namespaces" && type.group === ""
      ? present(last, type, scope.version)
      : deletedBody(type, scope.version, gone);
  return { body, code: 200 };
}

export function deleteObject(api: Api, scope: Scope, options: DeleteOptions): DeleteResult {
  const name = scope.name ?? "";
  return api.store.write(() => {
    const old = api.store.get(keyOf(scope.type, scope.namespace, name));
    if (!old) throw notFound(groupResource(scope.type), name);
    return deleteOne(api, scope, old, options);
  });
}

/** DELETE on a collection: every object matching the selectors; answers the list of what was deleted. */
export function deleteCollection(
  api: Api,
  scope: Scope,
  query: Record<string, string>,
  options: DeleteOptions,
) {
  const q: ListQuery = parseListQuery(scope.type, query);
  const type = scope.type;
  return api.store.write(() => {
    const items: Array<KubeObject | Status> = [];
    const ns = type.namespaced && scope.namespace ? scope.namespace : undefined;
    for (const obj of api.store.list(type.group, type.resource, ns)) {
      if (!matchesLabels(q.labels, obj.metadata.labels) || !matchesFields(q.fields, fieldsOf(type, obj)))
        continue;
      items.push(deleteOne(api, scope, obj, options).body);
    }
    return {
      kind: type.listKind,
      apiVersion: present({ metadata: {} }, type, scope.version).apiVersion,
      metadata: {},
      items,
    };
  });
}
