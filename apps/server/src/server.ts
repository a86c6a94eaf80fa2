// Starts the console: builds the app, watches the plan, listens.
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { ServerConfig } from "./config.js";

export async function startServer(config: ServerConfig): Promise<FastifyInstance> {
  const app = await buildApp(config, { watchPlan: true, collectors: true });
  await app.listen({ host: config.host, port: config.port });
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const scheme = config.tlsCert ? "https" : "http";
  config.announce(`k3s HA Console on ${scheme}://${host}:${config.port}/ (plan ${config.planFile})`);
  if (config.publicUrl)
    config.announce(`Public URL: ${config.publicUrl} (the only Host and Origin accepted)`);
  const loopback = /^(127\.|::1$|localhost$)/.test(config.host);
  if (!loopback && !config.publicUrl) {
    config.announce(
      "Listening beyond loopback without --public-url: any Host is accepted; set it to guard against DNS rebinding.",
    );
  }
  if (!loopback && !config.tlsCert && !config.trustProxy) {
    config.announce(
      "Listening beyond loopback without TLS: put a TLS proxy in front (--trust-proxy) or use --tls-cert/--tls-key.",
    );
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
  return app;
}
