// The SSH adapter plugin: hosts from the plan, registry commands with the host's platform and sudo, typed parsing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../test/harness.js";
import { startSshServer, type TestSshServer } from "../test/ssh-server.js";
import { hostsFromPlan, type PlanHost, SshError, SshPool } from "./ssh.js";

const SUMMARY = readFileSync(
  join(REPO, "packages/shared/src/frr/fixtures/frr-show-bgp-summary.healthy.frr-8.4.4.json"),
  "utf8",
);

let ssh: TestSshServer;
beforeAll(async () => {
  ssh = await startSshServer((command, stream, done) => {
    if (command.endsWith("vtysh -c 'show bgp summary json'")) {
      stream.write(SUMMARY);
      return done(0);
    }
    stream.stderr.write(`unexpected: ${command}\n`);
    done(127);
  });
});
afterAll(() => ssh.close());

const labPlan = () => {
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml does not validate");
  return r.plan;
};

describe("hostsFromPlan", () => {
  it("names the router and every node, with the platform and sudo the commands need", () => {
    const dir = join(REPO, "examples");
    const hosts = hostsFromPlan(labPlan(), join(dir, "lab.yaml"));
    expect([...hosts.keys()]).toEqual(["router", "node01", "node02", "node03"]);
    // examples/ ships no private key: the host is refused with the path, not silently skipped.
    const router = hosts.get("router");
    expect(router).toBeInstanceOf(SshError);
    expect((router as SshError).message).toMatch(
      /cannot read ssh\.privateKeyFile .*examples\/id_ed25519 \(ENOENT\)/,
    );
  });

  it("reads the key from beside the plan and never puts key material in the connection's identity", () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-ha-ssh-"));
    writeFileSync(join(dir, "id_ed25519"), ssh.clientKey.private);
    try {
      const hosts = hostsFromPlan(labPlan(), join(dir, "plan.yaml"));
      const node = hosts.get("node01") as PlanHost;
      expect(node.target).toEqual({ kind: "node", sudo: false });
      expect((hosts.get("router") as PlanHost).target).toEqual({
        kind: "router",
        platform: "linux-frr",
        sudo: false,
      });
      expect(node.config.host).toBe("2001:db8:1162:79fb::11");
      expect(node.identity).not.toContain(ssh.clientKey.private.slice(40, 80));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hostsFromPlan with known_hosts", () => {
  it("takes the pins for [address]:port from ssh.knownHostsFile when the plan has no hostKey, the plan's pin winning", () => {
    const dir = mkdtempSync(join(tmpdir(), "k3s-ha-kh-"));
    try {
      writeFileSync(join(dir, "id_ed25519"), ssh.clientKey.private);
      writeFileSync(
        join(dir, "known_hosts"),
        `2001:db8:1162:79fb::11 ${ssh.hostKey.public.split(" ").slice(0, 2).join(" ")}\n`,
      );
      const plan = labPlan();
      const n1 = plan.nodes[0];
      const n2 = plan.nodes[1];
      if (!n1 || !n2) throw new Error("lab plan nodes");
      delete n1.ssh.hostKey;
      n1.ssh.knownHostsFile = "./known_hosts";
      delete n2.ssh.hostKey;
      n2.ssh.knownHostsFile = "./missing_known_hosts";
      const hosts = hostsFromPlan(plan, join(dir, "plan.yaml"));
      expect((hosts.get("node01") as PlanHost).config.hostKey).toEqual([
        ssh.hostKey.public.split(" ").slice(0, 2).join(" "),
      ]);
      expect((hosts.get("node02") as SshError).code).toBe("HOST_KEY_UNKNOWN");
      expect((hosts.get("node02") as SshError).message).toMatch(
        /cannot read ssh\.knownHostsFile .*missing_known_hosts \(ENOENT\)/,
      );
      expect((hosts.get("node03") as PlanHost).config.hostKey).toBe(plan.nodes[2]?.ssh.hostKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SshPool", () => {
  const router = (sudo: boolean): PlanHost => ({
    config: {
      name: "router",
      host: "127.0.0.1",
      port: ssh.port,
      user: "admin",
      privateKey: ssh.clientKey.private,
      hostKey: ssh.hostKey.public,
    },
    target: { kind: "router", platform: "pfsense-frr", sudo },
    identity: `router-${sudo}`,
    pin: "plan",
  });

  it("runs the registry's command as pfSense wants it and the registry entry parses the answer", async () => {
    const pool = new SshPool();
    pool.configure(new Map([["router", router(true)]]));
    const out = await pool.exec("router", "frr-show-bgp-summary", {});
    expect(ssh.stats.commands.at(-1)).toBe("sudo -n /usr/local/bin/vtysh -c 'show bgp summary json'");
    const parsed = commands["frr-show-bgp-summary"].parse(out.stdout);
    expect(parsed.ok && parsed.value.families[0]?.peers).toHaveLength(3);
    pool.close();
  });

  it("refuses bad parameters, commands for another kind of host and hosts the plan does not have", async () => {
    const pool = new SshPool();
    pool.configure(
      new Map<string, PlanHost | SshError>([
        ["router", router(false)],
        ["node09", new SshError("AUTH_FAILED", "node09: no key")],
      ]),
    );
    const sent = ssh.stats.commands.length;
    const err = (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: SshError) => `${e.code}: ${e.message}`,
      );
    expect(await err(pool.exec("router", "frr-show-bgp-ipv6-unicast", { range: "::/0; reboot" }))).toMatch(
      /^COMMAND_FAILED: frr-show-bgp-ipv6-unicast: range: not an IPv6 CIDR/,
    );
    expect(await err(pool.exec("router", "calicoctl-node-status", {}))).toMatch(
      /runs on the node, not a router/,
    );
    expect(await err(pool.exec("node42", "calicoctl-node-status", {}))).toBe(
      'HOST_UNREACHABLE: no host "node42" in the plan',
    );
    expect(await err(pool.exec("node09", "calicoctl-node-status", {}))).toBe("AUTH_FAILED: node09: no key");
    expect(ssh.stats.commands.length).toBe(sent); // nothing reached the host
    pool.close();
  });

  it("keeps an unchanged host's connection across a plan reload and replaces a changed one", async () => {
    const pool = new SshPool();
    pool.configure(new Map([["router", router(false)]]));
    const tcp = ssh.stats.tcp;
    await pool.exec("router", "frr-show-bgp-summary", {});
    pool.configure(new Map([["router", router(false)]]));
    await pool.exec("router", "frr-show-bgp-summary", {});
    expect(ssh.stats.tcp - tcp).toBe(1);
    pool.configure(new Map([["router", router(true)]]));
    await pool.exec("router", "frr-show-bgp-summary", {});
    expect(ssh.stats.tcp - tcp).toBe(2);
    pool.configure(new Map());
    expect(pool.names()).toEqual([]);
    pool.close();
  });
});
