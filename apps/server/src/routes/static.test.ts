import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../test/harness.js";

describe("web app serving", () => {
  let h: Harness;
  const web = mkdtempSync(join(tmpdir(), "k3s-ha-web-"));
  beforeAll(async () => {
    mkdirSync(join(web, "assets"));
    writeFileSync(join(web, "index.html"), "<!doctype html><title>k3s HA Console</title>");
    writeFileSync(join(web, "assets", "app.js"), "console.log(1)");
    h = await startHarness({ webDir: web });
  });
  afterAll(async () => {
    await h.close();
    rmSync(web, { recursive: true, force: true });
  });

  it("serves built assets and index.html for client-side routes, with security headers", async () => {
    const asset = await h.app.inject({ method: "GET", url: "/assets/app.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe("console.log(1)");
    const route = await h.app.inject({ method: "GET", url: "/address-plan" });
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain("k3s HA Console");
    expect(route.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(route.headers["x-frame-options"]).toBe("DENY");
  });

  it("answers unknown API routes with a JSON 404, never the web app", async () => {
    const res = await h.app.inject({ method: "GET", url: "/api/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: "NOT_FOUND", message: "No route GET /api/nope" });
  });
});
