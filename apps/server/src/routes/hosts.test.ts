// Host key approval: a host without a pin is refused and shows the key it offers; an admin approves exactly that
// fingerprint (a changed key is 409), it is audited, and the console then connects; a plan's pin cannot be overridden.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { hostsResponseSchema } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint, keyBlob } from "../plugins/ssh-connection.js";
import { type Harness, LAB_PLAN, type Session, signIn, startHarness } from "../test/harness.js";
import { startSshServer, type TestSshServer } from "../test/ssh-server.js";

let ssh: TestSshServer;
let h: Harness;
let s: Session;

beforeAll(async () => {
  ssh = await startSshServer((_command, stream, done) => {
    stream.stderr.write("% Unknown command\n");
    done(1);
  });
  h = await startHarness();
  // The router of the plan is this SSH server on loopback, with no host key pinned.
  writeFileSync(join(h.dir, "id_ed25519"), ssh.clientKey.private, { mode: 0o600 });
  const plan = readFileSync(LAB_PLAN, "utf8")
    .replace(
      /ssh: \{ user: root, port: 22, hostKey: "[^"]+", privateKeyFile: \.\/id_ed25519 \}/,
      `ssh: { user: admin, port: ${ssh.port}, privateKeyFile: ./id_ed25519 }`,
    )
    .replace('address: "2001:db8:1162:79fb::1"\n', 'address: "127.0.0.1"\n');
  writeFileSync(h.planFile, plan);
  h.app.planSource.reload();
  s = await signIn(h.app);
});
afterAll(async () => {
  await h.close();
  await ssh.close();
});

const hosts = async () => {
  const res = await h.app.inject({ method: "GET", url: "/api/hosts", headers: { cookie: s.cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return hostsResponseSchema.parse(res.json()).hosts;
};
const approve = (name: string, fp: string) =>
  h.app.inject({
    method: "POST",
    url: `/api/hosts/${name}/approve-key`,
    headers: { cookie: s.cookie, "x-csrf-token": s.csrfToken, origin: "http://localhost" },
    payload: { fingerprint: fp },
  });

describe("host key approval", () => {
  const offered = () => fingerprint(keyBlob(ssh.hostKey.public));

  it("refuses an unpinned host and shows the fingerprint it offered", async () => {
    expect(readFileSync(h.planFile, "utf8")).toContain(`port: ${ssh.port}`);
    await h.app.collectors.router.pollNow();
    expect(h.app.hub.source("router")).toMatchObject({
      status: "host-key-unknown",
      lastError: { code: "HOST_KEY_UNKNOWN" },
    });
    const router = (await hosts()).find((x) => x.name === "router");
    expect(router).toMatchObject({
      pin: "none",
      pinnedFingerprints: [],
      offered: { fingerprint: offered() },
    });
    expect(ssh.stats.commands).toEqual([]); // nothing ran on a host whose key nobody approved
  });

  it("answers 409 when the fingerprint approved is not the one offered now, and audits the refusal", async () => {
    const other = `SHA256:${"A".repeat(43)}`;
    const res = await approve("router", other);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "FINGERPRINT_CHANGED" });
    expect(h.app.store.hostKeyApproval("router")).toBeUndefined();
  });

  it("approves the offered key, audits it, and then connects to the host", async () => {
    const res = await approve("router", offered());
    expect(res.statusCode, res.body).toBe(200);
    expect(h.app.store.hostKeyApproval("router")).toMatchObject({
      fingerprint: offered(),
      approvedBy: "admin",
    });
    const router = (await hosts()).find((x) => x.name === "router");
    expect(router).toMatchObject({ pin: "approved", pinnedFingerprints: [offered()], approvedBy: "admin" });
    await h.app.collectors.router.pollNow();
    expect(ssh.stats.commands.length).toBeGreaterThan(0);
    expect(h.app.hub.source("router")?.lastError?.code).not.toMatch(/^HOST_KEY/);
    const audit = h.app.store.auditEntries(10, undefined, { action: "host.*" });
    expect(audit.map((e) => [e.action, e.outcome, e.target])).toEqual([
      ["host.approve-key", "ok", "router"],
      ["host.approve-key", "denied", "router"],
    ]);
  });

  it("a host that comes back with another key is host-key-changed, named with both keys, until re-approved", async () => {
    const before = offered();
    await ssh.close();
    ssh = await startSshServer(
      (_command, stream, done) => {
        stream.stderr.write("% Unknown command\n");
        done(1);
      },
      { port: ssh.port, clientKey: ssh.clientKey },
    );
    const after = offered();
    expect(after).not.toBe(before);
    let state = h.app.hub.source("router");
    for (let i = 0; i < 20 && state?.status !== "host-key-changed"; i++) {
      await h.app.collectors.router.pollNow();
      state = h.app.hub.source("router");
      if (state?.status !== "host-key-changed") await new Promise((r) => setTimeout(r, 200));
    }
    expect(state?.status).toBe("host-key-changed");
    expect(state?.lastError?.message).toContain(after);
    expect(state?.lastError?.message).toContain(before);
    expect(ssh.stats.commands).toEqual([]);
    expect((await hosts()).find((x) => x.name === "router")).toMatchObject({
      pin: "approved",
      pinnedFingerprints: [before],
      offered: { fingerprint: after },
    });
    const res = await approve("router", after);
    expect(res.statusCode, res.body).toBe(200);
    await h.app.collectors.router.pollNow();
    expect(ssh.stats.commands.length).toBeGreaterThan(0);
    const audit = h.app.store.auditEntries(1, undefined, { action: "host.*" });
    expect(audit.map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ["host.reapprove-key", "ok", `${before} → ${after}`],
    ]);
  });

  it("will not override a key the plan pins, and needs a CSRF token", async () => {
    const pinned = await approve("node01", offered());
    expect(pinned.statusCode).toBe(409);
    expect(pinned.json()).toMatchObject({ code: "HOST_KEY_PINNED" });
    const noCsrf = await h.app.inject({
      method: "POST",
      url: "/api/hosts/router/approve-key",
      headers: { cookie: s.cookie },
      payload: { fingerprint: offered() },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect((await approve("node42", offered())).statusCode).toBe(404);
    expect((await approve("router", "md5:aa")).statusCode).toBe(400);
  });
});
