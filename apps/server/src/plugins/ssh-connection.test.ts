// The SSH connection against a real SSH server (ssh2's Server on loopback): one TCP connection for many commands,
// a concurrency cap, timeouts, output caps, host key pinning, authentication and unreachable hosts with backoff.
import { type AddressInfo, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sshKeyPair, startSshServer, type TestSshServer } from "../test/ssh-server.js";
import { fingerprint, HostConnection, keyBlob, SshError, type SshHostConfig } from "./ssh-connection.js";

const otherHostKey = sshKeyPair();
const strangerKey = sshKeyPair();

let ssh: TestSshServer;
let port: number;
let hostKey: TestSshServer["hostKey"];
let clientKey: TestSshServer["clientKey"];
beforeAll(async () => {
  ssh = await startSshServer((command, stream, done, drop) => {
    const [verb, arg] = command.split(" ");
    if (verb === "echo") {
      stream.write(`${arg}\n`);
      done(0);
    } else if (verb === "slow") setTimeout(() => done(0), Number(arg));
    else if (verb === "hang") {
      // never answers
    } else if (verb === "flood") {
      stream.write(Buffer.alloc(Number(arg), 120));
      done(0);
    } else if (verb === "fail") {
      stream.stderr.write("Calico process is not running.\n");
      done(1);
    } else if (verb === "drop") drop();
    else done(127);
  });
  port = ssh.port;
  hostKey = ssh.hostKey;
  clientKey = ssh.clientKey;
});

afterAll(() => ssh.close());

const config = (over: Partial<SshHostConfig> = {}): SshHostConfig => ({
  name: "router",
  host: "127.0.0.1",
  port,
  user: "admin",
  privateKey: clientKey.private,
  hostKey: hostKey.public,
  ...over,
});
const run = { timeoutMs: 5_000, maxOutputBytes: 1 << 20 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (err) {
    return err instanceof SshError ? err.code : `not an SshError: ${String(err)}`;
  }
}

