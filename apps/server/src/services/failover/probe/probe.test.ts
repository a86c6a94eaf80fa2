// One probe against the lab's Kubernetes API on [::1] and against servers that misbehave on purpose: ok with the
// kubeconfig's credentials on both requests, 401 with a refused token, refused, a silent server (timeout at the
// probe's deadline, not later), a reset, an untrusted CA; a reused stream keeps one connection and dials again after
// a timeout broke it; a new stream dials per probe.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { startCluster, type TestCluster } from "@k3s-ha/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monotonicMs } from "./clock.js";
import type { NameCache } from "./names.js";
import { PROBE_PATHS, type ProbeCredentials, probeAgent, probeOnce, serverIdentityError } from "./probe.js";

let cluster: TestCluster;
let port: number;
let credentials: ProbeCredentials;
const sockets: Socket[] = [];
const servers: Server[] = [];

async function tcpServer(onSocket: (s: Socket) => void): Promise<number> {
  const server = createServer((s) => {
    sockets.push(s);
    onSocket(s);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ host: "::1", port: 0 }, resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  cluster = await startCluster(1);
  port = Number(new URL(cluster.servers[0]?.url ?? "").port);
  credentials = {
    ca: readFileSync(cluster.certs.ca.cert, "utf8"),
    headers: { authorization: "Bearer admin-token" },
    rejectUnauthorized: true,
  };
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await cluster?.stop();
});

const now = monotonicMs;
const probe = (targetPort: number, creds = credentials, mode: "new" | "reused" = "new", path = "/readyz") =>
  probeOnce(
    probeAgent({ endpoint: "node:a", address: "::1", port: targetPort }, mode, creds, "go", undefined, now),
    path,
    400,
  );

describe("one probe", () => {
  it("is ok on /readyz and on the watch-cache namespace GET with the kubeconfig's token", async () => {
    const readyz = await probe(port);
    expect(readyz).toMatchObject({ outcome: "ok", address: "::1" });
    expect(readyz.durationMs).toBeGreaterThan(0);
    expect((await probe(port, credentials, "new", PROBE_PATHS.namespace)).outcome).toBe("ok");
  });

  it("reports a refused token as http-401, never ok", async () => {
    const r = await probe(
      port,
      { ...credentials, headers: { authorization: "Bearer wrong" } },
      "new",
      PROBE_PATHS.namespace,
    );
    expect(r.outcome).toBe("http-401");
    // Both modes send the same request: the kept-alive one (Node's HTTP client) is refused alike.
    const kept = await probe(port, { ...credentials, headers: { authorization: "Bearer wrong" } }, "reused");
    expect(kept.outcome).toBe("http-401");
  });

  it("refuses a kubeconfig header that breaks a line, before any request is written", () => {
    expect(() =>
      probeAgent(
        { endpoint: "node:a", address: "::1", port },
        "new",
        { ...credentials, headers: { authorization: "Bearer x\r\nx-injected: 1" } },
        "go",
        undefined,
        now,
      ),
    ).toThrow(/authorization header holds a line break/);
  });

  it("reports a closed port as refused", async () => {
    const closed = await tcpServer(() => {});
    await new Promise((r) => servers.pop()?.close(r));
    expect(await probe(closed)).toMatchObject({ outcome: "refused", address: "::1" });
  });

  it("gives up on a silent server at the probe's timeout", async () => {
    const silent = await tcpServer(() => {});
    const r = await probe(silent);
    expect(r.outcome).toBe("timeout");
    expect(r.durationMs).toBeGreaterThanOrEqual(395);
    expect(r.durationMs).toBeLessThan(1_500);
  });

  it("names the address a name was dialled at when TCP connected but TLS never answered, in both modes", async () => {
    // A drop that falls between a probe's TCP connect and its handshake: the sample still says where it went.
    const silent = await tcpServer(() => {});
    const names = {
      resolve: async () => ({ addresses: ["::1"], outsidePlan: [], ttlS: 30 }),
    } as unknown as NameCache;
    for (const mode of ["new", "reused"] as const) {
      const agent = probeAgent(
        { endpoint: "round-robin", name: "api.lab.test", port: silent },
        mode,
        credentials,
        "happy-eyeballs",
        names,
        now,
      );
      const r = await probeOnce(agent, "/readyz", 300);
      agent.destroy();
      expect(r, mode).toMatchObject({ outcome: "timeout", address: "::1" });
    }
  });

  it("reports a connection the server drops as reset", async () => {
    const rude = await tcpServer((s) => s.resetAndDestroy());
    expect((await probe(rude)).outcome).toBe("reset");
  });

  it("reports a certificate the kubeconfig's CA does not trust as tls-error", async () => {
    const r = await probe(port, { ...credentials, ca: readFileSync(cluster.certs.server.cert, "utf8") });
    expect(r.outcome).toBe("tls-error");
    expect(r.error).toMatch(/certificate/i);
  });
});

