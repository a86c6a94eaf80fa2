// GET /metrics: what the console sees, in Prometheus text format (prom-client, its own registry, names prefixed
// k3s_ha_): source status, BGP session states, path counts for the VIP and ranges, audit results, the endpoint
// matrix and DNS. Read from the hub at scrape time; only the API token or the read-only metrics token may scrape.
import {
  type ClusterSnapshot,
  type DnsSnapshot,
  type EndpointsResponse,
  type RouterSnapshot,
  sourceStatuses,
  stateTopics,
} from "@k3s-ha/shared";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { NodeSnapshot } from "../collectors/node.js";
import { AppError } from "../errors.js";
import { safeEqual } from "../plugins/auth.js";
import { currentAudit } from "./route-audit.js";

function metricsRegistry(app: FastifyInstance): Registry {
  const registry = new Registry();
  // The process's own (memory, CPU, event loop lag), prefixed too: k3s_ha_process_resident_memory_bytes…
  collectDefaultMetrics({ register: registry, prefix: "k3s_ha_" });
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void) =>
    new Gauge({
      name: `k3s_ha_${name}`,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        collect(this);
      },
    });
  const router = () => app.hub.source<RouterSnapshot>("router")?.data;

  gauge(
    "source_status",
    "1 for the status each source is in (ok, stale, failing…)",
    ["source", "status"],
    (g) => {
      for (const s of app.hub.sources())
        for (const status of sourceStatuses) g.set({ source: s.id, status }, s.status === status ? 1 : 0);
    },
  );
  gauge("source_last_refresh_timestamp_seconds", "When each source last refreshed", ["source"], (g) => {
    for (const s of app.hub.sources())
      if (s.lastRefresh) g.set({ source: s.id }, Date.parse(s.lastRefresh) / 1000);
  });
  gauge(
    "bgp_session_up",
    "1 when the BGP session is Established",
    ["source", "peer", "name", "state"],
    (g) => {
      const nodes = (app.planSource.plan?.nodes ?? []).flatMap(
        (n) => app.hub.source<NodeSnapshot>(`node:${n.name}`)?.data?.peers ?? [],
      );
      for (const p of [...(router()?.peers ?? []), ...nodes])
        g.set(
          { source: p.source, peer: p.address, name: p.name ?? "", state: p.state },
          p.state === "Established" ? 1 : 0,
        );
    },
  );
  gauge("route_paths", "Valid BGP paths at the router per prefix of the plan's ranges", ["prefix"], (g) => {
    for (const r of router()?.routes ?? [])
      g.set({ prefix: r.prefix }, r.paths.filter((p) => p.valid).length);
  });
  gauge("route_fib_next_hops", "Active FIB next hops at the router per prefix", ["prefix"], (g) => {
    for (const r of router()?.routes ?? [])
      g.set({ prefix: r.prefix }, r.fib.nextHops.filter((h) => h.active).length);
  });
  gauge("audit_check", "1 for each route-policy check's status", ["check", "status", "severity"], (g) => {
    if (!app.planSource.plan) return;
    for (const c of currentAudit(app).checks)
      for (const status of ["pass", "fail", "unknown"] as const)
        g.set({ check: c.id, status, severity: c.severity }, c.status === status ? 1 : 0);
  });
  gauge(
    "endpoint_readyz_ok",
    "1 when /readyz answered 200 through this way in",
    ["target", "name", "address"],
    (g) => {
      for (const e of app.hub.source<EndpointsResponse>("endpoints")?.data?.endpoints ?? [])
        g.set({ target: e.target, name: e.name ?? "", address: e.address }, e.readyz.status === 200 ? 1 : 0);
    },
  );
  gauge(
    "endpoint_readyz_seconds",
    "How long /readyz took through this way in",
    ["target", "name", "address"],
    (g) => {
      for (const e of app.hub.source<EndpointsResponse>("endpoints")?.data?.endpoints ?? [])
        if (e.readyz.ms !== undefined)
          g.set({ target: e.target, name: e.name ?? "", address: e.address }, e.readyz.ms / 1000);
    },
  );
  gauge("dns_name_consistent", "1 when the DNS name answers what the plan expects", ["name", "kind"], (g) => {
    for (const n of app.hub.source<DnsSnapshot>("dns")?.data?.names ?? [])
      g.set({ name: n.name, kind: n.kind }, n.consistent ? 1 : 0);
  });
  gauge("node_ready", "1 when the Kubernetes node is Ready", ["node"], (g) => {
    for (const n of app.hub.source<ClusterSnapshot>("kubernetes")?.data?.nodes ?? [])
      g.set({ node: n.name }, n.ready === "ready" ? 1 : 0);
  });
  gauge("ssh_commands_total", "Commands run over SSH per host since the console started", ["host"], (g) => {
    for (const [host, n] of app.ssh.commandsRun) g.set({ host }, n);
  });
  gauge("ssh_connections_opened_total", "SSH connections opened per host since the start", ["host"], (g) => {
    for (const [host, n] of app.ssh.connectionsOpened()) g.set({ host }, n);
  });
  gauge(
    "live_subscribers",
    "Websocket subscriptions per state topic (each open page holds one)",
    ["topic"],
    (g) => {
      for (const topic of stateTopics) g.set({ topic }, app.hub.subscriberCount(topic));
    },
  );
  return registry;
}

export interface MetricsOptions {
  apiToken?: string;
  metricsToken?: string;
}

export const metricsRoutes: FastifyPluginAsync<MetricsOptions> = async (app, opts) => {
  const registry = metricsRegistry(app);
  const allowed = (request: FastifyRequest) => {
    const authz = request.headers.authorization;
    if (!authz?.startsWith("Bearer ")) return false;
    const token = authz.slice(7).trim();
    return [opts.apiToken, opts.metricsToken].some((t) => t !== undefined && safeEqual(token, t));
  };
  app.get("/metrics", async (request, reply) => {
    if (!allowed(request))
      throw new AppError(
        "UNAUTHENTICATED",
        "GET /metrics needs the API token or the metrics token as a bearer token",
      );
    reply.type(registry.contentType);
    return registry.metrics();
  });
};
