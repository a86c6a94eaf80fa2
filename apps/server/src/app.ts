// Builds the Fastify application (no listening here, so tests can inject requests and websockets).
import { existsSync } from "node:fs";
import type { Server as HttpsServer } from "node:https";
import { join, resolve } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifyWebsocket from "@fastify/websocket";
import { parseIp } from "@k3s-ha/shared";
import Fastify, { type FastifyInstance } from "fastify";
import type { ServerConfig } from "./config.js";
import { AppError, registerErrorHandler } from "./errors.js";
import auditPlugin from "./plugins/audit.js";
import authPlugin from "./plugins/auth.js";
import collectorsPlugin from "./plugins/collectors.js";
import failoverPlugin from "./plugins/failover.js";
import hubPlugin from "./plugins/hub.js";
import kubePlugin from "./plugins/kube.js";
import { hostAllowed } from "./plugins/origin.js";
import planPlugin from "./plugins/plan.js";
import { registerRateLimit } from "./plugins/rate-limit.js";
import setupPlugin from "./plugins/setup.js";
import sshPlugin from "./plugins/ssh.js";
import storePlugin from "./plugins/store.js";
import { readTls, type TlsFiles, watchTls } from "./plugins/tls.js";
import { auditRoutes } from "./routes/audit.js";
import { loginRoutes, sessionRoutes } from "./routes/auth.js";
import { bgpRoutes } from "./routes/bgp.js";
import { calicoRoutes } from "./routes/calico.js";
import { clusterRoutes } from "./routes/cluster.js";
import { dnsRoutes } from "./routes/dns.js";
import { endpointsRoutes } from "./routes/endpoints.js";
import { failoverRoutes } from "./routes/failover.js";
import { healthRoutes } from "./routes/health.js";
import { hostsRoutes } from "./routes/hosts.js";
import { metricsRoutes } from "./routes/metrics.js";
import { planRoutes } from "./routes/plan.js";
import { routeAuditRoutes } from "./routes/route-audit.js";
import { setupRoutes } from "./routes/setup.js";
import { sourcesRoutes } from "./routes/sources.js";
import { wsRoutes } from "./routes/ws.js";

export interface BuildOptions {
  /** Watch the plan file for edits (off in most tests). */
  watchPlan?: boolean;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write: (line: string) => void };
  /** Start the collectors (the router poll…) when the app is ready: on for `serve`, off in most tests. */
  collectors?: boolean;
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};
const HSTS = "max-age=31536000";

/**
 * Hashed assets never change under their name: cached for a year without revalidation. index.html (also served for
 * deep links) must be revalidated, or a redeploy would leave tabs on chunks that no longer exist.
 */
export function webCacheControl(file: string): string {
  const path = file.replace(/\.(br|gz)$/, "");
  if (/[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+$/.test(path)) return "public, max-age=31536000, immutable";
  if (path.endsWith("index.html")) return "no-cache";
  return "public, max-age=3600";
}

export function defaultWebDir(): string {
  return resolve(import.meta.dirname, "../../web/dist");
}

function isLoopbackBind(host: string): boolean {
  const ip = parseIp(host.replace(/^\[|\]$/g, ""));
  if (host === "localhost") return true;
  if (!ip) return false;
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}

export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const tls: TlsFiles | undefined =
    config.tlsCert && config.tlsKey ? { cert: config.tlsCert, key: config.tlsKey } : undefined;
  const app = Fastify({
    logger:
      config.logLevel === "silent"
        ? false
        : { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: 1024 * 1024,
    // Only the proxies named by --trust-proxy are believed; never all, or X-Forwarded-For would dodge every limit.
    trustProxy: config.trustProxy && config.trustProxy.length > 0 ? config.trustProxy : false,
    ...(tls ? { https: readTls(tls) } : {}),
  }) as unknown as FastifyInstance;
  registerErrorHandler(app);
  if (tls) {
    let stop = () => {};
    app.addHook("onReady", async () => {
      stop = watchTls(app.server as unknown as HttpsServer, tls, app.log);
    });
    app.addHook("onClose", async () => stop());
  }
  const loopbackOnly = isLoopbackBind(config.host);
  app.addHook("onRequest", async (request) => {
    if (request.url === "/api/health") return;
    if (!hostAllowed(request, { publicUrl: config.publicUrl, loopbackOnly })) {
      throw new AppError(
        "HOST_REFUSED",
        `Host ${JSON.stringify((request.host ?? "").slice(0, 100))} is not this console's address` +
          (config.publicUrl ? ` (${config.publicUrl})` : " (set --public-url to serve it under a name)"),
      );
    }
  });
  app.addHook("onSend", async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (request.protocol === "https") reply.header("strict-transport-security", HSTS);
    // API answers carry sessions' CSRF tokens and live state: never cached by a browser or a proxy.
    if (request.url.startsWith("/api")) reply.header("cache-control", "no-store");
  });

  await app.register(fastifyCookie);
  await registerRateLimit(app, { perMinute: config.rateLimitPerMinute, apiToken: config.apiToken });
  await app.register(storePlugin, { dataDir: config.dataDir, announce: config.announce });
  await app.register(hubPlugin);
  await app.register(auditPlugin);
  await app.register(authPlugin, {
    adminPassword: config.adminPassword,
    apiToken: config.apiToken,
    announce: config.announce,
    publicUrl: config.publicUrl,
  });
  await app.register(planPlugin, { planFile: config.planFile, watch: options.watchPlan ?? false });
  await app.register(sshPlugin);
  await app.register(kubePlugin);
  await app.register(collectorsPlugin, { enabled: options.collectors ?? false });
  await app.register(failoverPlugin, {
    ...(config.runRetentionDays ? { retentionDays: config.runRetentionDays } : {}),
  });
  await app.register(setupPlugin);
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  // Public routes.
  await app.register(healthRoutes);
  await app.register(loginRoutes);
  // Bearer tokens only (the API token or the read-only metrics token): Prometheus has no session.
  await app.register(metricsRoutes, { apiToken: config.apiToken, metricsToken: config.metricsToken });

  // Everything else under /api needs a session or the API token.
  await app.register(async (api) => {
    api.addHook("onRequest", api.authenticate);
    await api.register(sessionRoutes);
    await api.register(planRoutes);
    await api.register(auditRoutes);
    await api.register(sourcesRoutes);
    await api.register(bgpRoutes);
    await api.register(clusterRoutes);
    await api.register(calicoRoutes);
    await api.register(routeAuditRoutes);
    await api.register(dnsRoutes);
    await api.register(endpointsRoutes);
    await api.register(failoverRoutes);
    await api.register(setupRoutes);
    await api.register(hostsRoutes);
    await api.register(wsRoutes);
  });

  const webDir = config.webDir ?? defaultWebDir();
  const hasWeb = existsSync(join(webDir, "index.html"));
  // Source maps are built hidden for debugging on the build machine, never served. Text assets are sent as the
  // brotli or gzip file the build wrote beside them, whichever the browser accepts.
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      index: "index.html",
      preCompressed: true,
      cacheControl: false,
      allowedPath: (pathName) => !pathName.endsWith(".map"),
      setHeaders: (reply, path) => reply.header("cache-control", webCacheControl(path)),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (path.startsWith("/api") || request.method !== "GET" || !hasWeb || path.endsWith(".map")) {
      throw new AppError("NOT_FOUND", `No route ${request.method} ${path.slice(0, 200)}`);
    }
    return reply.type("text/html").sendFile("index.html");
  });
  return app;
}
