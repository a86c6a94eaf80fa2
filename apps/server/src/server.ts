// Starts the console: builds the app, watches the plan, listens.
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { ServerConfig } from "./config.js";

export async function startServer(config: ServerConfig): Promise<FastifyInstance> {
  const app = await buildApp(config, { watchPlan: true });
  await app.listen({ host: config.host, port: config.port });
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  config.announce(`k3s HA Console on http://${host}:${config.port}/ (plan ${config.planFile})`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void app.close().then(() => process.exit(0));
    });
  }
  return app;
}
