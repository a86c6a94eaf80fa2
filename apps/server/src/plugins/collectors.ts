// The collectors: one shared poller per source, started when the app is ready (off in most tests): the router and
// each node; the cluster's informers; DNS; the endpoint matrix.
import type { ClusterSnapshot, DnsSnapshot, EndpointsResponse } from "@k3s-ha/shared";
import fp from "fastify-plugin";
import { collectDns } from "../collectors/dns.js";
import { collectEndpoints, sameOutcomes } from "../collectors/endpoints.js";
import { ClusterWatcher } from "../collectors/kubernetes.js";
import { collectNodeView, type NodeSnapshot } from "../collectors/node.js";
import { CollectError, Poller } from "../collectors/poller.js";
import { collectRouter, planNames, type RouterSnapshot } from "../collectors/router.js";
import { KubeError } from "./kube.js";

export interface CollectorOptions {
  enabled: boolean;
  /** The router's poll interval (default 2 s). */
  routerIntervalMs?: number;
  /** Each node's poll interval (default 5 s). */
  nodeIntervalMs?: number;
  /** The DNS names' poll interval (default 10 s). */
  dnsIntervalMs?: number;
  /** The endpoint matrix's interval (default 5 s). */
  endpointsIntervalMs?: number;
}

export interface Collectors {
  router: Poller<RouterSnapshot>;
  /** One poller per node of the plan, by node name. */
  nodes: Map<string, Poller<NodeSnapshot>>;
  /** The cluster's informers (watches, not polls). */
  cluster: ClusterWatcher;
  dns: Poller<DnsSnapshot>;
  endpoints: Poller<EndpointsResponse>;
}

declare module "fastify" {
  interface FastifyInstance {
    collectors: Collectors;
  }
}

export default fp<CollectorOptions>(
  async (app, opts) => {
    const router: Poller<RouterSnapshot> = new Poller<RouterSnapshot>(
      app.hub,
      "router",
      opts.routerIntervalMs ?? 2_000,
      async (signal): Promise<RouterSnapshot> => {
        const plan = app.planSource.plan;
        if (!plan) throw new CollectError("PLAN_INVALID", "no valid plan: the router is not known");
        // `show version` once a minute (and after a restart of the console), not with every poll.
        const known: string | undefined =
          router.polls % 30 === 0 ? undefined : app.hub.source<RouterSnapshot>("router")?.data?.frrVersion;
        return collectRouter(app.ssh, plan, signal, known ? { knownVersion: known } : {});
      },
      (err) => app.log.error({ err }, "router collector failed"),
    );
    const dns = new Poller<DnsSnapshot>(
      app.hub,
      "dns",
      opts.dnsIntervalMs ?? 10_000,
      async (signal) => {
        const plan = app.planSource.plan;
        if (!plan) throw new CollectError("PLAN_INVALID", "no valid plan: the DNS server is not known");
        return collectDns(plan, signal);
      },
      (err) => app.log.error({ err }, "DNS collector failed"),
    );
    const endpoints = new Poller<EndpointsResponse>(
      app.hub,
      "endpoints",
      opts.endpointsIntervalMs ?? 5_000,
      async (signal) => {
        const plan = app.planSource.plan;
        if (!plan) throw new CollectError("PLAN_INVALID", "no valid plan: the endpoints are not known");
        const access = await app.kube.access().catch((err: unknown) => {
          throw err instanceof KubeError ? new CollectError(err.code, err.message) : err;
        });
        return collectEndpoints(plan, app.hub.source<DnsSnapshot>("dns")?.data, access, signal);
      },
      (err) => app.log.error({ err }, "endpoint matrix failed"),
      sameOutcomes,
    );
    const nodes = new Map<string, Poller<NodeSnapshot>>();
    let started = false;
    /** One poller per node the plan names: new nodes get one, removed ones stop and leave the hub. */
    const syncNodes = () => {
      const names = new Set(app.planSource.plan?.nodes.map((n) => n.name) ?? []);
      for (const [name, poller] of nodes)
        if (!names.has(name)) {
          poller.stop();
          nodes.delete(name);
          app.hub.removeSource(`node:${name}`);
        }
      for (const name of names) {
        if (nodes.has(name)) continue;
        const poller = new Poller<NodeSnapshot>(
          app.hub,
          `node:${name}`,
          opts.nodeIntervalMs ?? 5_000,
          async (signal) => {
            const plan = app.planSource.plan;
            if (!plan) throw new CollectError("PLAN_INVALID", "no valid plan: the node is not known");
            return collectNodeView(
              app.ssh,
              plan,
              name,
              signal,
              app.hub.source<ClusterSnapshot>("kubernetes")?.data,
            );
          },
          (err) => app.log.error({ err, node: name }, "node collector failed"),
        );
        nodes.set(name, poller);
        if (started) poller.start();
      }
    };
    const cluster = new ClusterWatcher(app.hub, () => app.kube.access(), {
      names: () => {
        const plan = app.planSource.plan;
        return plan ? planNames(plan) : () => undefined;
      },
      log: (err) => app.log.error({ err }, "cluster watcher failed"),
    });
    let kubeKey = JSON.stringify(app.planSource.plan?.kubernetes ?? null);
    /** A new kubeconfig or context restarts the informers; other plan edits leave them be. */
    const syncCluster = () => {
      const key = JSON.stringify(app.planSource.plan?.kubernetes ?? null);
      if (key === kubeKey) return;
      kubeKey = key;
      if (started) void cluster.start();
    };
    syncNodes();
    const off = app.hub.subscribe("plan", () => {
      syncNodes();
      syncCluster();
    });
    app.decorate("collectors", { router, nodes, cluster, dns, endpoints });
    if (opts.enabled)
      app.addHook("onReady", async () => {
        started = true;
        router.start();
        for (const p of nodes.values()) p.start();
        void cluster.start();
        dns.start();
        endpoints.start();
      });
    app.addHook("onClose", async () => {
      off();
      router.stop();
      for (const p of nodes.values()) p.stop();
      cluster.stop();
      dns.stop();
      endpoints.stop();
    });
  },
  { name: "collectors", dependencies: ["hub", "plan", "ssh", "kube"] },
);
