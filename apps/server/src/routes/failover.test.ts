// The failover routes on the harness (its plan's addresses are never probed here: every request below is refused
// before a probe starts, or reads a run written straight into the store): sign-in and CSRF, a bad body names the
// field, a failed preflight is 409 with its reasons, a run's detail, its CSV (quoted fields, ISO times) and JSON
// export, abort of a finished run refused, delete audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunStore } from "../services/failover/run-store.js";
import { API_TOKEN, type Harness, type Session, signIn, startHarness } from "../test/harness.js";

let h: Harness;
let s: Session;
let runs: RunStore;

beforeAll(async () => {
  h = await startHarness();
  s = await signIn(h.app);
  runs = new RunStore(h.app.store.db);
  runs.create({
    id: "run-1",
    scenario: "hard-fault",
    node: "node02",
    state: "done",
    startedBy: "admin",
    startedAt: "2026-12-01T10:00:00.000Z",
    request: {
      scenario: "hard-fault",
      node: "node02",
      endpoints: ["vip", "node:node02"],
      request: "readyz",
      dial: "go",
      intervalMs: 100,
      timeoutMs: 1000,
      durationS: 10,
      faultS: 2,
    },
    restore: { state: "not-needed", steps: [] },
  });
  runs.update("run-1", { actionAtMs: 1_000, endedAt: "2026-12-01T10:00:10.000Z" });
  runs.addSamples("run-1", [
    {
      seq: 1,
      endpoint: "node:node02",
      mode: "new",
      address: "2001:db8::12",
      startedAtMs: 900,
      durationMs: 3.2,
      outcome: "ok",
    },
    {
      seq: 2,
      endpoint: "node:node02",
      mode: "new",
      address: "2001:db8::12",
      startedAtMs: 1000.5,
      durationMs: 1000,
      outcome: "timeout",
      error: 'no answer, "quoted", within 1000 ms',
    },
    {
      seq: 3,
      endpoint: "node:node02",
      mode: "new",
      address: "2001:db8::12",
      startedAtMs: 3100,
      durationMs: 4,
      outcome: "ok",
    },
  ]);
});
afterAll(() => h?.close());

const withCsrf = () => ({ cookie: s.cookie, "x-csrf-token": s.csrfToken, origin: "http://localhost" });
const post = (url: string, payload: unknown, headers: Record<string, string> = withCsrf()) =>
  h.app.inject({ method: "POST", url, headers, payload: payload as Record<string, unknown> });

