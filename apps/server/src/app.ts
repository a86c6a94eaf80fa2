// Builds the Fastify application (no listening here, so tests can inject requests and websockets).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { type FastifyInstance } from "fastify";
import type { ServerConfig } from "./config.js";
import { AppError, registerErrorHandler } from "./errors.js";
import auditPlugin from "./plugins/audit.js";
import authPlugin from "./plugins/auth.js";
import hubPlugin from "./plugins/hub.js";
import planPlugin from "./plugins/plan.js";
import storePlugin from "./plugins/store.js";
import { auditRoutes } from "./routes/audit.js";
import { loginRoutes, sessionRoutes } from "./routes/auth.js";
import { healthRoutes } from "./routes/health.js";
import { planRoutes } from "./routes/plan.js";
import { wsRoutes } from "./routes/ws.js";

export interface BuildOptions {
  /** Watch the plan file for edits (off in most tests). */
  watchPlan?: boolean;
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

export function defaultWebDir(): string {
  return resolve(import.meta.dirname, "../../web/dist");
}

export async function buildApp(config: ServerConfig, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === "silent" ? false : { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });
  registerErrorHandler(app);
  app.addHook("onSend", async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  await app.register(storePlugin, { dataDir: config.dataDir });
  await app.register(hubPlugin);
  await app.register(auditPlugin);
  await app.register(authPlugin, {
    adminPassword: config.adminPassword,
    apiToken: config.apiToken,
    announce: config.announce,
  });
  await app.register(planPlugin, { planFile: config.planFile, watch: options.watchPlan ?? false });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  // Public routes.
  await app.register(healthRoutes);
  await app.register(loginRoutes);

  // Everything else under /api needs a session or the API token.
  await app.register(async (api) => {
    api.addHook("onRequest", api.authenticate);
    await api.register(sessionRoutes);
    await api.register(planRoutes);
    await api.register(auditRoutes);
    await api.register(wsRoutes);
  });

  const webDir = config.webDir ?? defaultWebDir();
  const hasWeb = existsSync(join(webDir, "index.html"));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, index: "index.html" });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith("/api") || request.method !== "GET" || !hasWeb) {
      throw new AppError("NOT_FOUND", `No route ${request.method} ${request.url.split("?")[0]}`);
    }
    return reply.type("text/html").sendFile("index.html");
  });
  return app;
}
