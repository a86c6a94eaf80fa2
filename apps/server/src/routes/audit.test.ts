import type { AuditResponse } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

describe("GET /api/audit", () => {
  let h: Harness;
  const get = async (query: string): Promise<AuditResponse> => {
    const res = await h.app.inject({
      method: "GET",
      url: `/api/audit?${query}`,
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  beforeAll(async () => {
    h = await startHarness();
    // The harness already holds the plan's load; add a known mix.
    for (let i = 0; i < 5; i++)
      h.app.audit({ actor: "alice", action: "setup.apply", outcome: "ok", target: `step-${i}` });
    h.app.audit({ actor: "bob", action: "setup.undo", outcome: "failed" });
    h.app.audit({ actor: "alice", action: "failover.run", outcome: "denied" });
  });
  afterAll(async () => h.close());

  it("filters by actor, action (exact or prefix*) and outcome", async () => {
    expect((await get("actor=alice")).entries).toHaveLength(6);
    expect((await get("action=setup.apply")).entries).toHaveLength(5);
    expect((await get("action=setup.*")).entries.map((e) => e.action).sort()).toEqual([
      ...Array(5).fill("setup.apply"),
      "setup.undo",
    ]);
    expect((await get("outcome=failed")).entries.map((e) => e.actor)).toEqual(["bob"]);
    expect((await get("actor=alice&outcome=denied")).entries.map((e) => e.action)).toEqual(["failover.run"]);
    expect((await get("action=plan.load")).entries[0]?.detail).toBe("revision 1: no error findings");
  });

  it("pages with before and says where the next page starts", async () => {
    const first = await get("actor=alice&limit=4");
    expect(first.entries).toHaveLength(4);
    expect(first.nextBefore).toBe(first.entries.at(-1)?.id);
    const second = await get(`actor=alice&limit=4&before=${first.nextBefore}`);
    expect(second.entries).toHaveLength(2);
    expect(second.nextBefore).toBeNull();
    const ids = [...first.entries, ...second.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it("lists the actors and actions for filters, most frequent first", async () => {
    const { facets } = await get("limit=1");
    expect(facets.actors[0]).toBe("alice");
    expect(facets.actions[0]).toBe("setup.apply");
    expect(facets.actors).toContain("plan-file");
  });

  it("refuses an unknown outcome or parameter, naming it", async () => {
    for (const [query, name] of [
      ["outcome=maybe", "outcome"],
      ["limit=0", "limit"],
      ["colour=red", "colour"],
    ]) {
      const res = await h.app.inject({
        method: "GET",
        url: `/api/audit?${query}`,
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain(name);
    }
  });
});
