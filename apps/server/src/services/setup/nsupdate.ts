// Signed dynamic updates with BIND's nsupdate (bind9-dnsutils; the container image carries it): the plan's TSIG key
// file is handed over as is when it is in BIND's `key "…" { … };` form, else its content is taken as the secret and
// written to a private temporary key file. The key never reaches a log or an answer; nsupdate's errors do.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Plan } from "@k3s-ha/shared";
import { StepError } from "./driver.js";

async function keyFile(
  plan: Plan,
  planFile: string,
): Promise<{ file: string; cleanup: () => Promise<void> }> {
  const tsig = plan.dns.tsig;
  if (!tsig)
    throw new StepError(
      "the plan names no dns.tsig key: signed updates need one (the zone refuses unsigned ones)",
    );
  const file = resolve(dirname(planFile), tsig.secretFile);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new StepError(
      `cannot read dns.tsig.secretFile ${file} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`,
    );
  }
  if (/^\s*key\s+"/m.test(text)) return { file, cleanup: async () => {} };
  const secret = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret))
    throw new StepError(`dns.tsig.secretFile ${file} is neither a BIND key file nor a base64 secret`);
  const dir = await mkdtemp(join(tmpdir(), "k3s-ha-tsig-"));
  const tmp = join(dir, "tsig.key");
  await writeFile(tmp, `key "${tsig.name}" {\n\talgorithm ${tsig.algorithm};\n\tsecret "${secret}";\n};\n`, {
    mode: 0o600,
  });
  return { file: tmp, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Sends `script` (from renderNsupdate) signed with the plan's key; throws StepError with nsupdate's complaint. */
export async function sendUpdate(
  plan: Plan,
  planFile: string,
  script: string,
  signal: AbortSignal,
): Promise<void> {
  const key = await keyFile(plan, planFile);
  try {
    await new Promise<void>((ok, fail) => {
      const child = execFile(
        "nsupdate",
        ["-k", key.file, "-t", "10"],
        { timeout: 20_000, signal, maxBuffer: 64 * 1024 },
        (err, _stdout, stderr) => {
          if (!err) return ok();
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "ENOENT")
            return fail(
              new StepError("nsupdate is not installed on the console's machine (Debian: bind9-dnsutils)"),
            );
          const said = stderr
            .split("\n")
            .filter((l) => l.trim())
            .slice(-2)
            .join(" ")
            .slice(0, 300);
          fail(new StepError(`the DNS server refused the update${said ? `: ${said}` : ""}`));
        },
      );
      child.stdin?.end(script);
    });
  } finally {
    await key.cleanup();
  }
}