describe("failover routes", () => {
  it("need a session (or the API token) and, for changes, the CSRF token", async () => {
    expect((await h.app.inject({ method: "GET", url: "/api/failover/runs" })).statusCode).toBe(401);
    const token = await h.app.inject({
      method: "GET",
      url: "/api/failover/runs",
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(token.statusCode).toBe(200);
    expect(
      (await post("/api/failover/runs", { scenario: "observe", confirm: true }, { cookie: s.cookie }))
        .statusCode,
    ).toBe(403);
  });

  it("answers a bad body with 400 naming the field", async () => {
    const cases: [unknown, RegExp][] = [
      [{ scenario: "observe" }, /confirm/],
      [{ scenario: "melt", confirm: true }, /scenario/],
      [{ scenario: "stop-k3s", confirm: true }, /node/],
      [{ scenario: "hard-fault", node: "node02", confirm: true }, /faultS/],
      [{ scenario: "observe", intervalMs: 10, confirm: true }, /intervalMs/],
      [{ scenario: "observe", durationS: 5, faultS: 9, confirm: true }, /faultS/],
      [{ scenario: "observe", endpoints: ["vip; rm -rf /"], confirm: true }, /endpoints/],
      [{ scenario: "observe", command: "reboot", confirm: true }, /command|Unrecognized/],
    ];
    for (const [body, field] of cases) {
      const r = await post("/api/failover/runs", body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json()).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(field) });
    }
  });

  it("answers a failed preflight with 409 and its reasons, and audits the refusal", async () => {
    const r = await post("/api/failover/runs", { scenario: "stop-k3s", node: "node09", confirm: true });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({
      code: "PREFLIGHT_FAILED",
      details: { reasons: [{ id: "node-not-in-plan", message: "node09 is not a node of the plan" }] },
    });
    const audit = h.app.store.auditEntries(5, undefined, { action: "failover.start" });
    expect(audit[0]).toMatchObject({ outcome: "failed", target: "node09" });
  });

  it("lists runs and shows one with its results from the stored samples", async () => {
    const list = (
      await h.app.inject({ method: "GET", url: "/api/failover/runs", headers: { cookie: s.cookie } })
    ).json();
    expect(list.runs).toEqual([expect.objectContaining({ id: "run-1", state: "done", samples: 3 })]);
    const detail = (
      await h.app.inject({ method: "GET", url: "/api/failover/runs/run-1", headers: { cookie: s.cookie } })
    ).json();
    expect(detail.results).toEqual([
      expect.objectContaining({
        endpoint: "node:node02",
        mode: "new",
        failures: 1,
        downtimeMs: 2099.5,
        intervals: [{ beganAtMs: 1000.5, endedAtMs: 3100, kind: "timeout", failedProbes: 1 }],
        firstFailureAfterMs: 0.5,
        recoveredAfterMs: 2100,
        answeredBy: "node:node02",
      }),
    ]);
    for (const url of ["/api/failover/runs/nope", "/api/failover/runs/..%2F..%2Fetc"])
      expect((await h.app.inject({ method: "GET", url, headers: { cookie: s.cookie } })).statusCode).toBe(
        404,
      );
  });

  it("exports the samples as CSV with quoted fields and ISO times, and the run as JSON", async () => {
    const csv = await h.app.inject({
      method: "GET",
      url: "/api/failover/runs/run-1/samples.csv",
      headers: { cookie: s.cookie },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="failover-run-1.csv"');
    expect(csv.body.split("\r\n")).toEqual([
      "seq,endpoint,mode,address,startedAt,durationMs,outcome,error",
      "1,node:node02,new,2001:db8::12,2026-12-01T10:00:00.900Z,3.2,ok,",
      '2,node:node02,new,2001:db8::12,2026-12-01T10:00:01.000Z,1000,timeout,"no answer, ""quoted"", within 1000 ms"',
      "3,node:node02,new,2001:db8::12,2026-12-01T10:00:03.100Z,4,ok,",
      "",
    ]);
    const json = (
      await h.app.inject({
        method: "GET",
        url: "/api/failover/runs/run-1/export.json",
        headers: { cookie: s.cookie },
      })
    ).json();
    expect(json).toMatchObject({ format: "k3s-ha-failover-run/v1", run: { id: "run-1" } });
    expect(json.samples).toHaveLength(3);
  });

  it("fills the design document's failure table from completed runs", async () => {
    const r = await h.app.inject({
      method: "GET",
      url: "/api/failover/failure-table",
      headers: { cookie: s.cookie },
    });
    expect(r.statusCode).toBe(200);
    const rows = r.json().rows as { id: string; runIds: string[]; vip: unknown; claims: { vip: string } }[];
    expect(rows.map((x) => x.id)).toEqual([
      "single-node-failure",
      "api-process-crash",
      "network-partition",
      "node-restart",
    ]);
    // run-1 is a hard fault that probed node02 only: it counts, but has no VIP or name to show.
    expect(rows[0]).toMatchObject({ runIds: ["run-1"], vip: null, claims: { vip: "<3s (BGP withdrawal)" } });
    expect(rows[1]?.runIds).toEqual([]);
  });

  it("refuses to abort a finished run, and deletes one with an audit entry", async () => {
    const abort = await post("/api/failover/runs/run-1/abort", {});
    expect(abort.statusCode).toBe(409);
    expect(abort.json()).toMatchObject({ code: "RUN_NOT_ACTIVE" });
    const del = await h.app.inject({
      method: "DELETE",
      url: "/api/failover/runs/run-1",
      headers: withCsrf(),
    });
    expect(del.statusCode).toBe(204);
    expect(runs.get("run-1")).toBeUndefined();
    expect(runs.samples("run-1")).toEqual([]);
    expect(h.app.store.auditEntries(1, undefined, { action: "failover.delete" })[0]).toMatchObject({
      actor: "admin",
      outcome: "ok",
    });
    expect(
      (await h.app.inject({ method: "DELETE", url: "/api/failover/runs/run-1", headers: withCsrf() }))
        .statusCode,
    ).toBe(404);
  });
});
