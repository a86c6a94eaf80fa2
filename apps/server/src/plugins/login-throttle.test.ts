import { describe, expect, it } from "vitest";
import { type Admission, clientNetwork, DEFAULT_POLICY, LoginThrottle } from "./login-throttle.js";

function ticketOf(a: Admission) {
  if (!a.ok) throw new Error(`refused: ${JSON.stringify(a)}`);
  return a.ticket;
}

/** One failed attempt for `user` from `address`; returns false when it was refused before the password check. */
function failOnce(t: LoginThrottle, user: string, address: string, exists = true): boolean {
  const a = t.admit(user, address, exists);
  if (!a.ok) return false;
  t.fail(a.ticket);
  return true;
}

describe("clientNetwork", () => {
  it("groups IPv6 clients by /64 and unmaps IPv4-mapped addresses", () => {
    expect(clientNetwork("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientNetwork("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(clientNetwork("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(clientNetwork("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(clientNetwork("192.0.2.7")).toBe("192.0.2.7");
    expect(clientNetwork("fe80::1%eth0")).toBe("fe80::/64");
  });
});

describe("login throttle", () => {
  it("allows five failures per client, then makes it wait longer after each further failure", () => {
    let now = 1_000_000;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) expect(failOnce(t, "admin", "2001:db8::1")).toBe(true);
    expect(t.admit("admin", "2001:db8::2", true)).toEqual({
      ok: false,
      retryAfterSeconds: 30,
      reason: "client-locked",
    });
    now += 31_000;
    expect(failOnce(t, "admin", "2001:db8::1")).toBe(true);
    expect(t.admit("admin", "2001:db8::1", true)).toMatchObject({ ok: false, retryAfterSeconds: 60 });
  });

  it("counts attempts in flight: 40 concurrent reservations from one client admit only five", () => {
    const t = new LoginThrottle(() => 0);
    const admitted = Array.from({ length: 40 }, () => t.admit("admin", "2001:db8::1", true)).filter(
      (a) => a.ok,
    );
    expect(admitted).toHaveLength(5);
  });

  it("lets another client sign in as a user that someone else is failing for (no global lock)", () => {
    const t = new LoginThrottle(() => 0);
    for (let i = 0; i < 5; i++) failOnce(t, "admin", `2001:db8:${i}::1`);
    for (let i = 0; i < 5; i++) failOnce(t, "admin", "2001:db8:ff::1");
    const fresh = t.admit("admin", "2001:db8:aa::1", true);
    expect(fresh).toMatchObject({ ok: true, waitMs: 0 });
  });

  it("slows sign-ins for a user under attack from many networks, except from networks that signed in before", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    t.succeed(ticketOf(t.admit("admin", "2001:db8:900::1", true))); // the operator's usual network
    for (let i = 0; i < DEFAULT_POLICY.slowdownAfter; i++)
      failOnce(t, "admin", `2001:db8:${i.toString(16)}::1`);
    const waits = Array.from({ length: 5 }, (_, i) => t.admit("admin", `2001:db8:a${i}::1`, true));
    expect(waits.map((a) => a.ok && a.waitMs)).toEqual([0, 1000, 2000, 3000, 4000]);
    const overfull = Array.from({ length: 10 }, (_, i) => t.admit("admin", `2001:db8:b${i}::1`, true));
    expect(overfull.filter((a) => !a.ok).length).toBeGreaterThan(0);
    expect(overfull.find((a) => !a.ok)).toMatchObject({ reason: "user-slowed" });
    expect(t.admit("admin", "2001:db8:900::2", true)).toMatchObject({ ok: true, waitMs: 0 });
    // The slow-down ends with the window.
    now += DEFAULT_POLICY.windowMs + 60_000;
    expect(t.admit("admin", "2001:db8:c0::1", true)).toMatchObject({ ok: true, waitMs: 0 });
  });

  it("keeps no per-user state for names that do not exist", () => {
    const t = new LoginThrottle(() => 0);
    for (let i = 0; i < 1000; i++) failOnce(t, `made-up-${i}`, "2001:db8::1", false);
    expect(t.sizes()).toEqual({ clients: 1, pairs: 0, users: 0 });
  });

  it("bounds memory under 20,000 client networks without ever forgetting an active lock", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) failOnce(t, "admin", "2001:db8:dead::1");
    expect(t.admit("admin", "2001:db8:dead::1", true).ok).toBe(false);
    for (let i = 0; i < 20_000; i++) {
      now += 1;
      failOnce(t, `nobody${i}`, `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`, false);
    }
    expect(t.sizes().clients).toBeLessThanOrEqual(DEFAULT_POLICY.maxEntries);
    expect(t.admit("admin", "2001:db8:dead::1", true).ok).toBe(false);
  });

  it("forgets failures after a successful sign-in and after the window", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 4; i++) failOnce(t, "admin", "2001:db8::1");
    t.succeed(ticketOf(t.admit("admin", "2001:db8::1", true)));
    for (let i = 0; i < 5; i++) expect(failOnce(t, "admin", "2001:db8::1")).toBe(true);
    now += DEFAULT_POLICY.maxLockMs + DEFAULT_POLICY.windowMs + 1;
    expect(t.admit("admin", "2001:db8::1", true).ok).toBe(true);
  });
});
