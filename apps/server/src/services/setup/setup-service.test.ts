// The setup service's rules, with stand-in drivers: every step id has a driver; apply needs the steps it requires,
// a confirmation for risky changes and the cluster's lock (409 while a failover run holds it); a failed apply keeps
// what it did; an apply a restart cut off is reported as failed, audited, and can be applied again; undo waits for
// the steps resting on it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Plan, SETUP_STEPS, type SetupStepId, setupStepIds, validatePlan } from "@k3s-ha/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AppError } from "../../errors.js";
import { SETUP_DRIVERS } from "../../plugins/setup.js";
import { Store } from "../../plugins/store.js";
import { REPO } from "../../test/harness.js";
import { OperationLock } from "../operation-lock.js";
import type { StepContext, StepDriver } from "./driver.js";
import { StepError } from "./driver.js";
import { SetupService } from "./setup-service.js";
import { SetupStore } from "./setup-store.js";

const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
if (!r.ok) throw new Error("examples/lab.yaml");
const plan: Plan = r.plan;

/** A driver whose live state is a variable: applying sets it, undo clears it. */
function fake(id: SetupStepId, opts: { risky?: boolean; fail?: string } = {}) {
  const state = { live: false, applies: 0 };
  const driver: StepDriver = {
    id,
    async plan() {
      return {
        changes: [
          {
            kind: "kubernetes",
            target: "kubernetes",
            object: `Thing ${id}`,
            action: state.live ? "unchanged" : "create",
            diff: "",
            ...(opts.risky ? { risky: true } : {}),
          },
        ],
        satisfied: state.live,
        refusals: [],
      };
    },
    async apply(ctx) {
      state.applies++;
      ctx.progress(`wrote ${id}`);
      if (opts.fail) throw new StepError(opts.fail, [`wrote ${id}`], { partial: true });
      state.live = true;
      return { applied: { id }, previous: null, message: `applied ${id}` };
    },
    async verify() {
      return [{ id: "live", title: "live", ok: state.live, severity: "error", evidence: String(state.live) }];
    },
    async holds() {
      return state.live;
    },
    async undo() {
      state.live = false;
      return `undid ${id}`;
    },
  };
  return { driver, state };
}

let dir: string;
let store: Store;
let audit: { action: string; outcome: string; detail?: string }[];
let lock: OperationLock;

function service(drivers: Partial<Record<SetupStepId, StepDriver>>) {
  return new SetupService({
    store: new SetupStore(store.db),
    lock,
    drivers,
    plan: () => plan,
    context: (p, signal, progress) =>
      ({
        plan: p,
        planFile: "",
        signal,
        progress,
        refresh: async () => {},
        record: () => undefined,
      }) as unknown as StepContext,
    publish: () => {},
    audit: (action, _user, _target, outcome, detail) =>
      audit.push({ action, outcome, ...(detail ? { detail } : {}) }),
    log: () => {},
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "k3s-ha-setup-"));
  store = new Store(join(dir, "db"));
  audit = [];
  lock = new OperationLock();
});
afterEach(() => {
  store.db.close();
  rmSync(dir, { recursive: true, force: true });
});

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return "resolved";
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
};

