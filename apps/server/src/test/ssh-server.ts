// A real SSH server for tests (ssh2's Server on loopback): publickey authentication for one client key, and exec
// answered by a handler the test supplies, with counters for TCP connections and concurrently running commands.
import type { AddressInfo } from "node:net";
import type { CommandTarget } from "@k3s-ha/shared";
import { Server, type ServerChannel, utils } from "ssh2";
import type { PlanHost } from "../plugins/ssh.js";

export interface TestSshServer {
  port: number;
  hostKey: { public: string; private: string };
  clientKey: { public: string; private: string };
  stats: { tcp: number; running: number; maxRunning: number; commands: string[] };
  close(): Promise<void>;
}

export type ExecHandler = (
  command: string,
  stream: ServerChannel,
  done: (code: number) => void,
  drop: () => void,
) => void;

/**
 * An ed25519 key pair ssh2 can read back: ssh2's generator now and then writes a private key its own parser calls
 * malformed, so a test retries (bounded) rather than flake.
 */
export function sshKeyPair(): { public: string; private: string } {
  for (let i = 0; i < 20; i++) {
    const pair = utils.generateKeyPairSync("ed25519");
    if (!(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error("ssh2 generated no readable ed25519 key in 20 tries");
}

export async function startSshServer(
  handler: ExecHandler,
  /** Another server on the same port with the same client key (a reinstalled host): pass the old one's. */
  options: { port?: number; clientKey?: { public: string; private: string } } = {},
): Promise<TestSshServer> {
  const hostKey = sshKeyPair();
  const clientKey = options.clientKey ?? sshKeyPair();
  const allowed = utils.parseKey(clientKey.public);
  const stats = { tcp: 0, running: 0, maxRunning: 0, commands: [] as string[] };
  const clients = new Set<{ end: () => void }>();
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    stats.tcp++;
    clients.add(client);
    client.on("close", () => clients.delete(client));
    client.on("authentication", (ctx) => {
      const ok =
        ctx.method === "publickey" &&
        !(allowed instanceof Error) &&
        !Array.isArray(allowed) &&
        ctx.key.data.equals(allowed.getPublicSSH());
      if (ok) ctx.accept();
      else ctx.reject(["publickey"]);
    });
    client.on("ready", () => {
      client.on("session", (accept) => {
        accept().on("exec", (acceptExec, _reject, info) => {
          const stream = acceptExec();
          stats.commands.push(info.command);
          stats.running++;
          stats.maxRunning = Math.max(stats.maxRunning, stats.running);
          let finished = false;
          const done = (code: number) => {
            if (finished) return;
            finished = true;
            stats.running--;
            stream.exit(code);
            stream.end();
          };
          handler(info.command, stream, done, () => {
            stats.running--;
            client.end();
          });
        });
      });
    });
    client.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(options.port ?? 0, "127.0.0.1", () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    hostKey,
    clientKey,
    stats,
    // Open sessions end too (a host going down), or close would wait for the console to hang up.
    close: () =>
      new Promise<void>((r) => {
        for (const c of clients) c.end();
        server.close(() => r());
      }),
  };
}

/** One host, `name`, on this test server (its host key pinned unless another is given), for collector tests. */
export function hostOn(
  server: TestSshServer,
  name: string,
  target: CommandTarget,
  hostKey = server.hostKey.public,
): PlanHost {
  return {
    config: {
      name,
      host: "127.0.0.1",
      port: server.port,
      user: "root",
      privateKey: server.clientKey.private,
      hostKey,
    },
    target,
    identity: `${name} ${hostKey}`,
    pin: "plan",
  };
}
