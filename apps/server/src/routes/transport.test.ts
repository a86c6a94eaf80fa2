// TLS, proxies and names: Secure cookies over TLS, HSTS, certificate reload, trusted proxies only, the Host allow-list.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { DataDirError, lockDataDir } from "../plugins/data-dir.js";
import { ADMIN_PASSWORD, API_TOKEN, LAB_PLAN, startHarness } from "../test/harness.js";

const dir = mkdtempSync(join(tmpdir(), "k3s-ha-tls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeCert(name: string, cn: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${cn}`,
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

function httpsCall(
  port: number,
  path: string,
  body?: object,
): Promise<{ status: number; headers: Record<string, unknown>; cn: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port,
        path,
        method: body ? "POST" : "GET",
        rejectUnauthorized: false,
        agent: false,
        headers: body ? { "content-type": "application/json" } : {},
        timeout: 5000,
      },
      (res) => {
        const cn = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? "");
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, cn }));
      },
    );
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const base = (extra: object) => ({
  planFile: LAB_PLAN,
  host: "127.0.0.1",
  port: 0,
  dataDir: mkdtempSync(join(dir, "data-")),
  adminPassword: ADMIN_PASSWORD,
  apiToken: API_TOKEN,
  announce: () => {},
  logLevel: "silent" as const,
  ...extra,
});

