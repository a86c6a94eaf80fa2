// Sessions and the websocket against an attacker: ended sessions close sockets, bad cookies and origins, caching.
import type { WebSocket } from "@fastify/websocket";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { SESSION_CLOSED_CODE, SessionSockets } from "../plugins/session-sockets.js";
import { ADMIN_PASSWORD, type Harness, signIn, startHarness } from "../test/harness.js";

/** Resolves with the close code of a socket, or rejects after a bounded wait. */
function closeCode(ws: WebSocket, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("socket not closed")), timeoutMs);
    ws.once("close", (code: number) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe("sessions and their websockets", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it("closes a session's open websockets with 4401 on sign-out, and leaves other sessions' open", async () => {
    const a = await signIn(h.app);
    const b = await signIn(h.app);
    const wsA = await h.app.injectWS("/api/ws", { headers: { cookie: a.cookie } });
    const wsB = await h.app.injectWS("/api/ws", { headers: { cookie: b.cookie } });
    const closedA = closeCode(wsA);
    let bClosed = false;
    wsB.once("close", () => {
      bClosed = true;
    });
    const out = await h.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: a.cookie, "x-csrf-token": a.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect(await closedA).toBe(SESSION_CLOSED_CODE);
    await new Promise((r) => setTimeout(r, 50));
    expect(bClosed).toBe(false);
    wsB.terminate();
  });

  it("closes a socket when its session expires", async () => {
    const sockets = new SessionSockets();
    const closed: [number, string][] = [];
    const fake = {
      close: (code: number, reason: string) => closed.push([code, reason]),
      once: () => {},
    } as unknown as WebSocket;
    sockets.add("hash", "admin", new Date(Date.now() + 50).toISOString(), fake);
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toEqual([[SESSION_CLOSED_CODE, "session expired"]]);
  });

  it("logs no error and no stack for a malformed cookie or an Origin: null websocket", async () => {
    const lines: string[] = [];
    const logged = await startHarness({ logLevel: "info" }, { logStream: { write: (l) => lines.push(l) } });
    try {
      const res = await logged.app.inject({
        method: "GET",
        url: "/api/plan",
        headers: { cookie: "k3s_ha_session=%E0%A4%A" },
      });
      expect(res.statusCode).toBe(401);
      const s = await signIn(logged.app);
      await expect(
        logged.app.injectWS("/api/ws", { headers: { cookie: s.cookie, origin: "null" } }),
      ).rejects.toThrow("403");
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => /"level":(50|60)/.test(l) || l.includes('"stack"'))).toEqual([]);
    } finally {
      await logged.close();
    }
  });

  it("answers a malformed cookie with 401, never 500", async () => {
    for (const cookie of [
      "k3s_ha_session=%E0%A4%A",
      "k3s_ha_session=",
      ";;;=;",
      "k3s_ha_session=\u00ff\u00fe",
      `k3s_ha_session=${"a".repeat(5000)}`,
    ]) {
      const res = await h.app.inject({ method: "GET", url: "/api/plan", headers: { cookie } });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe("UNAUTHENTICATED");
    }
  });

  it("compares the websocket's Origin by scheme, host and port, and refuses Origin: null", async () => {
    const s = await signIn(h.app);
    for (const origin of [
      "null",
      "https://localhost",
      "http://localhost:8080",
      "http://evil.example",
      "not a url",
    ]) {
      await expect(
        h.app.injectWS("/api/ws", { headers: { cookie: s.cookie, origin, host: "localhost" } }),
        origin,
      ).rejects.toThrow("403");
    }
    const ok = await h.app.injectWS("/api/ws", {
      headers: { cookie: s.cookie, origin: "http://localhost", host: "localhost" },
    });
    ok.terminate();
  });

  it("sends Cache-Control: no-store on every API answer, errors included", async () => {
    const s = await signIn(h.app);
    for (const [url, cookie] of [
      ["/api/health", undefined],
      ["/api/plan", s.cookie],
      ["/api/auth/session", s.cookie],
      ["/api/plan", undefined],
      ["/api/nope", s.cookie],
    ] as const) {
      const res = await h.app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
      expect(res.headers["cache-control"], url).toBe("no-store");
    }
  });

  it("derives the CSRF token from the session: the session route repeats the sign-in's token", async () => {
    const s = await signIn(h.app);
    const res = await h.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { cookie: s.cookie },
    });
    expect(res.json().csrfToken).toBe(s.csrfToken);
    const other = await signIn(h.app);
    expect(other.csrfToken).not.toBe(s.csrfToken);
  });
});

