// The plan file as an attacker or a careless editor leaves it: huge, not a file, a key file, an alias bomb.
import { execFileSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlanResponse, ServerMessage } from "@k3s-ha/shared";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, signIn, startHarness } from "../test/harness.js";
import { loadPlanFile, MAX_PLAN_BYTES } from "./plan.js";

const BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

function errorText(file: string): string {
  const result = loadPlanFile(file);
  if (result.ok) throw new Error(`${file} loaded`);
  return result.errors.map((e) => e.message).join("\n");
}

describe("loadPlanFile", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("refuses a file over the limit without reading it all, and a /proc file is measured by reading", async () => {
    h = await startHarness();
    const big = join(h.dir, "big.yaml");
    writeFileSync(big, `# ${"x".repeat(20 * 1024 * 1024)}\n`);
    expect(errorText(big)).toContain(`larger than ${MAX_PLAN_BYTES / 1024} KiB`);
    // /proc files report size 0 but hold text: read, not stat, decides (this one is YAML-ish but no plan).
    expect(errorText("/proc/self/status")).not.toContain("larger than");
  });

  it("refuses a FIFO, a device and a directory without hanging", async () => {
    h = await startHarness();
    const fifo = join(h.dir, "plan.fifo");
    execFileSync("mkfifo", [fifo]);
    expect(errorText(fifo)).toContain("it is a FIFO");
    expect(errorText("/dev/zero")).toContain("it is a device");
    expect(errorText(h.dir)).toContain("it is a directory");
    writeFileSync(join(h.dir, "bin.yaml"), Buffer.from([0x61, 0x3a, 0x00, 0x01]));
    expect(errorText(join(h.dir, "bin.yaml"))).toContain("binary");
  });

  it("starts with an alias bomb as the plan, reports it, and recovers when the file is fixed", async () => {
    h = await startHarness({}, { watchPlan: true });
    const good = readFileSync(h.planFile, "utf8");
    writeFileSync(h.planFile, BOMB);
    const s = await signIn(h.app);
    const ws = await h.app.injectWS("/api/ws", { headers: { cookie: s.cookie } });
    const seen: ServerMessage[] = [];
    ws.on("message", (d: Buffer) => seen.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ type: "subscribe", topics: ["plan"] }));
    const waitChanged = async (n: number) => {
      for (let i = 0; i < 250 && seen.filter((m) => m.type === "changed").length < n; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitChanged(1);
    const get = async () => {
      const res = await h?.app.inject({ method: "GET", url: "/api/plan", headers: { cookie: s.cookie } });
      expect(res?.statusCode).toBe(200);
      expect(res?.body.length).toBeLessThan(100_000);
      return res?.json() as PlanResponse;
    };
    const bombed = await get();
    expect(bombed.source.status).toBe("invalid");
    expect(bombed.plan?.metadata.name).toBe("lab"); // the last good plan stays
    expect(bombed.errors[0]?.message).toContain("expands to more than");
    writeFileSync(h.planFile, good);
    await waitChanged(2);
    expect((await get()).source.status).toBe("ok");
    ws.terminate();

    // A console started on the bomb serves errors instead of refusing to start.
    writeFileSync(h.planFile, BOMB);
    const { buildApp } = await import("../app.js");
    const again = await buildApp({
      planFile: h.planFile,
      host: "127.0.0.1",
      port: 0,
      dataDir: join(h.dir, "data2"),
      adminPassword: "another password here",
      announce: () => {},
      logLevel: "silent",
    });
    expect(again.planSource.response()).toMatchObject({ plan: null, source: { status: "invalid" } });
    await again.close();
  });

  it("never answers a symlinked key file's content in GET /api/plan", async () => {
    h = await startHarness();
    const key = join(h.dir, "id_ed25519");
    writeFileSync(
      key,
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    const tsig = join(h.dir, "tsig.key");
    writeFileSync(
      tsig,
      'key "k3s-ha" {\n\talgorithm hmac-sha256;\n\tsecret "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";\n};\n',
    );
    for (const target of [key, tsig]) {
      const link = join(h.dir, `link-${target.endsWith(".key") ? "tsig" : "ssh"}.yaml`);
      symlinkSync(target, link);
      const text = JSON.stringify(loadPlanFile(link));
      expect(text).not.toContain("b3BlbnNzaC1rZXkt");
      expect(text).not.toContain("c2VjcmV0c2Vj");
    }
  });
});