describe("the console's own TLS", () => {
  let app: FastifyInstance;
  let port: number;
  const files = makeCert("console", "first");
  beforeAll(async () => {
    app = await buildApp(base({ tlsCert: files.cert, tlsKey: files.key }));
    await app.listen({ host: "127.0.0.1", port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => app.close());

  it("sets the session cookie Secure and sends HSTS", async () => {
    const res = await httpsCall(port, "/api/auth/login", { username: "admin", password: ADMIN_PASSWORD });
    expect(res.status).toBe(200);
    expect(String(res.headers["set-cookie"])).toMatch(/; Secure/);
    expect(res.headers["strict-transport-security"]).toBe("max-age=31536000");
  });

  it("reloads the certificate when its files are replaced", async () => {
    expect((await httpsCall(port, "/api/health")).cn).toBe("first");
    const next = makeCert("next", "second");
    renameSync(next.key, files.key);
    renameSync(next.cert, files.cert);
    let cn = "";
    for (let i = 0; i < 50 && cn !== "second"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      cn = (await httpsCall(port, "/api/health")).cn;
    }
    expect(cn).toBe("second");
  }, 15_000);
});

describe("proxies and names", () => {
  it("believes X-Forwarded-* only from the proxies named, for the Secure cookie and the throttle", async () => {
    const h = await startHarness({ trustProxy: ["2001:db8:99::/64"] });
    try {
      const viaProxy = await h.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "admin", password: ADMIN_PASSWORD },
        remoteAddress: "2001:db8:99::1",
        headers: { "x-forwarded-proto": "https", "x-forwarded-for": "2001:db8:42::7" },
      });
      expect(String(viaProxy.headers["set-cookie"])).toMatch(/; Secure/);
      expect(viaProxy.headers["strict-transport-security"]).toBeDefined();
      // From anywhere else the headers are ignored: a forged X-Forwarded-For does not dodge the throttle.
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await h.app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { username: "admin", password: "wrong" },
          remoteAddress: "2001:db8:66::1",
          headers: { "x-forwarded-for": `2001:db8:${i}::1`, "x-forwarded-proto": "https" },
        });
        codes.push(res.statusCode);
        expect(String(res.headers["set-cookie"] ?? "")).not.toContain("Secure");
      }
      expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await h.close();
    }
  });

  it("refuses any Host but the public URL's, and websockets from any other origin", async () => {
    const h = await startHarness({ publicUrl: "https://console.example.org" });
    try {
      const evil = await h.app.inject({
        method: "GET",
        url: "/api/plan",
        headers: { host: "rebound.example" },
      });
      expect(evil.statusCode).toBe(421);
      expect(evil.json().code).toBe("HOST_REFUSED");
      const res = await h.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "admin", password: ADMIN_PASSWORD },
        headers: { host: "console.example.org" },
      });
      expect(res.statusCode).toBe(200);
      const cookie = String(res.headers["set-cookie"]).split(";")[0] ?? "";
      const headers = { cookie, host: "console.example.org" };
      await expect(
        h.app.injectWS("/api/ws", { headers: { ...headers, origin: "http://console.example.org" } }),
      ).rejects.toThrow("403");
      const ws = await h.app.injectWS("/api/ws", {
        headers: { ...headers, origin: "https://console.example.org" },
      });
      ws.terminate();
    } finally {
      await h.close();
    }
  });

  it("on loopback without a public URL accepts only loopback names and IP literals as Host", async () => {
    const h = await startHarness();
    try {
      const hostStatus = async (host: string) =>
        (
          await h.app.inject({
            method: "GET",
            url: "/api/plan",
            headers: { host, authorization: `Bearer ${API_TOKEN}` },
          })
        ).statusCode;
      expect(await hostStatus("localhost:8080")).toBe(200);
      expect(await hostStatus("127.0.0.1:8080")).toBe(200);
      expect(await hostStatus("[::1]:8080")).toBe(200);
      expect(await hostStatus("attacker.example:8080")).toBe(421);
      // Health stays open to load balancers whatever Host they send.
      expect(
        (await h.app.inject({ method: "GET", url: "/api/health", headers: { host: "lb.internal" } }))
          .statusCode,
      ).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe("the data directory", () => {
  it("tightens an existing 755 folder to 700 and the database to 600, and says so", async () => {
    const data = join(dir, "loose");
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const announced: string[] = [];
    const app = await buildApp(base({ dataDir: data, announce: (l: string) => announced.push(l) }));
    try {
      expect(statSync(data).mode & 0o777).toBe(0o700);
      for (const f of ["console.db", "console.db-wal", "console.db-shm", "console.lock"]) {
        expect(statSync(join(data, f)).mode & 0o777, f).toBe(0o600);
      }
      expect(announced.join("\n")).toContain("mode 755 -> 700");
    } finally {
      await app.close();
    }
  });

  it("creates a new one 700 with its files 600, and announces no tightening of files it made itself", async () => {
    const data = join(dir, "fresh");
    const announced: string[] = [];
    const app = await buildApp(base({ dataDir: data, announce: (l: string) => announced.push(l) }));
    try {
      expect(statSync(data).mode & 0o777).toBe(0o700);
      for (const f of ["console.db", "console.db-wal", "console.db-shm", "console.lock"])
        expect(statSync(join(data, f)).mode & 0o777, f).toBe(0o600);
      expect(announced.filter((l) => l.includes("tightened"))).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("refuses a second console on a data directory in use, naming the process that holds it", async () => {
    const data = mkdtempSync(join(dir, "shared-"));
    const first = await buildApp(base({ dataDir: data }));
    try {
      await expect(
        buildApp(base({ dataDir: data, adminPassword: "another admin password" })),
      ).rejects.toThrow(/in use by process \d+/);
    } finally {
      await first.close();
    }
    // Once the first is gone, the folder is free again.
    const again = await buildApp(base({ dataDir: data }));
    await again.close();
  });

  it("names another process that holds the lock (an OS lock, not a pidfile)", async () => {
    const data = mkdtempSync(join(dir, "other-"));
    const holder = spawn(process.execPath, [
      "-e",
      `const { DatabaseSync } = require("node:sqlite");
       const db = new DatabaseSync(${JSON.stringify(join(data, "console.lock"))});
       db.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at TEXT); COMMIT;");
       console.log("locked"); setTimeout(() => {}, 20000);`,
    ]);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("holder did not lock")), 10_000);
        holder.stdout.on("data", (d: Buffer) => {
          if (d.toString().includes("locked")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      let message = "";
      try {
        lockDataDir(data);
      } catch (err) {
        expect(err).toBeInstanceOf(DataDirError);
        message = (err as Error).message;
      }
      expect(message).toContain(`in use by process ${holder.pid}`);
    } finally {
      holder.kill();
    }
  });
});
