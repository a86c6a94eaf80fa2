// Watch streams: initial events, changes from the shared feed filtered by selectors, bookmarks, timeout, 410 Gone.
import type { ServerResponse } from "node:http";
import type { Api, Scope } from "../api/objects.js";
import { present } from "../api/objects.js";
import { type ListQuery, matches } from "../api/read.js";
import type { KubeObject } from "../meta.js";
import { apiVersionOf } from "../resources/types.js";
import { badRequest, StatusError } from "../status.js";
import type { ChangeFeed } from "../store/feed.js";
import type { Change } from "../store/store.js";
import { toTable } from "./table.js";

export interface WatchOptions {
  /** How often an idle watch with allowWatchBookmarks gets a BOOKMARK (apiserver: about a minute). */
  bookmarkIntervalMs: number;
  /** Timeout when the request sets none (apiserver: a random value between 30 and 60 minutes). */
  defaultTimeoutSeconds: number;
}

export interface WatchRequest {
  scope: Scope;
  query: ListQuery;
  raw: Record<string, string>;
  /** Events carry one-row Tables (kubectl get --watch with server-side printing). */
  table?: boolean;
}

type EventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/** Maps a stored change to what this watch sees: objects moving into or out of the selection become ADDED/DELETED. */
function eventFor(w: WatchRequest, change: Change): EventType | undefined {
  const { type, namespace } = w.scope;
  if (change.group !== type.group || change.resource !== type.resource) return undefined;
  if (type.namespaced && namespace && change.namespace !== namespace) return undefined;
  const now = change.type !== "DELETED" && matches(type, w.query, change.object);
  const before = change.prev ? matches(type, w.query, change.prev) : false;
  if (change.type === "ADDED") return now ? "ADDED" : undefined;
  if (change.type === "DELETED") return before ? "DELETED" : undefined;
  if (now && before) return "MODIFIED";
  if (now) return "ADDED";
  return before ? "DELETED" : undefined;
}

/** Whether `change` is the deletion of the CRD serving group/resource. */
function endsWith(change: Change, group: string, resource: string): boolean {
  if (change.group !== "apiextensions.k8s.io" || change.resource !== "customresourcedefinitions")
    return false;
  const spec = (change.object.spec ?? {}) as { group?: unknown; names?: { plural?: unknown } };
  return spec.group === group && spec.names?.plural === resource;
}

export interface ActiveWatch {
  end(): void;
}

export function serveWatch(
  api: Api,
  feed: ChangeFeed,
  w: WatchRequest,
  res: ServerResponse,
  options: WatchOptions,
  open: Set<ActiveWatch>,
): ActiveWatch {
  const { type, version, namespace } = w.scope;
  const rvParam = w.raw.resourceVersion;
  const sendInitial = w.raw.sendInitialEvents === "true" || !rvParam || rvParam === "0";
  if (rvParam && rvParam !== "0" && !/^\d+$/.test(rvParam)) {
    throw badRequest(`resourceVersion: Invalid value: "${rvParam}": must be a number`);
  }
  const bookmarks = w.raw.allowWatchBookmarks === "true";
  const timeoutS = w.raw.timeoutSeconds ? Number(w.raw.timeoutSeconds) : options.defaultTimeoutSeconds;
  let initial: KubeObject[] = [];
  let from = rvParam ? Number(rvParam) : 0;
  if (sendInitial) {
    const ns = type.namespaced && namespace ? namespace : undefined;
    const snap = api.store.read(() => ({
      rv: api.store.currentRv(),
      items: api.store.list(type.group, type.resource, ns),
    }));
    initial = snap.items.filter((o) => matches(type, w.query, o));
    from = Math.max(from, snap.rv);
  }
  let latest = from;
  let ended = false;
  const write = (eventType: EventType, object: unknown) => {
    if (!ended) res.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const bookmark = (extra?: Record<string, string>) =>
    write("BOOKMARK", {
      kind: type.kind,
      apiVersion: apiVersionOf(type, version),
      metadata: {
        resourceVersion: String(latest),
        ...(type.schemas ? {} : { creationTimestamp: null }),
        ...(extra ? { annotations: extra } : {}),
      },
    });
  const shown = (obj: KubeObject) => (w.table ? toTable(type, version, [obj]) : present(obj, type, version));
  const deliver = (change: Change) => {
    // Deleting a CRD tears down its storage: the apiserver ends the watches on its resource (clients relist: 404).
    if (change.type === "DELETED" && endsWith(change, type.group, type.resource)) return end();
    latest = Math.max(latest, change.rv);
    const eventType = eventFor(w, change);
    if (eventType) write(eventType, shown(change.object));
  };
  let timers: NodeJS.Timeout[] = [];
  let unsubscribe = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    for (const t of timers) clearTimeout(t);
    timers = [];
    unsubscribe();
    res.end();
    open.delete(active);
  };
  const active: ActiveWatch = { end: () => end() };
  const start = () => {
    res.writeHead(200, {
      "content-type": "application/json",
      "cache-control": "no-cache, private",
      "transfer-encoding": "chunked",
    });
    res.flushHeaders();
  };
  try {
    const sub = feed.subscribe(from, {
      onChange: deliver,
      onProgress: (rv) => {
        latest = Math.max(latest, rv);
      },
      onExpired: () => {
        write("ERROR", expiredStatus(latest, 0));
        end();
      },
    });
    unsubscribe = sub.unsubscribe;
    start();
    for (const obj of initial) write("ADDED", shown(obj));
    if (sendInitial && bookmarks && w.raw.sendInitialEvents === "true")
      bookmark({ "k8s.io/initial-events-end": "true" });
    for (const change of sub.backlog) deliver(change);
  } catch (err) {
    if (!(err instanceof StatusError) || err.code !== 410) throw err;
    // A watch that cannot start from its resourceVersion still answers 200, with one ERROR event (cacher's errWatcher).
    start();
    write("ERROR", err.status);
    end();
    return active;
  }
  if (bookmarks) {
    const tick = () => {
      bookmark();
      timers.push(setTimeout(tick, options.bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, options.bookmarkIntervalMs));
  }
  if (timeoutS > 0) timers.push(setTimeout(end, timeoutS * 1000));
  // The response closes when the client goes away (or the server drops the connection): stop delivering then.
  res.on("close", end);
  if (!ended) open.add(active);
  return active;
}

const expiredStatus = (rv: number, oldest: number) => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: `too old resource version: ${rv} (${oldest})`,
  reason: "Expired",
  code: 410,
});