describe("HostConnection", () => {
  it("runs many commands over one TCP connection, at most maxConcurrent at a time", async () => {
    const c = new HostConnection(config(), { maxConcurrent: 3 });
    const before = ssh.stats.tcp;
    ssh.stats.maxRunning = 0;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => c.exec(`slow ${20 + i}`, run)));
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(await c.exec("echo hello", run)).toEqual({ code: 0, stdout: "hello\n", stderr: "" });
    expect(ssh.stats.tcp - before).toBe(1);
    expect(c.connectionsOpened).toBe(1);
    expect(ssh.stats.maxRunning).toBe(3);
    c.close();
  });

  it("returns a non-zero exit with its stderr (the caller decides), and times a hung command out", async () => {
    const c = new HostConnection(config());
    expect(await c.exec("fail", run)).toEqual({
      code: 1,
      stdout: "",
      stderr: "Calico process is not running.\n",
    });
    const started = Date.now();
    expect(await codeOf(c.exec("hang", { ...run, timeoutMs: 300 }))).toBe("COMMAND_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(3_000);
    // The connection survives a timed-out channel.
    expect((await c.exec("echo again", run)).stdout).toBe("again\n");
    c.close();
  });

  it("cuts output beyond the command's cap instead of buffering it all", async () => {
    const c = new HostConnection(config());
    const e = c.exec("flood 300000", { ...run, maxOutputBytes: 100_000 }).catch((err: SshError) => err);
    expect(await e).toMatchObject({
      code: "COMMAND_FAILED",
      message: expect.stringMatching(/exceeded 100000 bytes/),
    });
    expect((await c.exec("flood 1000", run)).stdout).toHaveLength(1000);
    c.close();
  });

  it("refuses a host whose key is not pinned, or not the pinned one, naming the fingerprints", async () => {
    const offered = fingerprint(keyBlob(hostKey.public));
    const unknown = new HostConnection(config({ hostKey: undefined }));
    const e1 = (await unknown.exec("echo x", run).catch((err: SshError) => err)) as SshError;
    expect(e1.code).toBe("HOST_KEY_UNKNOWN");
    expect(e1.details.offered).toBe(offered);
    expect(offered).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const changed = new HostConnection(config({ hostKey: otherHostKey.public }));
    const e2 = (await changed.exec("echo x", run).catch((err: SshError) => err)) as SshError;
    expect(e2.code).toBe("HOST_KEY_CHANGED");
    expect(e2.details).toEqual({
      offered,
      expected: fingerprint(keyBlob(otherHostKey.public)),
      offeredKey: hostKey.public.split(" ").slice(0, 2).join(" "),
    });
  });

  it("accepts any of the keys known_hosts lists for the host, and refuses one it marks @revoked", async () => {
    const listed = new HostConnection(config({ hostKey: [otherHostKey.public, hostKey.public] }));
    expect((await listed.exec("echo ok", run)).stdout).toBe("ok\n");
    listed.close();
    const none = new HostConnection(config({ hostKey: [] }));
    expect(await codeOf(none.exec("echo ok", run))).toBe("HOST_KEY_UNKNOWN");
    const revoked = new HostConnection(config({ hostKey: [hostKey.public], revokedKeys: [hostKey.public] }));
    const e = (await revoked.exec("echo ok", run).catch((err: SshError) => err)) as SshError;
    expect(e.code).toBe("HOST_KEY_CHANGED");
    expect(e.message).toMatch(/@revoked/);
  });

  it("says AUTH_FAILED for a key file ssh2 cannot read, without its text, and does not stay stuck", async () => {
    const c = new HostConnection(
      config({
        privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0\n-----END OPENSSH PRIVATE KEY-----\n",
      }),
      {
        backoffBaseMs: 1,
      },
    );
    const e = (await c.exec("echo x", run).catch((err: SshError) => err)) as SshError;
    expect(e.code).toBe("AUTH_FAILED");
    expect(e.message).not.toContain("c2VjcmV0");
    await new Promise((r) => setTimeout(r, 5));
    expect(await codeOf(c.exec("echo x", run))).toBe("AUTH_FAILED");
  });

  it("says AUTH_FAILED when the host refuses the key", async () => {
    const c = new HostConnection(config({ privateKey: strangerKey.private }));
    expect(await codeOf(c.exec("echo x", run))).toBe("AUTH_FAILED");
  });

  it("says HOST_UNREACHABLE for a closed port and backs off: the next call fails fast without dialling", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let now = 1_000_000;
    const c = new HostConnection(config({ port: closedPort }), {
      now: () => now,
      random: () => 0.5,
      backoffBaseMs: 1_000,
    });
    expect(await codeOf(c.exec("echo x", run))).toBe("HOST_UNREACHABLE");
    expect(c.connectionsOpened).toBe(1);
    const fast = (await c.exec("echo x", run).catch((err: SshError) => err)) as SshError;
    expect(fast.code).toBe("HOST_UNREACHABLE");
    expect(fast.message).toMatch(/next attempt in 1 s/);
    expect(c.connectionsOpened).toBe(1);
    now += 1_001;
    expect(await codeOf(c.exec("echo x", run))).toBe("HOST_UNREACHABLE");
    expect(c.connectionsOpened).toBe(2);
    // The second failure doubles the wait.
    const again = (await c.exec("echo x", run).catch((err: SshError) => err)) as SshError;
    expect(again.message).toMatch(/next attempt in 2 s/);
  });

  it("reconnects after the server drops the connection (the command that hit it fails)", async () => {
    const c = new HostConnection(config());
    expect((await c.exec("echo one", run)).stdout).toBe("one\n");
    expect(await codeOf(c.exec("drop", run))).toBe("HOST_UNREACHABLE");
    await new Promise((r) => setTimeout(r, 50));
    expect((await c.exec("echo two", run)).stdout).toBe("two\n");
    expect(c.connectionsOpened).toBe(2);
    c.close();
  });
});
