import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LAB_PLAN, REPO } from "../test/harness.js";

const dir = mkdtempSync(join(tmpdir(), "k3s-ha-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the real CLI entry point the way `pnpm -s k3s-ha` does. */
function k3sHa(...args: string[]) {
  const res = spawnSync(process.execPath, ["--import", "tsx", "apps/server/src/cli.ts", ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 30_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

// Each case starts the CLI (tsx) a few times: seconds apiece on a loaded machine, so the cases get a minute.
describe("k3s-ha plan lint", { timeout: 60_000 }, () => {
  it("exits 0 for the lab plan and prints a table", () => {
    const r = k3sHa("plan", "lint", "examples/lab.yaml");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SEVERITY\s+RULE\s+MESSAGE/);
    expect(r.stdout).toContain("0 error(s), 0 warning(s)");
  });

  it("exits 1 for the design document and prints findings as JSON with --json", () => {
    const r = k3sHa("plan", "lint", "examples/design-document.yaml", "--json");
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as { id: string; severity: string; paths: string[]; fix: string }[];
    const vip = findings.find((f) => f.id === "vip-in-service-range");
    expect(vip).toMatchObject({
      severity: "error",
      paths: expect.arrayContaining(["network.apiVip", "network.serviceCidr"]),
    });
    expect(vip?.fix.length).toBeGreaterThan(10);
    expect(findings.every((f) => ["error", "warning", "info"].includes(f.severity))).toBe(true);
  });

  it("exits 2 for an invalid file and names every error with path, value and line", () => {
    const file = join(dir, "broken.yaml");
    const text = readFileSync(LAB_PLAN, "utf8")
      .replace("clusterAsn: 65010", "clusterAsn: sixty-five")
      .replace("port: 5353", "port: 99999")
      .replace("onLink: false", "onLink: false\n  passwrd: hunter2");
    writeFileSync(file, text);
    const r = k3sHa("plan", "lint", file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("is not a valid plan (3 error(s))");
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: bgp\.clusterAsn: expected number \(got "sixty-five"\)/);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: dns\.port: .*\(got 99999\)/);
    expect(r.stderr).toMatch(/network: unknown field "passwrd"/);
  });

  it("exits 2 with an error, not a crash, for an alias bomb, a FIFO and a key file", () => {
    const bomb = join(dir, "bomb.yaml");
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of [..."bcdefghi"].entries()) {
      const prev = "abcdefghi"[i];
      lines.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(",")}]`);
    }
    writeFileSync(bomb, `${lines.join("\n")}\n`);
    const fifo = join(dir, "plan.fifo");
    spawnSync("mkfifo", [fifo]);
    const key = join(dir, "id_ed25519");
    writeFileSync(
      key,
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    for (const [file, expected] of [
      [bomb, "expands to more than"],
      [fifo, "it is a FIFO"],
      [key, "is not a valid plan"],
    ] as const) {
      const r = k3sHa("plan", "lint", file, "--json");
      expect(r.code, file).toBe(2);
      expect(r.stderr).toContain(expected);
      expect(r.stderr + r.stdout).not.toContain("b3BlbnNzaC1rZXkt");
    }
  });

  it("exits 2 for a missing file and for bad usage", () => {
    const missing = k3sHa("plan", "lint", join(dir, "nope.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("file not found");
    const usage = k3sHa("plan", "lint");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("plan lint needs exactly one FILE");
  });
});
