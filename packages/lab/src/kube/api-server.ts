// One API server process's Kubernetes API over the shared store: a request handler to mount, and its in-process client.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Api, DEFAULT_CONFIG } from "./api/objects.js";
import { KubeClient, R } from "./client.js";
import { type AuthOptions, authenticate, authorize, forbiddenReason } from "./http/auth.js";
import {
  AGGREGATED_V2,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
  wantsAggregated,
} from "./http/discovery.js";
import { openApiV3 } from "./http/openapi.js";
import { type RequestInfo, requestInfo } from "./http/request-info.js";
import { serveResource } from "./http/resources.js";
import { sendError, sendJson, sendText } from "./http/respond.js";
import type { ActiveWatch } from "./http/watch.js";
import { Registry } from "./resources/registry.js";
import type { ClusterConfig } from "./resources/types.js";
import { forbidden, methodNotAllowed, notFoundGeneric, unauthorized } from "./status.js";
import { ChangeFeed } from "./store/feed.js";
import { KubeStore } from "./store/store.js";

export const DEFAULT_GIT_VERSION = "v1.33.5+k3s1";
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

export interface KubeApiOptions {
  /** The shared SQLite file every API server process of the cluster opens. */
  dbFile: string;
  config?: Partial<ClusterConfig>;
  auth?: AuthOptions;
  /** gitVersion answered by /version (default v1.33.5+k3s1). */
  gitVersion?: string;
  /** host:port answered in /api's serverAddressByClientCIDRs. */
  serverAddress?: string;
  /** Change-log poll interval (default 50 ms). */
  pollMs?: number;
  /** BOOKMARK interval for watches that allow them (default 60 s). */
  bookmarkIntervalMs?: number;
  /** Watch timeout when the client sets none (default 1800 s). */
  defaultWatchTimeoutSeconds?: number;
  /** Keep this many changes in the log; compacted every compactIntervalMs (defaults 10000, 60 s; 0 disables). */
  compactKeep?: number;
  compactIntervalMs?: number;
  /** Clock for timestamps (tests). */
  now?: () => Date;
  /**
   * Health paths answered without credentials. k3s runs the apiserver with anonymous auth off, so by default
   * /readyz, /livez and /healthz answer 401 to anonymous requests (k3s-io/k3s#3576); an AuthenticationConfiguration
   * with `anonymous.conditions` (k3s >= v1.32.4) opens chosen paths.
   */
  anonymousHealthPaths?: readonly string[];
}

export interface KubeApi {
  readonly api: Api;
  readonly feed: ChangeFeed;
  readonly client: KubeClient;
  /** Serves the request when it is a Kubernetes API path (/api, /apis, /version, health); false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Ends open watches and closes the datastore connection. */
  close(): void;
}

const HEALTH = new Set(["/healthz", "/livez", "/readyz"]);

function isApiPath(p: string): boolean {
  return (
    p === "/api" ||
    p.startsWith("/api/") ||
    p === "/apis" ||
    p.startsWith("/apis/") ||
    p === "/version" ||
    p.startsWith("/openapi")
  );
}

function serveNonResource(
  api: Api,
  info: RequestInfo,
  req: IncomingMessage,
  res: ServerResponse,
  o: KubeApiOptions,
) {
  if (req.method !== "GET" && req.method !== "HEAD") throw methodNotAllowed();
  const p = info.path.replace(/\/+$/, "");
  const gitVersion = o.gitVersion ?? DEFAULT_GIT_VERSION;
  if (p === "/version") return sendJson(res, 200, versionInfo(gitVersion));
  if (p === "/openapi/v3" || p.startsWith("/openapi/v3/"))
    return sendJson(res, 200, openApiV3(api.registry, p, gitVersion));
  const aggregated = wantsAggregated(req.headers.accept);
  if (p === "/api") {
    if (aggregated) return sendJson(res, 200, aggregatedDiscovery(api.registry, true), AGGREGATED_V2);
    return sendJson(res, 200, apiVersions(o.serverAddress ?? req.headers.host ?? "localhost:6443"));
  }
  if (p === "/apis") {
    if (aggregated) return sendJson(res, 200, aggregatedDiscovery(api.registry, false), AGGREGATED_V2);
    return sendJson(res, 200, apiGroupList(api.registry));
  }
  if (info.prefix === "api" && info.parts.length === 1)
    return sendJson(res, 200, apiResourceList(api.registry, "", info.parts[0] ?? ""));
  if (info.prefix === "apis" && info.parts.length === 1)
    return sendJson(res, 200, apiGroup(api.registry, info.parts[0] ?? ""));
  if (info.prefix === "apis" && info.parts.length === 2) {
    return sendJson(res, 200, apiResourceList(api.registry, info.parts[0] ?? "", info.parts[1] ?? ""));
  }
  throw notFoundGeneric();
}

/** The bootstrap controller's namespaces, which every apiserver ensures at start. */
function ensureSystemNamespaces(client: KubeClient): void {
  for (const name of SYSTEM_NAMESPACES) {
    if (client.get(R.namespaces, undefined, name)) continue;
    try {
      client.create(R.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    } catch {
      // another API server process created it first
    }
  }
}

export function createKubeApi(options: KubeApiOptions): KubeApi {
  const store = new KubeStore(options.dbFile);
  const registry = new Registry(store);
  const api: Api = {
    store,
    registry,
    config: { ...DEFAULT_CONFIG, ...options.config },
    now: options.now ?? (() => new Date()),
  };
  const feed = new ChangeFeed(store, options.pollMs === undefined ? {} : { pollMs: options.pollMs });
  const client = new KubeClient(api, feed, "kube-apiserver");
  const watches = new Set<ActiveWatch>();
  const auth = options.auth ?? {};
  const ctx = {
    api,
    feed,
    watches,
    watch: {
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      defaultTimeoutSeconds: options.defaultWatchTimeoutSeconds ?? 1800,
    },
  };
  ensureSystemNamespaces(client);
  const keep = options.compactKeep ?? 10_000;
  const compactMs = options.compactIntervalMs ?? 60_000;
  const compact = () => {
    try {
      store.compactKeeping(keep);
    } catch {
      // busy datastore: the next round compacts
    }
  };
  const compactor = compactMs > 0 ? setInterval(compact, compactMs) : undefined;
  compactor?.unref();
  let closed = false;
  const anonymousHealth = new Set(options.anonymousHealthPaths ?? []);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "https://localhost");
    if (HEALTH.has(url.pathname)) {
      if (!anonymousHealth.has(url.pathname) && !authenticate(req, auth)) sendError(res, unauthorized());
      else sendText(res, 200, "ok");
      return true;
    }
    if (!isApiPath(url.pathname)) return false;
    try {
      if (closed) throw notFoundGeneric();
      const user = authenticate(req, auth);
      if (!user) throw unauthorized();
      const info = requestInfo(req.method ?? "GET", url);
      if (!authorize(user, info, auth)) {
        const gr = info.isResource ? { group: info.group, resource: info.resource ?? "" } : undefined;
        throw forbidden(gr, info.name ?? "", forbiddenReason(user, info));
      }
      if (!info.isResource) serveNonResource(api, info, req, res, options);
      else await serveResource(ctx, info, url, req, res);
    } catch (err) {
      sendError(res, err);
    }
    return true;
  }

  return {
    api,
    feed,
    client,
    handle,
    close() {
      if (closed) return;
      closed = true;
      clearInterval(compactor);
      for (const w of [...watches]) w.end();
      feed.close();
      store.close();
    },
  };
}