describe("password changes", () => {
  it("ends every session when K3S_HA_ADMIN_PASSWORD changes between starts, and audits it; the same one keeps them", async () => {
    const h = await startHarness();
    const s = await signIn(h.app);
    await h.app.close();
    const start = (adminPassword: string) =>
      buildApp({
        planFile: h.planFile,
        host: "127.0.0.1",
        port: 0,
        dataDir: `${h.dir}/data`,
        adminPassword,
        announce: () => {},
        logLevel: "silent",
      });
    const same = await start(ADMIN_PASSWORD);
    expect(
      (await same.inject({ method: "GET", url: "/api/plan", headers: { cookie: s.cookie } })).statusCode,
    ).toBe(200);
    await same.close();
    const changed = await start("a new password for admin");
    expect(
      (await changed.inject({ method: "GET", url: "/api/plan", headers: { cookie: s.cookie } })).statusCode,
    ).toBe(401);
    const fresh = await signIn(changed, "a new password for admin");
    const audit = await changed.inject({
      method: "GET",
      url: "/api/audit",
      headers: { cookie: fresh.cookie },
    });
    expect(audit.json().entries).toContainEqual(
      expect.objectContaining({
        action: "auth.password-change",
        actor: "K3S_HA_ADMIN_PASSWORD",
        outcome: "ok",
      }),
    );
    expect(audit.body).toContain("1 session(s) ended");
    await changed.close();
    await h.close().catch(() => {});
  });

  it("changes the password for the signed-in user: CSRF, current password, sessions ended, sockets closed, audited", async () => {
    const h = await startHarness({ adminPassword: undefined });
    try {
      const generated = h.announced.join("\n").match(/password (\S+)/)?.[1] ?? "";
      const s = await signIn(h.app, generated);
      const other = await signIn(h.app, generated);
      const ws = await h.app.injectWS("/api/ws", { headers: { cookie: other.cookie } });
      const closed = closeCode(ws);
      const change = (body: object, headers: Record<string, string>) =>
        h.app.inject({
          method: "POST",
          url: "/api/auth/password",
          payload: body,
          headers: { cookie: s.cookie, ...headers },
        });
      const next = "a much better password";
      expect((await change({ currentPassword: generated, newPassword: next }, {})).statusCode).toBe(403);
      const wrong = await change(
        { currentPassword: "nope", newPassword: next },
        { "x-csrf-token": s.csrfToken },
      );
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().code).toBe("WRONG_PASSWORD");
      const short = await change(
        { currentPassword: generated, newPassword: "short" },
        { "x-csrf-token": s.csrfToken },
      );
      expect(short.statusCode).toBe(400);
      const ok = await change(
        { currentPassword: generated, newPassword: next },
        { "x-csrf-token": s.csrfToken },
      );
      expect(ok.statusCode).toBe(200);
      expect(await closed).toBe(SESSION_CLOSED_CODE);
      for (const old of [s, other]) {
        expect(
          (await h.app.inject({ method: "GET", url: "/api/plan", headers: { cookie: old.cookie } }))
            .statusCode,
        ).toBe(401);
      }
      const cookie = String(ok.headers["set-cookie"]).split(";")[0] ?? "";
      expect((await h.app.inject({ method: "GET", url: "/api/plan", headers: { cookie } })).statusCode).toBe(
        200,
      );
      await expect(signIn(h.app, generated)).rejects.toThrow("401");
      const fresh = await signIn(h.app, next);
      const audit = await h.app.inject({
        method: "GET",
        url: "/api/audit",
        headers: { cookie: fresh.cookie },
      });
      const changes = (audit.json().entries as { action: string; outcome: string }[]).filter(
        (e) => e.action === "auth.password-change",
      );
      expect(changes.map((e) => e.outcome)).toEqual(["ok", "denied", "denied"]);
      expect(audit.body).not.toContain(next);
    } finally {
      await h.close();
    }
  });

  it("refuses a password change when the environment sets the password", async () => {
    const h = await startHarness();
    try {
      const s = await signIn(h.app);
      const res = await h.app.inject({
        method: "POST",
        url: "/api/auth/password",
        payload: { currentPassword: ADMIN_PASSWORD, newPassword: "something else entirely" },
        headers: { cookie: s.cookie, "x-csrf-token": s.csrfToken },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe("PASSWORD_MANAGED");
    } finally {
      await h.close();
    }
  });
});
