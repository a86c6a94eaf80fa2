// A real BIND9 (named) on [::1] for tests: one primary zone from records given, updates allowed from ::1 (nsupdate
// without a key), stopped and removed afterwards. Files live under /var/lib/bind where Debian's AppArmor lets named
// read them.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestNamed {
  port: number;
  /** Runs nsupdate commands against the zone (`update add …`, `update delete …`). */
  update(commands: string[]): void;
  stop(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket("udp6");
  await new Promise<void>((resolve) => s.bind(0, "::1", resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function startNamed(zone: string, records: string[], ttl = 60): Promise<TestNamed> {
  const base = existsSync("/var/lib/bind") ? "/var/lib/bind" : tmpdir();
  const dir = mkdtempSync(join(base, "k3s-ha-test-"));
  const port = await freeUdpPort();
  writeFileSync(
    join(dir, "zone"),
    `$TTL ${ttl}\n@ IN SOA ns1.${zone}. hostmaster.${zone}. ( 1 3600 600 86400 ${ttl} )\n@ IN NS ns1.${zone}.\nns1 IN AAAA ::1\n${records.join("\n")}\n`,
  );
  writeFileSync(
    join(dir, "named.conf"),
    `options { directory "${dir}"; pid-file "${dir}/named.pid"; session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}"; listen-on { none; }; listen-on-v6 port ${port} { ::1; };
  recursion no; dnssec-validation no; notify no; };
controls { };
zone "${zone}" { type primary; file "${dir}/zone"; allow-update { ::1; }; };
`,
  );
  const child: ChildProcess = spawn("named", ["-g", "-c", join(dir, "named.conf")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!log.includes("running")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`named did not start: ${log.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    update(commands) {
      execFileSync("nsupdate", [], {
        input: [`server ::1 ${port}`, `zone ${zone}`, ...commands, "send", ""].join("\n"),
        timeout: 10_000,
      });
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
