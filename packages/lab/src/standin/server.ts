// The k3s stand-in's process: HTTPS on [node]:6443 and [VIP]:6443 with the shared serving certificate, serving
// the lab's Kubernetes API over the shared store, running the (leader-elected) controllers, the node heartbeat and
// the kubelet stand-in while it lives. SIGTERM (systemctl stop k3s) stops gracefully; a kill leaves leases to expire.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { Socket } from "node:net";
import { controllerTimings } from "@k3s-ha/shared";
import { sendError } from "../kube/http/respond.js";
import { createKubeApi, type KubeClient, R, startControllers, startNodeHeartbeat } from "../kube/index.js";
import { failure, notFoundGeneric } from "../kube/status.js";
import { DynamicCert, type ServingState } from "./dynamic-cert.js";
import { k3sStartConfig, nodeArgs, readUnitArgs } from "./k3s-unit.js";
import { startKubeProxy } from "./kube-proxy.js";
import { startKubelet } from "./kubelet.js";
import {
  configList,
  K3sConfigError,
  k3sSans,
  loadStandinConfig,
  readAnonymousHealthPaths,
  readTlsSan,
  standinReadyFile,
} from "./node-config.js";
import { disabledComponents, removeDisabledComponents } from "./packaged-components.js";
import { handleSupervisor } from "./supervisor.js";
import { standinTimings } from "./timings.js";

const PORT = 6443;