describe("the server's identity", () => {
  // The lab's server certificate names IP ::1, IP 127.0.0.1 and DNS localhost; a client checks what it dialled.
  const cert = () => new X509Certificate(readFileSync(cluster.certs.server.cert));

  it("accepts the address or name the certificate names", () => {
    expect(serverIdentityError(cert(), "::1")).toBeUndefined();
    expect(serverIdentityError(cert(), "0:0:0:0:0:0:0:1")).toBeUndefined();
    expect(serverIdentityError(cert(), "localhost")).toBeUndefined();
  });

  it("refuses an address or a name it does not name, saying which", () => {
    expect(serverIdentityError(cert(), "2001:db8::10")?.message).toMatch(
      /IP: 2001:db8::10 is not in the cert's list/,
    );
    expect(serverIdentityError(cert(), "api.example.test")?.message).toMatch(
      /api\.example\.test\. is not in the cert's altnames/,
    );
    expect(serverIdentityError(undefined, "::1")?.message).toMatch(/no certificate/);
  });
});

describe("connection modes", () => {
  /** A TCP relay to the API that counts the connections made through it and can stall them. */
  async function relay() {
    const { connect } = await import("node:net");
    const state = { connections: 0, stall: false };
    const relayPort = await tcpServer((s) => {
      state.connections++;
      if (state.stall) return;
      const up = connect({ host: "::1", port });
      sockets.push(up);
      s.pipe(up).pipe(s);
      s.on("error", () => up.destroy());
      up.on("error", () => s.destroy());
    });
    return { state, relayPort };
  }

  it("a reused stream keeps one connection, and dials again after a timeout broke it", async () => {
    const { state, relayPort } = await relay();
    const agent = probeAgent(
      { endpoint: "vip", address: "::1", port: relayPort },
      "reused",
      credentials,
      "go",
      undefined,
      now,
    );
    for (let i = 0; i < 3; i++) expect((await probeOnce(agent, "/readyz", 1_000)).outcome).toBe("ok");
    expect(state.connections).toBe(1);
    // The connection hangs (as under a silent drop): the probe times out and the connection is given up.
    const held = sockets.at(-1);
    held?.pause();
    sockets.at(-2)?.pause();
    state.stall = true;
    expect((await probeOnce(agent, "/readyz", 300)).outcome).toBe("timeout");
    state.stall = false;
    expect((await probeOnce(agent, "/readyz", 1_000)).outcome).toBe("ok");
    expect(state.connections).toBe(2);
    agent.destroy();
  });

  /** A TLS server with the lab's server certificate that answers every request with `answer(n)` (n from 1). */
  async function answering(answer: (n: number, socket: TLSSocket) => string) {
    const state = { connections: 0, requests: 0 };
    const server = createTlsServer(
      { cert: readFileSync(cluster.certs.server.cert), key: readFileSync(cluster.certs.server.key) },
      (s) => {
        state.connections++;
        sockets.push(s);
        s.on("error", () => {});
        let got = "";
        s.on("data", (d) => {
          got += d.toString("latin1");
          while (got.includes("\r\n\r\n")) {
            got = got.slice(got.indexOf("\r\n\r\n") + 4);
            s.write(answer(++state.requests, s));
          }
        });
      },
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen({ host: "::1", port: 0 }, resolve));
    const agent = probeAgent(
      { endpoint: "vip", address: "::1", port: (server.address() as AddressInfo).port },
      "reused",
      credentials,
      "go",
      undefined,
      now,
    );
    return { state, agent };
  }

  it("a reused stream reads a chunked answer to its end and keeps the connection for the next", async () => {
    const { state, agent } = await answering(
      () => 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n',
    );
    for (let i = 0; i < 4; i++)
      expect(await probeOnce(agent, "/readyz", 1_000)).toMatchObject({ outcome: "ok" });
    expect(state).toEqual({ connections: 1, requests: 4 });
    agent.destroy();
  });

  it("a reused stream dials again, without a failure, after the server said Connection: close", async () => {
    const { state, agent } = await answering((_, s) => {
      setTimeout(() => s.end(), 5);
      return "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
    });
    for (let i = 0; i < 3; i++) expect((await probeOnce(agent, "/readyz", 1_000)).outcome).toBe("ok");
    expect(state.connections).toBe(3);
    agent.destroy();
  });

  it("a reused stream gives up a connection that sent bytes nobody asked for, and the next probe dials", async () => {
    const { state, agent } = await answering((n, s) => {
      if (n === 1) setTimeout(() => s.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), 20);
      return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    });
    expect((await probeOnce(agent, "/readyz", 1_000)).outcome).toBe("ok");
    await new Promise((r) => setTimeout(r, 100));
    expect((await probeOnce(agent, "/readyz", 1_000)).outcome).toBe("ok");
    expect(state.connections).toBe(2);
    agent.destroy();
  });

  it("a reused stream reports an answer that is not HTTP as reset, naming it, and dials again", async () => {
    const { state, agent } = await answering((n) =>
      n === 1 ? "SSH-2.0-OpenSSH_9.2\r\n\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
    expect(await probeOnce(agent, "/readyz", 1_000)).toMatchObject({
      outcome: "reset",
      error: expect.stringMatching(/not an HTTP answer: "SSH-2.0/),
      address: "::1",
    });
    expect((await probeOnce(agent, "/readyz", 1_000)).outcome).toBe("ok");
    expect(state.connections).toBe(2);
    agent.destroy();
  });

  it("a new stream dials for every probe", async () => {
    const { state, relayPort } = await relay();
    const agent = probeAgent(
      { endpoint: "vip", address: "::1", port: relayPort },
      "new",
      credentials,
      "go",
      undefined,
      now,
    );
    for (let i = 0; i < 3; i++) expect((await probeOnce(agent, "/readyz", 1_000)).outcome).toBe("ok");
    expect(state.connections).toBe(3);
    agent.destroy();
  });
});
