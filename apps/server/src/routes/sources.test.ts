// GET /api/sources over HTTP: authenticated, the hub's sources as the API contract names them.
import { sourcesResponseSchema } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, signIn, startHarness } from "../test/harness.js";
import { collector } from "../test/ws-inbox.js";

describe("GET /api/sources", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("needs authentication", async () => {
    const res = await h.app.inject({ method: "GET", url: "/api/sources" });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: expect.any(String) });
  });

  it("lists each source with status, lastRefresh and lastError, and no snapshot data", async () => {
    h.app.hub.registerSource("router", { intervalMs: 2_000 });
    h.app.hub.update("router", { secret: "not on this route" });
    h.app.hub.registerSource("node:node01", { intervalMs: 5_000 });
    h.app.hub.fail("node:node01", { code: "HOST_UNREACHABLE", message: "connect ETIMEDOUT" });
    const res = await h.app.inject({
      method: "GET",
      url: "/api/sources",
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = sourcesResponseSchema.parse(res.json());
    expect(body.sources.map((s) => [s.id, s.status, s.lastError?.code])).toEqual([
      ["node:node01", "failing", "HOST_UNREACHABLE"],
      ["router", "ok", undefined],
    ]);
    expect(body.sources[1]?.lastRefresh).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(res.body).not.toContain("not on this route");
  });
});

describe("source topics on the websocket", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it("delivers node:<name> and sources changes to subscribers, and refuses a topic that is not one", async () => {
    const s = await signIn(h.app);
    const ws = await h.app.injectWS("/api/ws", { headers: { cookie: s.cookie } });
    const inbox = collector(ws);
    ws.send(JSON.stringify({ type: "subscribe", topics: ["sources", "node:node01"] }));
    await inbox.waitFor((m) => m.type === "subscribed");
    h.app.hub.registerSource("node:node01", { intervalMs: 5_000 });
    h.app.hub.update("node:node01", { peers: 3 });
    h.app.hub.update("node:node02", { peers: 3 }); // not subscribed
    await inbox.waitFor((m) => m.type === "changed" && m.topic === "node:node01");
    await inbox.waitFor((m) => m.type === "changed" && m.topic === "sources");
    expect(inbox.messages.some((m) => m.type === "changed" && m.topic === "node:node02")).toBe(false);
    ws.send(JSON.stringify({ type: "subscribe", topics: ["node:Not A Name"] }));
    const err = await inbox.waitFor((m) => m.type === "error");
    expect(err).toMatchObject({ code: "BAD_MESSAGE", message: expect.stringMatching(/topics\.0/) });
    ws.terminate();
  });

  it("refuses a socket more than 512 topics, and leaves no listener behind once it closes", async () => {
    const s = await signIn(h.app);
    const ws = await h.app.injectWS("/api/ws", { headers: { cookie: s.cookie } });
    const inbox = collector(ws);
    for (let batch = 0; batch < 17; batch++) {
      const topics = Array.from({ length: 32 }, (_, i) => `node:n${batch * 32 + i}`);
      ws.send(JSON.stringify({ type: "subscribe", topics }));
    }
    const err = await inbox.waitFor((m) => m.type === "error");
    expect(err).toMatchObject({ code: "TOO_MANY_TOPICS", message: expect.stringContaining("at most 512") });
    expect(h.app.hub.subscriberCount("node:n0")).toBe(1);
    expect(h.app.hub.subscriberCount("node:n530")).toBe(0);
    ws.terminate();
    for (let i = 0; i < 50 && h.app.hub.subscriberCount("node:n0") > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(h.app.hub.subscriberCount("node:n0")).toBe(0);
    expect(h.app.hub.topicsListenedTo()).not.toContain("node:n0");
  });
});
