import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Store } from "./store.js";

describe("store", () => {
  const dirs: string[] = [];
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-ha-store-"));
    dirs.push(dir);
    return join(dir, "console.db");
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("migrates a new database once and keeps data across reopening", () => {
    const file = open();
    const a = new Store(file);
    expect(a.schemaVersion()).toBe(6);
    a.audit({ actor: "admin", action: "plan.lint", outcome: "ok" });
    a.close();
    const b = new Store(file);
    expect(b.schemaVersion()).toBe(6);
    expect(b.auditEntries(10)).toHaveLength(1);
    b.close();
  });

  it("lists audit entries newest first with paging", () => {
    const s = new Store(open());
    for (const action of ["a", "b", "c"]) s.audit({ actor: "admin", action, outcome: "ok", target: "plan" });
    const page1 = s.auditEntries(2);
    expect(page1.map((e) => e.action)).toEqual(["c", "b"]);
    expect(s.auditEntries(2, page1[1]?.id).map((e) => e.action)).toEqual(["a"]);
    expect(page1[0]).toMatchObject({ actor: "admin", target: "plan", outcome: "ok", detail: null });
    s.close();
  });

  it("stores no CSRF token beside the session hash", () => {
    const s = new Store(open());
    const columns = (s.db.prepare("PRAGMA table_info(sessions)").all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).toEqual(["token_hash", "user", "created_at", "expires_at"]);
    s.close();
  });

  it("refuses an audit outcome outside ok/denied/failed", () => {
    const s = new Store(open());
    expect(() => s.audit({ actor: "x", action: "y", outcome: "maybe" as "ok" })).toThrow(/CHECK constraint/);
    s.close();
  });

  it("expires sessions and deletes them with their user's sign-out", () => {
    const s = new Store(open());
    s.setUserPassword("admin", "hash");
    s.createSession("live", "admin", 60_000);
    s.createSession("dead", "admin", -1);
    expect(s.session("live")).toMatchObject({ user: "admin" });
    expect(s.session("dead")).toBeUndefined();
    expect(s.deleteSessionsOf("admin")).toBe(1);
    expect(s.session("live")).toBeUndefined();
    s.close();
  });
});
