// The k3s stand-in's HTTP API as a route table: health and version now, the Kubernetes API grows here.
import type { IncomingMessage, ServerResponse } from "node:http";
import { K3S_VERSION } from "./node-config.js";

export interface ApiContext {
  node: string;
  startedAt: Date;
}

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** An exact path, or a pattern whose groups are handed to the handler. */
  path: string | RegExp;
  handle(req: IncomingMessage, res: ServerResponse, ctx: ApiContext, params: string[]): void | Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** A Kubernetes `Status` object, the shape every apiserver error has. */
export function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(res, code, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  });
}

const [major = "1", minor = "0"] = K3S_VERSION.slice(1).split(".");

/** Health endpoints answer "ok" without authentication, as the apiserver does for system:public-info-viewer. */
export const healthRoutes: ApiRoute[] = [
  ...["/readyz", "/livez", "/healthz"].map(
    (p): ApiRoute => ({ method: "GET", path: p, handle: (_req, res) => sendText(res, 200, "ok") }),
  ),
  {
    method: "GET",
    path: "/version",
    handle: (_req, res) =>
      sendJson(res, 200, {
        major,
        minor,
        gitVersion: K3S_VERSION,
        gitCommit: "0000000000000000000000000000000000000000",
        gitTreeState: "clean",
        buildDate: "2025-09-10T00:00:00Z",
        goVersion: "go1.24.6",
        compiler: "gc",
        platform: "linux/amd64",
      }),
  },
];

/** Dispatches a request to the first matching route; 404/405 as Kubernetes Status objects. */
export async function dispatch(
  routes: readonly ApiRoute[],
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ApiContext,
): Promise<void> {
  const url = new URL(req.url ?? "/", "https://localhost");
  let pathMatched = false;
  for (const route of routes) {
    const params =
      typeof route.path === "string"
        ? route.path === url.pathname
          ? []
          : undefined
        : route.path.exec(url.pathname)?.slice(1);
    if (!params) continue;
    pathMatched = true;
    if (route.method !== req.method) continue;
    await route.handle(req, res, ctx, params);
    return;
  }
  if (pathMatched)
    sendStatus(res, 405, "MethodNotAllowed", `the server does not allow this method on ${url.pathname}`);
  else sendStatus(res, 404, "NotFound", "the server could not find the requested resource");
}
