import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCarpStatus } from "./carp.js";

const fixture = (s: string) =>
  readFileSync(
    join(import.meta.dirname, "fixtures", `pfsense-ifconfig.${s}.synthetic-freebsd-14.txt`),
    "utf8",
  );

describe("pfSense CARP status", () => {
  it("reads a backup as standby, a master and a single firewall as not", () => {
    const backup = parseCarpStatus(fixture("carp-backup"));
    expect(backup).toEqual({
      ok: true,
      value: {
        vhids: [{ interface: "vtnet0", state: "BACKUP", vhid: 1, advbase: 1, advskew: 100 }],
        standby: true,
      },
    });
    expect(parseCarpStatus(fixture("carp-master"))).toMatchObject({ ok: true, value: { standby: false } });
    expect(parseCarpStatus(fixture("no-carp"))).toEqual({ ok: true, value: { vhids: [], standby: false } });
  });

  it("is PARSE_FAILED for text that is no ifconfig output", () => {
    const r = parseCarpStatus("sh: ifconfig: not found\n");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: "PARSE_FAILED", commandId: "pfsense-ifconfig" });
  });
});
