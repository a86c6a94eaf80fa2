// The sign-in policy as an attacker meets it: races, lock-outs by others, timing, hostile names, audit floods.
import type { AuditEntry } from "@k3s-ha/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, type Harness, signIn, startHarness } from "../test/harness.js";

const login = (h: Harness, username: string, password: string, remoteAddress = "2001:db8:1::1") =>
  h.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password }, remoteAddress });

async function auditRows(h: Harness): Promise<AuditEntry[]> {
  const s = await signIn(h.app);
  const res = await h.app.inject({
    method: "GET",
    url: "/api/audit?limit=1000",
    headers: { cookie: s.cookie },
  });
  return res.json().entries;
}

describe("sign-in policy", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it("counts concurrent attempts: 25 parallel wrong passwords from one address get five password checks", async () => {
    // 25 stays under the sign-in request ceiling (30 a minute), so the throttle itself is what answers.
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => login(h, "admin", `wrong${i}`)));
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(20);
    // And 40 more from the same /64 get no password check at all.
    const more = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(h, "admin", `w${i}`, "2001:db8:1::2")),
    );
    expect(more.filter((r) => r.statusCode === 401)).toHaveLength(0);
    for (const r of answers.filter((a) => a.statusCode === 429)) {
      expect(r.json().code).toBe("RATE_LIMITED");
      expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
    }
  });

  it("does not let others lock admin out: a client that has not failed signs in while attackers are locked", async () => {
    for (const attacker of ["2001:db8:a::1", "2001:db8:b::1", "192.0.2.9"]) {
      for (let i = 0; i < 6; i++) await login(h, "admin", `guess${i}`, attacker);
      expect((await login(h, "admin", ADMIN_PASSWORD, attacker)).statusCode).toBe(429);
    }
    // Another address in a locked /64 is locked too; an IPv4-mapped address counts as its IPv4 address.
    expect((await login(h, "admin", ADMIN_PASSWORD, "2001:db8:a::ffff")).statusCode).toBe(429);
    expect((await login(h, "admin", ADMIN_PASSWORD, "::ffff:192.0.2.9")).statusCode).toBe(429);
    const operator = await login(h, "admin", ADMIN_PASSWORD, "2001:db8:c::1");
    expect(operator.statusCode).toBe(200);
  });

  it("answers an unknown user as slowly as a wrong password (a dummy hash is verified)", async () => {
    const time = async (username: string) => {
      const started = performance.now();
      const res = await login(
        h,
        username,
        "not-the-password",
        `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}::1`,
      );
      expect(res.statusCode).toBe(401);
      return performance.now() - started;
    };
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 8; i++) {
      unknown.push(await time(`nobody${i}`));
      wrong.push(await time("admin"));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    // Without the dummy hash an unknown user answered 3-6 times faster; with it the two are alike.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
  });

  it("refuses user names with control or bidi characters before anything is stored", async () => {
    const before = (await auditRows(h)).length;
    for (const name of ["admin\u202e", "ad\nmin", "x\u0000", "\u200badmin", "a\u2066b"]) {
      const res = await login(h, name, "whatever");
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain("username");
    }
    const after = await auditRows(h);
    // Only the sign-in of auditRows itself was added.
    expect(after.length).toBe(before + 1);
  });

  it("keeps one audit row per client and window under a flood of denied sign-ins, with first, last and count", async () => {
    for (let i = 0; i < 25; i++) await login(h, i % 2 ? "admin" : `made-up-${i}`, "bad", "2001:db8:f::1");
    for (let i = 0; i < 3; i++) await login(h, "admin", "bad", "2001:db8:e::1");
    const denied = (await auditRows(h)).filter((e) => e.action === "auth.login" && e.outcome === "denied");
    expect(denied).toHaveLength(2);
    const flood = denied.find((e) => e.detail?.includes("2001:db8:f::/64"));
    expect(flood?.detail).toMatch(/^25 denied sign-in\(s\) \(20 refused by the throttle/);
    expect(flood?.detail).toMatch(/first \d{4}-\d\d-\d\dT[\d:.]+Z, last \d{4}-\d\d-\d\dT[\d:.]+Z/);
    expect(flood?.detail).toContain("made-up-0");
    expect(flood?.detail).toContain("admin");
    expect(flood?.actor).toBe("made-up-0");
    const other = denied.find((e) => e.detail?.includes("2001:db8:e::/64"));
    expect(other?.detail).toMatch(/^3 denied sign-in\(s\) from/);
  });

  it("puts a ceiling on sign-in requests per client network, answered with our own code", async () => {
    const answers = [];
    for (let i = 0; i < 32; i++) answers.push(await login(h, `nobody${i}`, "bad", `2001:db8:5::${i + 1}`));
    const limited = answers.filter((r) => r.statusCode === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited[0]?.json()).toMatchObject({ code: "RATE_LIMITED" });
  });
});

describe("request ceiling", () => {
  it("limits requests per client network across the API and says when to come back", async () => {
    const h = await startHarness({ rateLimitPerMinute: 5 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        codes.push(
          (await h.app.inject({ method: "GET", url: "/api/health", remoteAddress: `2001:db8:7::${i + 1}` }))
            .statusCode,
        );
      }
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const other = await h.app.inject({ method: "GET", url: "/api/health", remoteAddress: "2001:db8:8::1" });
      expect(other.statusCode).toBe(200);
      const limited = await h.app.inject({
        method: "GET",
        url: "/api/health",
        remoteAddress: "2001:db8:7::99",
      });
      expect(limited.json().code).toBe("RATE_LIMITED");
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});
