// What k3s serves on 6443 besides the Kubernetes API (its supervisor router, pkg/server/router.go): /ping and
// /cacerts answer anyone, without credentials, before any request reaches the apiserver's authentication.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Answers k3s's unauthenticated supervisor paths; false when the request is the apiserver's. */
export function handleSupervisor(req: IncomingMessage, res: ServerResponse, caPem: Buffer): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  if (path === "/ping") {
    res.writeHead(200, { "content-type": "text/plain", "content-length": "4" });
    res.end(req.method === "HEAD" ? undefined : "pong");
    return true;
  }
  if (path === "/cacerts") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(req.method === "HEAD" ? undefined : caPem);
    return true;
  }
  return false;
}
