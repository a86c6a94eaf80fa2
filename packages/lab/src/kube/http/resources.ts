// Resource requests: maps a verb on a resource (or subresource) URL to the operation, with the query options it takes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type DeleteOptions, deleteCollection, deleteObject } from "../api/delete.js";
import { evictPod } from "../api/eviction.js";
import {
  type Api,
  managerFromUserAgent,
  type Scope,
  type WriteOptions,
  type WriteResult,
} from "../api/objects.js";
import { patchObject } from "../api/patch.js";
import { getObject, listObjects, parseListQuery } from "../api/read.js";
import { createObject, updateObject } from "../api/write.js";
import type { FieldOwner } from "../managed/managed-fields.js";
import { isObject, type KubeObject, nowIso } from "../meta.js";
import { apiVersionOf } from "../resources/types.js";
import { badRequest, methodNotAllowed, notFoundGeneric } from "../status.js";
import type { ChangeFeed } from "../store/feed.js";
import type { RequestInfo } from "./request-info.js";
import { parseObjectBody, readBody, sendJson } from "./respond.js";
import { toTable, wantsTable } from "./table.js";
import { type ActiveWatch, serveWatch, type WatchOptions } from "./watch.js";

export interface ResourceContext {
  api: Api;
  feed: ChangeFeed;
  watch: WatchOptions;
  watches: Set<ActiveWatch>;
}

function writeOptions(query: URLSearchParams): WriteOptions {
  const dryRun = query.getAll("dryRun");
  for (const d of dryRun) if (d !== "All") throw badRequest(`Invalid dryRun value: ${d}`);
  const force = query.get("force");
  const validation = query.get("fieldValidation");
  if (validation !== null && !["Strict", "Warn", "Ignore"].includes(validation)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", not "${validation}"`);
  }
  return {
    ...(validation ? { fieldValidation: validation as WriteOptions["fieldValidation"] } : {}),
    dryRun: dryRun.includes("All"),
    ...(query.get("fieldManager") ? { fieldManager: query.get("fieldManager") as string } : {}),
    ...(force !== null ? { force: force === "true" } : {}),
  };
}

function ownerFor(scope: Scope, opts: WriteOptions, req: IncomingMessage, now: Date): FieldOwner {
  return {
    manager: opts.fieldManager ?? managerFromUserAgent(req.headers["user-agent"]),
    apiVersion: apiVersionOf(scope.type, scope.version),
    ...(scope.subresource ? { subresource: scope.subresource } : {}),
    time: nowIso(now),
  };
}

async function deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptions> {
  const text = await readBody(req);
  const body = text.trim() ? parseObjectBody(text, req.headers["content-type"]) : {};
  const b = isObject(body) ? body : {};
  const policy = (query.get("propagationPolicy") ??
    b.propagationPolicy) as DeleteOptions["propagationPolicy"];
  const dry = [...query.getAll("dryRun"), ...(Array.isArray(b.dryRun) ? (b.dryRun as string[]) : [])];
  const pre = isObject(b.preconditions) ? (b.preconditions as DeleteOptions["preconditions"]) : undefined;
  if (query.get("orphanDependents") === "true" || b.orphanDependents === true) {
    return {
      dryRun: dry.includes("All"),
      propagationPolicy: "Orphan",
      ...(pre ? { preconditions: pre } : {}),
    };
  }
  return {
    dryRun: dry.includes("All"),
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(pre ? { preconditions: pre } : {}),
  };
}

function sendWrite(res: ServerResponse, code: number, result: WriteResult): void {
  if (result.warnings?.length)
    res.setHeader(
      "warning",
      result.warnings.map((w) => `299 - ${JSON.stringify(w)}`),
    );
  sendJson(res, code, result.object);
}

export async function serveResource(
  ctx: ResourceContext,
  info: RequestInfo,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { api } = ctx;
  const type = api.registry.find(info.group, info.version, info.resource ?? "");
  if (!type) throw notFoundGeneric();
  if (info.subresource && !type.subresources[info.subresource]) throw notFoundGeneric();
  if (!type.namespaced && info.namespace && info.resource !== "namespaces") throw notFoundGeneric();
  const scope: Scope = {
    type,
    version: info.version,
    ...(info.namespace !== undefined ? { namespace: info.namespace } : {}),
    ...(info.name !== undefined ? { name: info.name } : {}),
    ...(info.subresource ? { subresource: info.subresource } : {}),
  };
  const raw = Object.fromEntries(url.searchParams);
  const table = wantsTable(req.headers.accept);
  const query = url.searchParams;
  switch (info.verb) {
    case "get": {
      if (info.subresource && info.subresource !== "status") throw methodNotAllowed();
      const obj = getObject(api, scope);
      return sendJson(res, 200, table ? toTable(type, info.version, [obj]) : obj);
    }
    case "list": {
      const list = listObjects(api, scope, parseListQuery(type, raw));
      if (!table) return sendJson(res, 200, list);
      return sendJson(
        res,
        200,
        toTable(type, info.version, list.items, list.metadata.resourceVersion, list.metadata.continue),
      );
    }
    case "watch": {
      const q = parseListQuery(type, raw);
      if (info.name) q.fields.push({ field: "metadata.name", op: "=", value: info.name });
      serveWatch(api, ctx.feed, { scope, query: q, raw, table }, res, ctx.watch, ctx.watches);
      return;
    }
    case "create": {
      const opts = writeOptions(query);
      const body = parseObjectBody(await readBody(req), req.headers["content-type"]);
      if (info.subresource === "eviction")
        return sendJson(res, 201, evictPod(api, scope, body, opts.dryRun === true));
      if (info.name || info.subresource) throw methodNotAllowed();
      const result = createObject(
        api,
        scope,
        body as KubeObject,
        opts,
        ownerFor(scope, opts, req, api.now()),
      );
      return sendWrite(res, 201, result);
    }
    case "update": {
      const opts = writeOptions(query);
      const body = parseObjectBody(await readBody(req), req.headers["content-type"]);
      const result = updateObject(
        api,
        scope,
        body as KubeObject,
        opts,
        ownerFor(scope, opts, req, api.now()),
      );
      return sendWrite(res, result.created ? 201 : 200, result);
    }
    case "patch": {
      const opts = writeOptions(query);
      const text = await readBody(req);
      const owner = ownerFor(scope, opts, req, api.now());
      const result = patchObject(api, scope, req.headers["content-type"] ?? "", text, opts, owner);
      return sendWrite(res, result.created ? 201 : 200, result);
    }
    case "delete": {
      if (info.subresource) throw methodNotAllowed();
      const result = deleteObject(api, scope, await deleteOptions(req, query));
      return sendJson(res, result.code, result.body);
    }
    case "deletecollection":
      return sendJson(res, 200, deleteCollection(api, scope, raw, await deleteOptions(req, query)));
    default:
      throw methodNotAllowed();
  }
}
