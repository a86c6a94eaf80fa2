// Failover runs as a plugin: the run store over the embedded database, the cluster's operation lock (shared with the
// guided setup), and the run service wired to SSH, Kubernetes, the hub and the probe worker. At start it restores
// runs a restart interrupted and prunes runs past the retention; at close it aborts the active run and restores.
import { type ClusterSnapshot, type RouterSnapshot, RUN_ROUTER_POLL_MS } from "@k3s-ha/shared";
import fp from "fastify-plugin";
import { probeEndpoint } from "../collectors/endpoints.js";
import { startProbes } from "../services/failover/probe/engine.js";
import { FailoverService } from "../services/failover/run-service.js";
import { RunStore } from "../services/failover/run-store.js";
import { OperationLock } from "../services/operation-lock.js";

declare module "fastify" {
  interface FastifyInstance {
    operationLock: OperationLock;
    failover: FailoverService;
  }
}

const DAY_MS = 86_400_000;

export default fp<{ retentionDays?: number; recover?: boolean }>(
  async (app, opts) => {
    const store = new RunStore(app.store.db);
    const lock = new OperationLock();
    const service = new FailoverService({
      store,
      lock,
      ssh: app.ssh,
      kube: () => app.kube.access(),
      plan: () => app.planSource.plan ?? undefined,
      router: () => app.hub.source<RouterSnapshot>("router")?.data,
      cluster: () => app.hub.source<ClusterSnapshot>("kubernetes")?.data,
      subscribe: (topic, listener) => app.hub.subscribe(topic, listener),
      publish: () => app.hub.publish("failover"),
      audit: (action, actor, target, outcome, detail) =>
        app.audit({ actor, action, target, outcome, detail: detail ?? null }),
      startProbes,
      nodeApiReady: async (node) => {
        const plan = app.planSource.plan;
        const entry = plan?.nodes.find((n) => n.name === node);
        if (!entry) return false;
        const access = await app.kube.access().catch(() => undefined);
        if (!access) return false;
        const probe = await probeEndpoint(
          { target: `node:${node}`, address: entry.address, planned: true },
          Number(access.server.port || 443),
          access.tls,
          AbortSignal.timeout(2_000),
          1_000,
        );
        return probe.readyz.status === 200;
      },
      hurryRouter: () => app.collectors.router.hurry(RUN_ROUTER_POLL_MS),
      log: (msg, err) => app.log.error({ err }, msg),
    });
    app.decorate("operationLock", lock);
    app.decorate("failover", service);
    const prune = () => {
      const days = opts.retentionDays ?? 90;
      const n = store.prune(new Date(Date.now() - days * DAY_MS).toISOString());
      if (n > 0) app.log.info({ runs: n, days }, "failover runs past the retention deleted");
    };
    let timer: NodeJS.Timeout | undefined;
    app.addHook("onReady", async () => {
      prune();
      timer = setInterval(prune, DAY_MS);
      timer.unref();
      if (opts.recover !== false)
        void service
          .recoverInterrupted()
          .catch((err: unknown) => app.log.error({ err }, "restoring interrupted runs failed"));
    });
    app.addHook("onClose", async () => {
      clearInterval(timer);
      await service.close();
    });
  },
  { name: "failover", dependencies: ["store", "hub", "audit", "plan", "ssh", "kube", "collectors"] },
);
