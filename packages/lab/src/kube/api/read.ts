// Reads: get, and list with label/field selectors, limit/continue paging and a consistent resourceVersion.
import type { KubeObject } from "../meta.js";
import type { DefinedType } from "../resources/define.js";
import {
  type FieldRequirement,
  type LabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from "../resources/selectors.js";
import { groupResource } from "../resources/types.js";
import { badRequest, expired, notFound } from "../status.js";
import { type Api, keyOf, present, type Scope } from "./objects.js";

export interface ListQuery {
  labels: LabelSelector;
  fields: FieldRequirement[];
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
}

export interface KubeList {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

/** The field-selector attributes of an object (metadata.name, metadata.namespace, and the kind's own). */
export function fieldsOf(type: DefinedType, obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {
    "metadata.name": obj.metadata.name ?? "",
    "metadata.namespace": obj.metadata.namespace ?? "",
  };
  for (const [label, get] of Object.entries(type.fieldLabels)) out[label] = get(obj) ?? "";
  return out;
}

export function parseListQuery(type: DefinedType, query: Record<string, string>): ListQuery {
  const fields = parseFieldSelector(query.fieldSelector);
  for (const f of fields) {
    if (f.field !== "metadata.name" && f.field !== "metadata.namespace" && !(f.field in type.fieldLabels)) {
      throw badRequest(`field label not supported: ${f.field}`);
    }
  }
  const limit = query.limit ? Number(query.limit) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    throw badRequest(`invalid limit: ${query.limit}`);
  return {
    labels: parseLabelSelector(query.labelSelector),
    fields,
    ...(limit ? { limit } : {}),
    ...(query.continue ? { continueToken: query.continue } : {}),
    ...(query.resourceVersion ? { resourceVersion: query.resourceVersion } : {}),
  };
}

export function matches(
  type: DefinedType,
  q: Pick<ListQuery, "labels" | "fields">,
  obj: KubeObject,
): boolean {
  return matchesLabels(q.labels, obj.metadata.labels) && matchesFields(q.fields, fieldsOf(type, obj));
}

export function getObject(api: Api, scope: Scope): KubeObject {
  const name = scope.name ?? "";
  const obj = api.store.get(keyOf(scope.type, scope.namespace, name));
  if (!obj) throw notFound(groupResource(scope.type), name);
  return present(obj, scope.type, scope.version);
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as ContinueToken;
    if (parsed.v !== "meta.k8s.io/v1" || typeof parsed.rv !== "number" || typeof parsed.start !== "string")
      throw new Error();
    return parsed;
  } catch {
    throw badRequest(
      "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
    );
  }
}

const encodeContinue = (rv: number, start: string) =>
  Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start })).toString("base64url");

const sortKey = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

/** Items in the list as the apiserver sends them: built-in lists omit each item's kind/apiVersion. */
function listItem(type: DefinedType, version: string, obj: KubeObject): KubeObject {
  const shown = present(obj, type, version);
  if (type.schemas) return shown;
  const { kind: _k, apiVersion: _a, ...rest } = shown;
  return rest as KubeObject;
}

export function listObjects(api: Api, scope: Scope, q: ListQuery): KubeList {
  const type = scope.type;
  const ns = type.namespaced && scope.namespace ? scope.namespace : undefined;
  const token = q.continueToken ? decodeContinue(q.continueToken) : undefined;
  const { rv, all } = api.store.read(() => {
    if (token && token.rv < api.store.compactedRv()) {
      throw expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
      );
    }
    return { rv: api.store.currentRv(), all: api.store.list(type.group, type.resource, ns) };
  });
  let items = all.filter((o) => matches(type, q, o));
  if (token) items = items.filter((o) => sortKey(o) > token.start);
  const listRv = token?.rv ?? rv;
  const metadata: KubeList["metadata"] = { resourceVersion: String(listRv) };
  if (q.limit && items.length > q.limit) {
    const page = items.slice(0, q.limit);
    const last = page[page.length - 1];
    metadata.continue = encodeContinue(listRv, last ? sortKey(last) : "");
    metadata.remainingItemCount = items.length - q.limit;
    items = page;
  }
  return {
    kind: type.listKind,
    apiVersion: present({ metadata: {} }, type, scope.version).apiVersion ?? "v1",
    metadata,
    items: items.map((o) => listItem(type, scope.version, o)),
  };
}