describe("the setup service", () => {
  it("has a driver for every step, and every manual step has nothing to apply", () => {
    expect(Object.keys(SETUP_DRIVERS).sort()).toEqual([...setupStepIds].sort());
    for (const id of setupStepIds)
      if (SETUP_STEPS[id].manual === "always") expect(SETUP_DRIVERS[id]?.apply).toBeUndefined();
  });

  it("applies once the required steps are done, confirmed when risky, then is satisfied and changes nothing", async () => {
    const pre = fake("preflight");
    const cfg = fake("bgp-config", { risky: true });
    const s = service({ preflight: { ...pre.driver, apply: undefined }, "bgp-config": cfg.driver });
    expect(await code(s.apply("bgp-config", { confirm: true }, "admin"))).toBe("STEP_BLOCKED");
    pre.state.live = true;
    await s.verify("preflight", "admin");
    expect(await code(s.apply("bgp-config", {}, "admin"))).toBe("CONFIRMATION_REQUIRED");
    expect(cfg.state.applies).toBe(0);
    const done = await s.apply("bgp-config", { confirm: true }, "admin");
    expect(done).toMatchObject({ ok: true, message: "applied bgp-config" });
    expect(done.step.status).toBe("verified");
    expect(audit.filter((a) => a.action === "setup.apply")).toMatchObject([{ outcome: "ok" }]);
    const again = await s.apply("bgp-config", { confirm: true }, "admin");
    expect(again.message).toBe("nothing to change");
    expect(cfg.state.applies).toBe(1);
    // Someone reverts it: drifted.
    cfg.state.live = false;
    expect((await s.step("bgp-config")).status).toBe("drifted");
  });

  it("answers 409 OPERATION_IN_PROGRESS while a failover run holds the cluster", async () => {
    const pool = fake("preflight");
    const s = service({
      preflight: { ...pool.driver, apply: undefined },
      "dns-round-robin": fake("dns-round-robin").driver,
    });
    pool.state.live = true;
    await s.verify("preflight", "admin");
    const release = lock.acquire({ kind: "failover-run", id: "r1", user: "ops", what: "stop-k3s on node02" });
    expect(await code(s.apply("dns-round-robin", { confirm: true }, "admin"))).toBe("OPERATION_IN_PROGRESS");
    expect((await s.steps()).operation).toMatchObject({ kind: "failover-run", user: "ops" });
    release();
    expect((await s.apply("dns-round-robin", { confirm: true }, "admin")).ok).toBe(true);
  });

  it("keeps what a failed apply did, and reports an apply a restart cut off as failed with its progress", async () => {
    const pre = fake("preflight");
    pre.state.live = true;
    const broken = fake("dns-round-robin", { fail: "the DNS server refused the update: NOTAUTH" });
    const s = service({ preflight: { ...pre.driver, apply: undefined }, "dns-round-robin": broken.driver });
    await s.verify("preflight", "admin");
    const failed = await s.apply("dns-round-robin", { confirm: true }, "admin");
    expect(failed).toMatchObject({ ok: false, message: "the DNS server refused the update: NOTAUTH" });
    expect(failed.step).toMatchObject({ status: "failed", progress: ["wrote dns-round-robin"] });
    expect(audit.at(-1)).toMatchObject({ action: "setup.apply", outcome: "failed" });
    expect(audit.at(-1)?.detail).toContain("done before the failure: wrote dns-round-robin");
    // A console killed half-way through an apply leaves the record applying.
    const records = new SetupStore(store.db);
    const rec = records.get("dns-round-robin");
    if (!rec) throw new Error("no record");
    records.put({ ...rec, state: "applying", progress: ["wrote half of it"] });
    const restarted = service({
      preflight: { ...pre.driver, apply: undefined },
      "dns-round-robin": fake("dns-round-robin").driver,
    });
    restarted.recoverInterrupted();
    const after = await restarted.step("dns-round-robin");
    expect(after.status).toBe("failed");
    expect(after.last?.message).toContain(
      "interrupted: the console stopped during this apply; done before: wrote half of it",
    );
    expect(audit.at(-1)).toMatchObject({ action: "setup.apply", outcome: "failed" });
    // Resumable: applying again finishes it.
    expect((await restarted.apply("dns-round-robin", { confirm: true }, "admin")).step.status).toBe(
      "verified",
    );
  });

  it("undoes in reverse: a step others rest on waits for them", async () => {
    const pre = fake("preflight");
    pre.state.live = true;
    const mb = fake("metallb");
    const pool = fake("pool");
    const s = service({
      preflight: { ...pre.driver, apply: undefined },
      metallb: mb.driver,
      pool: pool.driver,
    });
    await s.verify("preflight", "admin");
    await s.apply("metallb", {}, "admin");
    await s.apply("pool", {}, "admin");
    expect(await code(s.undo("metallb", {}, "admin"))).toBe("STEP_REQUIRED_BY");
    expect((await s.undo("pool", {}, "admin")).ok).toBe(true);
    expect((await s.undo("metallb", {}, "admin")).message).toBe("undid metallb");
    expect(audit.filter((a) => a.action === "setup.undo")).toHaveLength(2);
    expect(await code(s.undo("metallb", {}, "admin"))).toBe("STEP_NOT_UNDOABLE");
  });

  it("keeps what an apply has written as it goes: a console killed half-way still knows what to undo", async () => {
    const pre = fake("preflight");
    pre.state.live = true;
    let release: (v?: unknown) => void = () => {};
    const gate = new Promise((r) => {
      release = r;
    });
    const undone: unknown[] = [];
    const slow: StepDriver = {
      ...fake("dns-round-robin").driver,
      async apply(ctx) {
        ctx.keep?.({ wrote: ["node01"] });
        ctx.progress("wrote node01");
        await gate;
        throw new StepError("stopped", []);
      },
      async undo(_ctx, rec) {
        undone.push(rec.applied);
        return "undid";
      },
    };
    const s = service({ preflight: { ...pre.driver, apply: undefined }, "dns-round-robin": slow });
    await s.verify("preflight", "admin");
    const running = s.apply("dns-round-robin", { confirm: true }, "admin");
    const records = new SetupStore(store.db);
    for (let i = 0; i < 100 && records.get("dns-round-robin")?.progress.length !== 1; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(records.get("dns-round-robin")).toMatchObject({
      state: "applying",
      applied: { wrote: ["node01"] },
    });
    // The console dies here: the next one finds the record as it was, with what was written.
    lock = new OperationLock();
    const next = service({ preflight: { ...pre.driver, apply: undefined }, "dns-round-robin": slow });
    next.recoverInterrupted();
    expect((await next.step("dns-round-robin")).status).toBe("failed");
    expect((await next.undo("dns-round-robin", { confirm: true }, "admin")).ok).toBe(true);
    expect(undone).toEqual([{ wrote: ["node01"] }]);
    release();
    await running;
  });

  it("refuses an undo that cannot put back what was there before, unless forced and confirmed", async () => {
    const pre = fake("preflight");
    pre.state.live = true;
    const dns = fake("dns-round-robin");
    let undos = 0;
    const s = service({
      preflight: { ...pre.driver, apply: undefined },
      "dns-round-robin": {
        ...dns.driver,
        async undoRefusals() {
          return ["node01: the file there before is not the console's"];
        },
        async undo() {
          undos++;
          return "removed it";
        },
      },
    });
    await s.verify("preflight", "admin");
    await s.apply("dns-round-robin", { confirm: true }, "admin");
    const refused = await s.undo("dns-round-robin", { confirm: true }, "admin").catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "UNDO_REFUSED", statusCode: 409 });
    expect((refused as Error).message).toContain("node01: the file there before is not the console's");
    expect(await code(s.undo("dns-round-robin", { force: true }, "admin"))).toBe("CONFIRMATION_REQUIRED");
    expect(undos).toBe(0);
    expect(audit.filter((a) => a.action === "setup.undo")).toHaveLength(0);
    expect((await s.step("dns-round-robin")).status).toBe("verified");
    const forced = await s.undo("dns-round-robin", { confirm: true, force: true }, "admin");
    expect(forced).toMatchObject({ ok: true, message: "removed it" });
    expect(undos).toBe(1);
    expect(audit.filter((a) => a.action === "setup.undo")).toMatchObject([{ outcome: "ok" }]);
  });
});
