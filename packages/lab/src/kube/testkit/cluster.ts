// API server instances on [::1] over one SQLite file, and client configurations pointing at them.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { createKubeApi, type KubeApi, type KubeApiOptions } from "../api-server.js";
import { type KeyPair, makeCerts, type TestCerts } from "./certs.js";
import { removeDir, writeFile } from "./tools.js";

export interface TestServer {
  kube: KubeApi;
  server: Server;
  url: string;
  /** Stops the instance as a dying process would: listener closed, connections dropped, store closed. */
  stop(): Promise<void>;
}

export async function startServer(certs: TestCerts, options: KubeApiOptions): Promise<TestServer> {
  const kube = createKubeApi(options);
  const sockets = new Set<Socket>();
  const server = createServer(
    {
      cert: readFileSync(certs.server.cert),
      key: readFileSync(certs.server.key),
      ca: readFileSync(certs.ca.cert),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      kube.handle(req, res).then(
        (handled) => {
          if (!handled) {
            res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
            res.end("404 page not found\n");
          }
        },
        () => res.destroy(),
      );
    },
  );
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen({ host: "::1", port: 0 }, resolve));
  const port = (server.address() as AddressInfo).port;
  let stopped = false;
  return {
    kube,
    server,
    url: `https://[::1]:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      kube.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function kubeconfigYaml(url: string, certs: TestCerts, user: KeyPair | { token: string }): string {
  const creds =
    "token" in user
      ? `    token: ${user.token}`
      : `    client-certificate: ${user.cert}\n    client-key: ${user.key}`;
  return `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: ${url}
    certificate-authority: ${certs.ca.cert}
users:
- name: lab
  user:
${creds}
contexts:
- name: lab
  context:
    cluster: lab
    user: lab
    namespace: default
current-context: lab
`;
}

export function clientConfig(
  url: string,
  certs: TestCerts,
  user: KeyPair | { token: string } = certs.admin,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(url, certs, user));
  return kc;
}

export interface TestCluster {
  certs: TestCerts;
  dbFile: string;
  servers: TestServer[];
  /** A client-node KubeConfig for server i (admin unless told). */
  kc(i?: number, user?: KeyPair | { token: string }): KubeConfig;
  /** Writes a kubeconfig file for server i and returns its path. */
  kubeconfig(i?: number, user?: KeyPair | { token: string }): string;
  addServer(): Promise<TestServer>;
  stop(): Promise<void>;
}

export const TEST_SERVICE_CIDR = "fd00:10:96::/112";

/** n API server instances over one SQLite file, each on its own [::1] port. */
export async function startCluster(n: number, options: Partial<KubeApiOptions> = {}): Promise<TestCluster> {
  const certs = await makeCerts();
  const dbFile = path.join(certs.dir, "state.sqlite");
  const opts: KubeApiOptions = {
    dbFile,
    pollMs: 25,
    compactIntervalMs: 0,
    config: { serviceCidr: TEST_SERVICE_CIDR },
    auth: {
      tokens: {
        "admin-token": { user: "token-admin", groups: ["system:masters"] },
        "view-token": { user: "token-viewer", groups: ["view"] },
      },
    },
    ...options,
  };
  const servers: TestServer[] = [];
  for (let i = 0; i < n; i++) servers.push(await startServer(certs, opts));
  let files = 0;
  const cluster: TestCluster = {
    certs,
    dbFile,
    servers,
    kc: (i = 0, user = certs.admin) => clientConfig(servers[i]?.url ?? "", certs, user),
    kubeconfig: (i = 0, user = certs.admin) =>
      writeFile(
        path.join(certs.dir, `kc-${files++}`),
        "kubeconfig",
        kubeconfigYaml(servers[i]?.url ?? "", certs, user),
      ),
    async addServer() {
      const s = await startServer(certs, opts);
      servers.push(s);
      return s;
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      removeDir(certs.dir);
    },
  };
  return cluster;
}
