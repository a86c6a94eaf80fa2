import { describe, expect, it } from "vitest";
import { LoginThrottle } from "./login-throttle.js";

describe("login throttle", () => {
  it("allows five failures, then makes the client wait longer after each further failure", () => {
    let now = 1_000_000;
    const t = new LoginThrottle(() => now);
    const keys = ["ip:::1", "user:admin"];
    for (let i = 0; i < 5; i++) {
      expect(t.retryAfterSeconds(keys)).toBe(0);
      t.fail(keys);
    }
    expect(t.retryAfterSeconds(keys)).toBe(30);
    now += 31_000;
    expect(t.retryAfterSeconds(keys)).toBe(0);
    t.fail(keys);
    expect(t.retryAfterSeconds(keys)).toBe(60);
  });

  it("throttles by user name even from a fresh address", () => {
    const t = new LoginThrottle(() => 0);
    for (let i = 0; i < 5; i++) t.fail([`ip:10.0.0.${i}`, "user:admin"]);
    expect(t.retryAfterSeconds(["ip:fresh", "user:admin"])).toBeGreaterThan(0);
    expect(t.retryAfterSeconds(["ip:fresh", "user:other"])).toBe(0);
  });

  it("forgets failures after a successful sign-in and after the window", () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) t.fail(["k"]);
    t.succeed(["k"]);
    expect(t.retryAfterSeconds(["k"])).toBe(0);
    for (let i = 0; i < 6; i++) t.fail(["k"]);
    now += 16 * 60 * 1000;
    expect(t.retryAfterSeconds(["k"])).toBe(0);
  });
});
