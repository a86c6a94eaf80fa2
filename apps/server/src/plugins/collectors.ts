// The collectors: one shared poller per source, started when the app is ready (off in most tests). Today the
// router; the nodes, the cluster, DNS and the endpoint matrix join here.
import fp from "fastify-plugin";
import { CollectError, Poller } from "../collectors/poller.js";
import { collectRouter, type RouterSnapshot } from "../collectors/router.js";

export interface CollectorOptions {
  enabled: boolean;
  /** The router's poll interval (default 2 s). */
  routerIntervalMs?: number;
}

declare module "fastify" {
  interface FastifyInstance {
    collectors: { router: Poller<RouterSnapshot> };
  }
}

export default fp<CollectorOptions>(
  async (app, opts) => {
    const router = new Poller<RouterSnapshot>(
      app.hub,
      "router",
      opts.routerIntervalMs ?? 2_000,
      async (signal) => {
        const plan = app.planSource.plan;
        if (!plan) throw new CollectError("PLAN_INVALID", "no valid plan: the router is not known");
        return collectRouter(app.ssh, plan, signal);
      },
      (err) => app.log.error({ err }, "router collector failed"),
    );
    app.decorate("collectors", { router });
    if (opts.enabled) app.addHook("onReady", async () => router.start());
    app.addHook("onClose", async () => router.stop());
  },
  { name: "collectors", dependencies: ["hub", "plan", "ssh"] },
);
