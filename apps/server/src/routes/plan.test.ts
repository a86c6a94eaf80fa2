import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { PlanResponse, ServerMessage } from "@k3s-ha/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, type Session, signIn, startHarness } from "../test/harness.js";
import { collector } from "../test/ws-inbox.js";

describe("plan API and live updates", () => {
  let h: Harness;
  let s: Session;
  beforeEach(async () => {
    h = await startHarness({}, { watchPlan: true });
    s = await signIn(h.app);
  });
  afterEach(async () => h.close());

  const getPlan = async (): Promise<PlanResponse> => {
    const res = await h.app.inject({ method: "GET", url: "/api/plan", headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it("returns the plan, its findings and its source", async () => {
    const body = await getPlan();
    expect(body.plan?.metadata.name).toBe("lab");
    expect(body.plan?.network.apiVip).toBe("2001:db8:1162:79fb:ff01::1");
    expect(body.errors).toEqual([]);
    expect(body.source).toMatchObject({ file: h.planFile, status: "ok", revision: 1 });
    expect(body.findings.filter((f) => f.severity !== "info")).toEqual([]);
  });

  it("pushes a change to subscribers when the file is edited, and serves the new plan", async () => {
    const ws = await h.app.injectWS("/api/ws", { headers: { cookie: s.cookie } });
    const inbox = collector(ws);
    ws.send(JSON.stringify({ type: "subscribe", topics: ["plan"] }));
    await inbox.waitFor((m) => m.type === "subscribed");

    // An editor-style save: write a new file and rename it over the old one.
    const edited = readFileSync(h.planFile, "utf8").replace(
      "apiVip: 2001:db8:1162:79fb:ff01::1",
      "apiVip: 2001:db8:1162:79fb:ff00::100",
    );
    writeFileSync(`${h.planFile}.tmp`, edited);
    renameSync(`${h.planFile}.tmp`, h.planFile);

    const changed = await inbox.waitFor((m) => m.type === "changed" && m.topic === "plan");
    expect(changed).toMatchObject({ type: "changed", topic: "plan", seq: expect.any(Number) });
    const body = await getPlan();
    expect(body.plan?.network.apiVip).toBe("2001:db8:1162:79fb:ff00::100");
    expect(body.findings.map((f) => f.id)).toContain("vip-in-service-range");
    ws.terminate();
  });

  it("keeps the last good plan and reports the errors of an invalid edit", async () => {
    const ws = await h.app.injectWS("/api/ws", { headers: { cookie: s.cookie } });
    const inbox = collector(ws);
    ws.send(JSON.stringify({ type: "subscribe", topics: ["plan"] }));
    await inbox.waitFor((m) => m.type === "subscribed");

    const broken = readFileSync(h.planFile, "utf8").replace("clusterAsn: 65010", 'clusterAsn: "sixty-five"');
    writeFileSync(h.planFile, broken);
    await inbox.waitFor((m) => m.type === "changed");
    const body = await getPlan();
    expect(body.source.status).toBe("invalid");
    expect(body.plan?.bgp.clusterAsn).toBe(65010);
    expect(body.errors).toEqual([
      expect.objectContaining({ path: "bgp.clusterAsn", value: "sixty-five", line: expect.any(Number) }),
    ]);
    // The history keeps both the first load and the rejected edit.
    const audit = await h.app.inject({ method: "GET", url: "/api/audit", headers: { cookie: s.cookie } });
    const planEntries = (audit.json().entries as { action: string; outcome: string }[]).filter((e) =>
      e.action.startsWith("plan."),
    );
    expect(planEntries.map((e) => [e.action, e.outcome])).toEqual([
      ["plan.reload", "failed"],
      ["plan.load", "ok"],
    ]);
    ws.terminate();
  });
});

describe("websocket protocol", () => {
  let h: Harness;
  let s: Session;
  beforeEach(async () => {
    h = await startHarness();
    s = await signIn(h.app);
  });
  afterEach(async () => h.close());

  it("greets, answers pings and explains bad messages", async () => {
    const received: ServerMessage[] = [];
    const ws = await h.app.injectWS(
      "/api/ws",
      { headers: { cookie: s.cookie } },
      {
        onInit: (socket) => socket.on("message", (d: Buffer) => received.push(JSON.parse(d.toString()))),
      },
    );
    const inbox = collector(ws);
    ws.send(JSON.stringify({ type: "ping", id: 7 }));
    ws.send("not json");
    ws.send(JSON.stringify({ type: "subscribe", topics: ["nope"] }));
    await inbox.waitFor((m) => m.type === "pong");
    await new Promise((r) => setTimeout(r, 50));
    expect(received[0]?.type).toBe("hello");
    expect(inbox.messages).toContainEqual({ type: "pong", id: 7 });
    const errors = inbox.messages.filter((m) => m.type === "error");
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: "BAD_MESSAGE", message: "The message is not JSON" });
    expect(errors[1]).toMatchObject({ code: "BAD_MESSAGE" });
    expect((errors[1] as { message: string }).message).toContain("topics");
    ws.terminate();
  });

  it("delivers audit events to subscribers and stops after unsubscribe", async () => {
    const ws = await h.app.injectWS("/api/ws", { headers: { cookie: s.cookie } });
    const inbox = collector(ws);
    ws.send(JSON.stringify({ type: "subscribe", topics: ["audit"] }));
    await inbox.waitFor((m) => m.type === "subscribed");
    await signIn(h.app);
    const first = await inbox.waitFor((m) => m.type === "changed" && m.topic === "audit");
    ws.send(JSON.stringify({ type: "unsubscribe", topics: ["audit"] }));
    await inbox.waitFor((m) => m.type === "unsubscribed");
    await signIn(h.app);
    await new Promise((r) => setTimeout(r, 50));
    expect(inbox.messages.filter((m) => m.type === "changed")).toEqual([first]);
    expect(h.app.hub.subscriberCount("audit")).toBe(0);
    ws.terminate();
  });

  it("refuses a websocket without a session and one from another origin", async () => {
    await expect(h.app.injectWS("/api/ws")).rejects.toThrow("401");
    await expect(
      h.app.injectWS("/api/ws", { headers: { cookie: s.cookie, origin: "http://evil.example" } }),
    ).rejects.toThrow("403");
  });
});
