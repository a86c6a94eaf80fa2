// The guided setup as a plugin: the step drivers wired to SSH, Kubernetes and the hub's snapshots, the setup records
// in the embedded database, and the cluster's operation lock shared with failover runs. At start it reports steps a
// restart interrupted; at close it stops a running apply.
import type { ClusterSnapshot, DnsSnapshot, RouterSnapshot, SetupStepId } from "@k3s-ha/shared";
import fp from "fastify-plugin";
import type { StepDriver } from "../services/setup/driver.js";
import { KubeObjects } from "../services/setup/kube-objects.js";
import { SetupService } from "../services/setup/setup-service.js";
import { SetupStore } from "../services/setup/setup-store.js";
import { joinCommandStep, kubeconfigStep } from "../services/setup/steps/access.js";
import { apiServiceStep } from "../services/setup/steps/api-service.js";
import { apiserverConfigStep } from "../services/setup/steps/apiserver-config.js";
import { bgpConfigStep, bgpFilterStep } from "../services/setup/steps/calico.js";
import { dnsRoundRobinStep, dnsVipStep } from "../services/setup/steps/dns.js";
import { metallbStep, poolStep } from "../services/setup/steps/metallb.js";
import { preflightStep } from "../services/setup/steps/preflight.js";
import { routerStep } from "../services/setup/steps/router.js";

declare module "fastify" {
  interface FastifyInstance {
    setup: SetupService;
  }
}

export const SETUP_DRIVERS: Partial<Record<SetupStepId, StepDriver>> = Object.fromEntries(
  [
    preflightStep,
    metallbStep,
    poolStep,
    bgpConfigStep,
    bgpFilterStep,
    routerStep,
    apiserverConfigStep,
    apiServiceStep,
    dnsVipStep,
    dnsRoundRobinStep,
    kubeconfigStep,
    joinCommandStep,
  ].map((d) => [d.id, d]),
);

export default fp(
  async (app) => {
    const store = new SetupStore(app.store.db);
    /** Waits (bounded) for the next change of a watched topic: the cluster watch has no poll to ask for. */
    const nextChange = (topic: "kubernetes", ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        const off = app.hub.subscribe(topic, done);
        function done() {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    const service = new SetupService({
      store,
      lock: app.operationLock,
      drivers: SETUP_DRIVERS,
      plan: () => app.planSource.plan ?? undefined,
      context: (plan, signal, progress) => {
        let objects: Promise<KubeObjects> | undefined;
        return {
          plan,
          planFile: app.planSource.file,
          kubeAccess: () => app.kube.access(),
          kube: () => {
            objects ??= app.kube.access().then((a) => new KubeObjects(a));
            return objects;
          },
          ssh: app.ssh,
          router: () => app.hub.source<RouterSnapshot>("router")?.data,
          cluster: () => app.hub.source<ClusterSnapshot>("kubernetes")?.data,
          dns: () => app.hub.source<DnsSnapshot>("dns")?.data,
          refresh: async (what) => {
            if (what === "cluster") {
              const changed = nextChange("kubernetes", 1_000);
              app.collectors.cluster.lookAgain();
              return changed;
            }
            const poller = what === "router" ? app.collectors.router : app.collectors.dns;
            // The running poll may predate the change: wait for it, then take a fresh one.
            await poller.pollNow();
            await poller.pollNow();
          },
          record: (id) => store.get(id),
          signal,
          progress,
        };
      },
      publish: () => app.hub.publish("setup"),
      audit: (action, actor, target, outcome, detail) =>
        app.audit({ actor, action, target, outcome, detail: detail ?? null }),
      log: (msg, err) => app.log.error({ err }, msg),
    });
    app.decorate("setup", service);
    app.addHook("onReady", async () => service.recoverInterrupted());
    app.addHook("onClose", async () => service.close());
  },
  { name: "setup", dependencies: ["store", "hub", "audit", "plan", "ssh", "kube", "collectors", "failover"] },
);
