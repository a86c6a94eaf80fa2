import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

describe("web app serving", () => {
  let h: Harness;
  const web = mkdtempSync(join(tmpdir(), "k3s-ha-web-"));
  beforeAll(async () => {
    mkdirSync(join(web, "assets"));
    writeFileSync(join(web, "index.html"), "<!doctype html><title>k3s HA Console</title>");
    writeFileSync(join(web, "assets", "app.js"), "console.log(1)");
    writeFileSync(join(web, "assets", "app.js.map"), '{"version":3,"sourcesContent":["secret source"]}');
    const bundle = `console.log("${"k3s ".repeat(2000)}")`;
    writeFileSync(join(web, "assets", "index-CJJotYmr.js"), bundle);
    writeFileSync(join(web, "assets", "index-CJJotYmr.js.br"), brotliCompressSync(bundle));
    writeFileSync(join(web, "assets", "index-CJJotYmr.js.gz"), gzipSync(bundle));
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

  it("sends hashed assets precompressed and cached for a year; index.html and deep links are revalidated", async () => {
    const br = await h.app.inject({
      method: "GET",
      url: "/assets/index-CJJotYmr.js",
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(Number(br.headers["content-length"] ?? br.rawPayload.length)).toBeLessThan(1000);
    expect(brotliDecompressSync(br.rawPayload).toString()).toContain("k3s k3s");
    const gz = await h.app.inject({
      method: "GET",
      url: "/assets/index-CJJotYmr.js",
      headers: { "accept-encoding": "gzip" },
    });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    const plain = await h.app.inject({ method: "GET", url: "/assets/index-CJJotYmr.js" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(8000);
    for (const url of ["/", "/index.html", "/address-plan", "/bgp/peers"]) {
      const res = await h.app.inject({ method: "GET", url, headers: { "accept-encoding": "br" } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["cache-control"], url).toBe("no-cache");
    }
  });

  it("never serves source maps, not even through the client-side route fallback", async () => {
    for (const url of ["/assets/app.js.map", "/assets/app.js.map?x=1", "/assets/other.js.map"]) {
      const res = await h.app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain("secret source");
    }
  });

  it("answers unknown API routes with a JSON 404, never the web app", async () => {
    const res = await h.app.inject({ method: "GET", url: "/api/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: "NOT_FOUND", message: "No route GET /api/nope" });
  });
});

describe("errors carry our own codes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("maps Fastify's own errors (FST_*) to stable codes", async () => {
    const badJson = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe("BAD_REQUEST");
    const media = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/x-evil" },
      payload: "x",
    });
    expect(media.statusCode).toBe(415);
    expect(media.json().code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const big = await h.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ username: "admin", password: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe("PAYLOAD_TOO_LARGE");
    for (const res of [badJson, media, big]) expect(res.json().code).not.toMatch(/^FST_/);
  });

  it("names the query parameter that is wrong", async () => {
    const res = await h.app.inject({
      method: "GET",
      url: "/api/audit?limit=abc",
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain("query parameter limit");
    expect(res.json().message).not.toContain("body");
  });
});
