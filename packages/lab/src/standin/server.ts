// The k3s stand-in's process: HTTPS on [node]:6443 and [VIP]:6443 with the certificate `k3s` last issued.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { type ApiContext, type ApiRoute, dispatch, healthRoutes, sendStatus } from "./api.js";
import { loadStandinConfig, servingCert } from "./node-config.js";

const PORT = 6443;

function serve(routes: readonly ApiRoute[]): void {
  const config = loadStandinConfig();
  const files = servingCert(config);
  const tls = { cert: readFileSync(files.cert), key: readFileSync(files.key) };
  const ctx: ApiContext = { node: config.node, startedAt: new Date() };
  const sockets = new Set<Socket>();
  const servers: Server[] = [config.address, config.vip].map((host) => {
    const server = createServer(tls, (req, res) => {
      dispatch(routes, req, res, ctx).catch((err: unknown) => {
        if (!res.headersSent) sendStatus(res, 500, "InternalError", (err as Error).message);
        else res.destroy();
      });
    });
    server.on("connection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    server.on("error", (err) => {
      process.stderr.write(
        `k3s stand-in on ${config.node}: cannot listen on [${host}]:${PORT}: ${err.message}\n`,
      );
      process.exit(1);
    });
    server.listen({ host, port: PORT, ipv6Only: true });
    return server;
  });
  process.stdout.write(
    `k3s stand-in ${config.node} listening on [${config.address}]:${PORT} and [${config.vip}]:${PORT}\n`,
  );
  // Like k3s stopping: the listeners close and open connections are dropped.
  const stop = () => {
    for (const server of servers) server.close();
    for (const s of sockets) s.destroy();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

serve(healthRoutes);
