import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, API_TOKEN, type Harness, signIn, startHarness } from "../test/harness.js";

describe("authentication", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it("serves /api/health without authentication", async () => {
    const res = await h.app.inject({ method: "GET", url: "/api/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "ok", version: expect.any(String) });
  });

  it.each(["/api/plan", "/api/audit", "/api/auth/session", "/api/ws"])(
    "refuses %s without a session",
    async (url) => {
      const res = await h.app.inject({ method: "GET", url });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: "UNAUTHENTICATED", message: "Sign in first" });
    },
  );

  it("signs in with the admin password and sets an httpOnly SameSite cookie", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "admin", password: ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/^k3s_ha_session=[\w-]{20,};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const body = res.json();
    expect(body.user).toBe("admin");
    expect(body.csrfToken.length).toBeGreaterThan(20);
    // The session token itself never appears in a response body.
    expect(res.body).not.toContain(cookie.split(";")[0]?.split("=")[1]);

    const session = await h.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: { cookie: cookie.split(";")[0] },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({ user: "admin", csrfToken: body.csrfToken, passwordManaged: true });
  });

  it("rejects a wrong password and records it in the audit log", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "admin", password: "nope" },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("BAD_CREDENTIALS");
    const s = await signIn(h.app);
    const audit = await h.app.inject({ method: "GET", url: "/api/audit", headers: { cookie: s.cookie } });
    const entries = audit.json().entries as { action: string; outcome: string; actor: string }[];
    expect(entries.filter((e) => e.action.startsWith("auth.")).map((e) => [e.action, e.outcome])).toEqual([
      ["auth.login", "ok"],
      ["auth.login", "denied"],
    ]);
    // The password is never written to the audit log.
    expect(audit.body).not.toContain("nope");
    expect(audit.body).not.toContain(ADMIN_PASSWORD);
  });

  it("rate-limits repeated failed logins with 429 and Retry-After, even for the right password", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await h.app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { username: "admin", password: `bad${i}` },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes[5]).toBe(429);
    const res = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "admin", password: ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(res.json().code).toBe("RATE_LIMITED");
  });

  it("rejects a malformed login body with a clear error", async () => {
    const res = await h.app.inject({ method: "POST", url: "/api/auth/login", payload: { user: "admin" } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("BAD_REQUEST");
    expect(res.json().message).toMatch(/^Send JSON with username and password \(field username: /);
  });

  it("requires the CSRF token on mutating requests made with the cookie", async () => {
    const s = await signIn(h.app);
    const without = await h.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: s.cookie },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe("CSRF_REJECTED");
    const wrong = await h.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: s.cookie, "x-csrf-token": "forged" },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await h.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { cookie: s.cookie, "x-csrf-token": s.csrfToken },
    });
    expect(ok.statusCode).toBe(204);
    const after = await h.app.inject({ method: "GET", url: "/api/plan", headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
  });

  it("accepts the API token as a bearer token and refuses a wrong one", async () => {
    const ok = await h.app.inject({
      method: "GET",
      url: "/api/plan",
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await h.app.inject({
      method: "GET",
      url: "/api/plan",
      headers: { authorization: "Bearer wrong" },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().message).toBe("The bearer token is not valid");
  });

  it("refuses bearer tokens when none is configured", async () => {
    const other = await startHarness({ apiToken: undefined });
    try {
      const res = await other.app.inject({
        method: "GET",
        url: "/api/plan",
        headers: { authorization: "Bearer " },
      });
      expect(res.statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe("first start", () => {
  it("generates an admin password, announces it once, and it works", async () => {
    const h = await startHarness({ adminPassword: undefined });
    try {
      const line = h.announced.find((l) => l.includes("password"));
      const password = line?.match(/password (\S+)$/)?.[1];
      expect(password).toBeDefined();
      await signIn(h.app, password);
      // A second start on the same data folder does not print or change it.
      await h.app.close();
      const { buildApp } = await import("../app.js");
      const announced: string[] = [];
      const again = await buildApp({
        planFile: h.planFile,
        host: "127.0.0.1",
        port: 0,
        dataDir: `${h.dir}/data`,
        announce: (l) => announced.push(l),
        logLevel: "silent",
      });
      expect(announced).toEqual([]);
      await signIn(again, password);
      await again.close();
    } finally {
      await h.close().catch(() => {});
    }
  });
});