async function serve(): Promise<void> {
  const config = loadStandinConfig();
  const base = standinTimings(config.fastControllers);
  const ca = readFileSync(config.caCert);
  const tlsOptions = (s: ServingState) => ({
    cert: s.cert,
    key: s.key,
    ca,
    requestCert: true,
    rejectUnauthorized: false,
  });
  // As k3s: the unit's command line and the config files (config.yaml, then config.yaml.d/) are read once, at start.
  const unitArgs = readUnitArgs(config);
  const k3sConfig = k3sStartConfig(unitArgs);
  // kube-controller-manager's flags, as k3s passes kube-controller-manager-arg on: they set the stand-in's controllers.
  const kcm = controllerTimings(configList(k3sConfig.effective, "kube-controller-manager-arg"));
  const timings = {
    ...base,
    nodeGracePeriodMs: kcm.nodeMonitorGracePeriodMs ?? base.nodeGracePeriodMs,
    nodeMonitorPeriodMs: kcm.nodeMonitorPeriodMs ?? base.nodeMonitorPeriodMs,
    leaderLeaseMs: kcm.leaderLeaseMs ?? base.leaderLeaseMs,
    leaderRetryMs: kcm.leaderRetryMs ?? base.leaderRetryMs,
  };
  const token = existsSync(config.kubeTokenFile) ? readFileSync(config.kubeTokenFile, "utf8").trim() : "";
  const kube = createKubeApi({
    dbFile: config.kubeDb,
    auth: token ? { tokens: { [token]: { user: "admin", groups: ["system:masters"] } } } : {},
    config: { serviceCidr: config.serviceCidr },
    serverAddress: `[${config.address}]:${PORT}`,
    anonymousHealthPaths: readAnonymousHealthPaths(k3sConfig.effective),
  });
  // The serving certificate before listening, as dynamiclistener adds the configured names on start.
  let servers: Server[] = [];
  const cert = new DynamicCert(
    config,
    kube.client.as("k3s"),
    k3sSans(config, readTlsSan(k3sConfig.effective)),
    (state) => {
      for (const server of servers) server.setSecureContext(tlsOptions(state));
    },
    (line) => process.stdout.write(`dynamiclistener: ${line}\n`),
  );
  const serving = await cert.start();
  const unwatchCert = kube.client.onChanges([{ group: "", resource: "secrets" }], () => void cert.sync());
  const sockets = new Set<Socket>();
  servers = [config.address, config.vip].map((host) => {
    const server = createServer(tlsOptions(serving), (req, res) => {
      if (handleSupervisor(req, res, ca)) return;
      if (!apiReady) {
        // pkg/server/handlers APIServer(): Runtime.APIServer not set yet (util.ErrAPINotReady).
        res.setHeader("connection", "close");
        sendError(res, failure(503, "ServiceUnavailable", "apiserver not ready"));
        return;
      }
      kube
        .handle(req, res)
        .then((handled) => {
          // Everything k3s serves on 6443 is the Kubernetes API; any other path is the apiserver's 404 Status.
          if (!handled) sendError(res, notFoundGeneric());
        })
        .catch((err: unknown) => {
          if (!res.headersSent) sendError(res, err);
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
  // The apiserver becomes ready a little after 6443 opens; then the in-process controllers, kubelet and heartbeat.
  let apiReady = false;
  let running: { stop: (graceful: boolean) => void } | undefined;
  const startApiserver = () => {
    const controllers = startControllers(kube, {
      identity: config.node,
      apiserver: {
        address: config.address,
        port: PORT,
        ttlMs: timings.apiserverLeaseTtlMs,
        intervalMs: timings.apiserverReconcileMs,
      },
      nodeLifecycle: {
        gracePeriodMs: timings.nodeGracePeriodMs,
        monitorPeriodMs: timings.nodeMonitorPeriodMs,
      },
      resyncMs: timings.resyncMs,
      leaderElection: { leaseDurationMs: timings.leaderLeaseMs, retryPeriodMs: timings.leaderRetryMs },
    });
    const kubelet = startKubelet(kube.client, {
      node: config.node,
      address: config.address,
      syncMs: timings.kubeletSyncMs,
      log: (line) => process.stdout.write(`kubelet: ${line}\n`),
    });
    const heartbeat = startNodeHeartbeat(kube.client, config.node, {
      intervalMs: timings.heartbeatMs,
      leaseDurationSeconds: timings.nodeLeaseSeconds,
      restorePod: kubelet.restorePod,
    });
    const proxy = startKubeProxy(kube.client, config.node, {
      resyncMs: timings.resyncMs,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    recordNodeArgs(kube.client, config.node, nodeArgs(unitArgs, k3sConfig.files));
    removeDisabledComponents(kube.client.as("k3s"), disabledComponents(k3sConfig.effective), (line) =>
      process.stdout.write(`deploy: ${line}\n`),
    );
    running = {
      stop: (graceful) => {
        proxy.stop();
        kubelet.stop();
        heartbeat.stop();
        controllers.stop({ graceful });
      },
    };
    apiReady = true;
    writeFileSync(standinReadyFile(config), `${new Date().toISOString()}\n`);
    process.stdout.write(`k3s stand-in ${config.node}: apiserver ready\n`);
  };
  const startup = setTimeout(startApiserver, timings.apiserverStartupMs);
  process.stdout.write(
    `k3s stand-in ${config.node} listening on [${config.address}]:${PORT} and [${config.vip}]:${PORT}` +
      ` (${config.fastControllers ? "fast" : "upstream"} controller timings)\n`,
  );
  // Like k3s stopping: controllers release their leases, the apiserver leaves default/kubernetes, the listeners
  // close and open connections are dropped. The node's own Lease is not renewed any more: it goes NotReady later.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearTimeout(startup);
    unwatchCert();
    try {
      running?.stop(true);
    } catch (err) {
      process.stderr.write(`k3s stand-in on ${config.node}: graceful stop: ${(err as Error).message}\n`);
    }
    for (const server of servers) server.close();
    for (const s of sockets) s.destroy();
    kube.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** The node's `k3s.io/node-args`, as the k3s agent writes it at each start. */
function recordNodeArgs(client: KubeClient, node: string, args: string[]): void {
  try {
    client.as("k3s").patch(R.nodes, undefined, node, {
      metadata: { annotations: { "k3s.io/node-args": JSON.stringify(args) } },
    });
  } catch {
    // the Node is not registered (yet): nothing to annotate
  }
}

serve().catch((err: unknown) => {
  // A config file that is not YAML: k3s logs it and exits (systemd then restarts it every RestartSec).
  if (err instanceof K3sConfigError) process.stderr.write(`level=fatal msg=${JSON.stringify(err.message)}\n`);
  else process.stderr.write(`k3s stand-in: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
