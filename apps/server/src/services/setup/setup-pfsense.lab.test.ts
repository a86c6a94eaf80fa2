// The guided setup on a lab whose router is pfSense-like (its FRR configuration generated from the package's GUI
// settings, vtysh changes lost): option 1 from `--preset before`, where the router step is manual — it shows the
// GUI settings to change, refuses to apply, fails Verify until the operator has saved them, then passes; afterwards the
// router has the VIP /128 from each server, and a graceful-maintenance run costs no new connection through the VIP
// but, rarely, one in its handshake that the router's ECMP rehash moves as the path leaves or returns.
import { labTopology, saveNeighbourTimers, uniqueLabName } from "@k3s-ha/lab";
import {
  bestRouteFor,
  type RouterSnapshot,
  type SetupActionResult,
  type SetupStepId,
  setupActionResultSchema,
  setupPreviewSchema,
} from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../../test/harness.js";
import {
  auth,
  type LabConsole,
  runToEnd,
  startLabConsole,
  stopLabConsole,
  until,
} from "../../test/lab-console.js";

const name = uniqueLabName("setpf");
let lab: LabConsole;
let t: LabConsole["t"];
let h: Harness;

const post = (url: string, payload: Record<string, unknown> = {}) =>
  h.app.inject({ method: "POST", url, headers: auth, payload });

async function act(id: SetupStepId, action: "apply" | "verify"): Promise<SetupActionResult> {
  const r = await post(`/api/setup/steps/${id}/${action}`, action === "verify" ? {} : { confirm: true });
  expect(r.statusCode, r.body).toBe(200);
  return setupActionResultSchema.parse(r.json());
}

beforeAll(async () => {
  lab = await startLabConsole(
    name,
    { preset: "before", fastControllers: true, router: "pfsense" },
    { dns: true, converged: { prefixes: [labTopology(name).serviceCidr] } },
  );
  ({ t, h } = lab);
}, 240_000);

afterAll(() => stopLabConsole(lab, name), 60_000);

describe(`the guided setup with a pfSense router (${name})`, () => {
  it("option 1 with the router step done in pfSense's GUI: every step verified", async () => {
    expect((await act("preflight", "verify")).ok).toBe(true);
    for (const id of ["metallb", "pool", "bgp-config", "bgp-filter"] as const) {
      const r = await act(id, "apply");
      expect(r.ok, `${id}: ${r.message}`).toBe(true);
    }

    // The router step: instructions, never a vtysh write.
    const p = setupPreviewSchema.parse((await post("/api/setup/steps/router/preview")).json());
    expect(p.step.manual).toBe(true);
    expect(p.changes).toEqual([]);
    expect(p.instructions?.join("\n")).toContain("Keep Alive 3 s and Hold Time 9 s");
    expect(p.instructions?.join("\n")).toContain("no maximum-paths");
    const refused = await post("/api/setup/steps/router/apply", { confirm: true });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: "STEP_MANUAL" });
    const before = await act("router", "verify");
    expect(before.ok).toBe(false);
    expect(before.checks.find((c) => c.id === "hold-time-node01")?.evidence).toContain("hold 180 s");

    // The operator saves the neighbours' timers in the GUI; the package regenerates FRR's configuration.
    await saveNeighbourTimers(t, { keepaliveS: 3, holdS: 9 });
    const after = await until("the sessions to come back with a 9 s hold time", async () => {
      const r = await act("router", "verify");
      return r.ok ? r : undefined;
    });
    expect(after.step.status).toBe("verified");
    // No maximum-paths in the GUI: all VIP traffic goes to one server, said as a warning.
    const shared = after.checks.find((c) => c.id === "vip-load-shared");
    expect(shared?.severity).toBe("warning");

    for (const id of ["apiserver-config", "api-service", "dns-vip"] as const) {
      const r = await act(id, "apply");
      expect(
        r.ok,
        `${id}: ${r.message} ${r.checks
          .filter((c) => !c.ok)
          .map((c) => c.evidence)
          .join("; ")}`,
      ).toBe(true);
      expect(r.step.status).toBe("verified");
    }
    expect((await act("kubeconfig", "verify")).ok).toBe(true);
    const audit = (await h.app.inject({ method: "GET", url: "/api/route-audit", headers: auth })).json() as {
      checks: { id: string; status: string; severity: string }[];
    };
    expect(audit.checks.filter((c) => c.severity === "error" && c.status !== "pass")).toEqual([]);
  });

  it("leaves the VIP /128 from each server on the router, and graceful maintenance costs no new connection", async () => {
    await h.app.collectors.router.pollNow();
    const route = bestRouteFor(h.app.hub.source<RouterSnapshot>("router")?.data?.routes ?? [], t.vip);
    expect(route?.prefix).toBe(`${t.vip}/128`);
    expect([...new Set(route?.paths.filter((p) => p.valid).map((p) => p.node))].sort()).toEqual([
      "node01",
      "node02",
      "node03",
    ]);
    const run = await runToEnd(
      h.app,
      { scenario: "graceful-maintenance", node: "node02", endpoints: ["vip"], durationS: 40, faultS: 8 },
      150_000,
    );
    expect(run.state, run.error ?? "").toBe("done");
    const vip = run.results.find((r) => r.endpoint === "vip" && r.mode === "new");
    expect(vip?.failures, JSON.stringify(vip?.intervals)).toBe(vip?.rehashFailures);
    expect(vip?.rehashFailures).toBeLessThanOrEqual(2);
  });
});
