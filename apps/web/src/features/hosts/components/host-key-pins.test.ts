import { describe, expect, it } from "vitest";
import { pinWords } from "./host-key-pins";

const host = { name: "node01", address: "2001:db8::11", port: 22, user: "root", pinnedFingerprints: [] };

describe("host key pin words", () => {
  it("tells a pin in the file from one approved in the console, and says who approved it", () => {
    expect(pinWords({ ...host, pin: "plan" }).word).toBe("pinned in the plan file");
    expect(pinWords({ ...host, pin: "known-hosts" }).word).toBe("pinned by known_hosts");
    const approved = pinWords({
      ...host,
      pin: "approved",
      approvedBy: "admin",
      approvedAt: "2026-12-01T10:00:00Z",
    });
    expect(approved.word).toBe("approved in the console");
    expect(approved.detail).toMatch(/^by admin on /);
    expect(pinWords({ ...host, pin: "none" })).toMatchObject({ tone: "warn", word: "not pinned" });
    expect(
      pinWords({ ...host, pin: "plan", error: { code: "KEY_FILE_UNREADABLE", message: "cannot read ./id" } }),
    ).toMatchObject({ tone: "bad", detail: "cannot read ./id" });
  });
});
