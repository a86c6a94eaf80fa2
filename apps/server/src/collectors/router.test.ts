// The router collector against an SSH server that answers as the lab's FRR did (its captures): one poll gives the
// named sessions and the plan's routes; the hub publishes only changes; a failure becomes the source's status.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Plan, validatePlan } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Hub } from "../plugins/hub.js";
import { SshPool } from "../plugins/ssh.js";
import { REPO } from "../test/harness.js";
import { hostOn, startSshServer, type TestSshServer } from "../test/ssh-server.js";
import { Poller } from "./poller.js";
import { collectRouter, type RouterSnapshot, routerRanges } from "./router.js";

const FIXTURES = join(REPO, "packages/shared/src/frr/fixtures");
const fixture = (id: string, scenario: string) =>
  readFileSync(
    join(FIXTURES, `${id}.${scenario}.frr-8.4.4.${id === "frr-show-version" ? "txt" : "json"}`),
    "utf8",
  );
const VTYSH: [RegExp, string][] = [
  [/'show version'$/, "frr-show-version"],
  [/'show bgp summary json'$/, "frr-show-bgp-summary"],
  [/'show bgp neighbors json'$/, "frr-show-bgp-neighbors"],
  [/'show bfd peers json'$/, "frr-show-bfd-peers"],
  [/'show bgp ipv6 unicast \S+ longer-prefixes json'$/, "frr-show-bgp-ipv6-unicast"],
  [/'show ipv6 route \S+ longer-prefixes json'$/, "frr-show-ipv6-route"],
];

let ssh: TestSshServer;
let scenario = "healthy";
/** A command this vtysh refuses (as an FRR without bfdd would). */
let refuse: RegExp | undefined;
let plan: Plan;

beforeAll(async () => {
  // vtysh as FRR's: each `-c` in turn, stopping at the first unknown command.
  ssh = await startSshServer((command, stream, done) => {
    const parts = [...command.matchAll(/-c '([^']*)'/g)].map((m) => `'${m[1]}'`);
    for (const part of parts) {
      const id = VTYSH.find(([re]) => re.test(part))?.[1];
      if (!id || refuse?.test(part)) {
        stream.stderr.write(`% Unknown command: ${part}\n`);
        return done(1);
      }
      stream.write(fixture(id, id === "frr-show-version" ? "healthy" : scenario));
    }
    done(parts.length ? 0 : 1);
  });
  const r = validatePlan(parse(readFileSync(join(REPO, "examples/lab.yaml"), "utf8")));
  if (!r.ok) throw new Error("examples/lab.yaml");
  plan = r.plan;
});
afterAll(() => ssh.close());

function pool(): SshPool {
  const p = new SshPool();
  p.configure(
    new Map([["router", hostOn(ssh, "router", { kind: "router", platform: "linux-frr", sudo: false })]]),
  );
  return p;
}

describe("router collector", () => {
  it("asks only for the plan's ranges, and reads sessions, timers and named routes in one poll", async () => {
    expect(routerRanges(plan)).toEqual([
      "2001:db8:1162:79fb:ff00::/112",
      "2001:db8:1162:79fb:ff01::/112",
      "2001:db8:1162:79fb:ff01::1/128",
      "2001:db8:1162:79fb:ffcc::/112",
    ]);
    const p = pool();
    scenario = "healthy";
    const before = ssh.stats.commands.length;
    const snap = await collectRouter(p, plan, new AbortController().signal);
    // Two channels: `show version`, and every JSON command in one vtysh.
    expect(ssh.stats.commands.length - before).toBe(2);
    expect(snap.frrVersion).toBe("8.4.4");
    expect(snap.peers.map((x) => [x.name, x.state, x.holdTimeMs])).toEqual([
      ["node01", "Established", 180_000],
      ["node02", "Established", 180_000],
      ["node03", "Established", 180_000],
    ]);
    const vip = snap.routes.find((r) => r.prefix === "2001:db8:1162:79fb:ff01::1/128");
    expect(vip?.fib.nextHops.map((h) => h.node)).toEqual(["node01", "node02", "node03"]);
    expect(new Set(snap.routes.map((r) => r.prefix)).size).toBe(snap.routes.length);
    const batch = ssh.stats.commands.at(-1) ?? "";
    expect(batch).toMatch(
      /^vtysh -c 'show bgp summary json' -c 'show bgp neighbors json' -c 'show bfd peers json' /,
    );
    expect(batch).toContain("-c 'show bgp ipv6 unicast 2001:db8:1162:79fb:ff01::/112 longer-prefixes json'");
    expect(batch).toContain("-c 'show ipv6 route 2001:db8:1162:79fb:ffcc::/112 longer-prefixes json'");
    expect(batch.includes("show bgp ipv6 unicast json'")).toBe(false); // never the full table
    p.close();
  });

  it("runs the commands one by one when vtysh stops the batch at a failing one, naming it", async () => {
    const p = pool();
    scenario = "healthy";
    refuse = /show bfd peers/;
    const before = ssh.stats.commands.length;
    try {
      await expect(
        collectRouter(p, plan, new AbortController().signal, { knownVersion: "8.4.4" }),
      ).rejects.toMatchObject({
        code: "COMMAND_FAILED",
        message: expect.stringContaining("frr-show-bfd-peers exited 1"),
      });
      // The batch, then its parts on their own (up to 8 at once: the failing one ends the poll).
      const after = ssh.stats.commands.slice(before);
      expect(after[0]).toMatch(/^vtysh -c .* -c /);
      expect(after.slice(1)).toContain("vtysh -c 'show bfd peers json'");
    } finally {
      refuse = undefined;
      p.close();
    }
  });

  it("publishes a change only when the router's answer changed, and shows a dropped session", async () => {
    const hub = new Hub();
    const events: string[] = [];
    hub.subscribe("router", () => events.push("router"));
    const p = pool();
    const poller = new Poller<RouterSnapshot>(hub, "router", 2_000, (signal) =>
      collectRouter(p, plan, signal),
    );
    scenario = "healthy";
    await poller.pollNow();
    await poller.pollNow();
    expect(events).toHaveLength(1);
    scenario = "peer-down";
    await poller.pollNow();
    expect(events).toHaveLength(2);
    const snap = hub.source<RouterSnapshot>("router");
    expect(snap?.status).toBe("ok");
    expect(snap?.data?.peers.find((x) => x.name === "node02")?.state).toBe("Active");
    expect(
      snap?.data?.routes.find((r) => r.prefix.endsWith("ff01::1/128"))?.fib.nextHops.map((h) => h.node),
    ).toEqual(["node01", "node03"]);
    p.close();
  });

  it("turns an SSH failure into the source's status and keeps the last good snapshot", async () => {
    const hub = new Hub();
    const p = pool();
    scenario = "healthy";
    const poller = new Poller<RouterSnapshot>(hub, "router", 2_000, (signal) =>
      collectRouter(p, plan, signal),
    );
    await poller.pollNow();
    const otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7XKPrMJ6d3IsMfWej5GlaSymaaGqhlT0pzanLAGQc+";
    p.configure(
      new Map([
        ["router", hostOn(ssh, "router", { kind: "router", platform: "linux-frr", sudo: false }, otherKey)],
      ]),
    );
    await poller.pollNow();
    const snap = hub.source<RouterSnapshot>("router");
    expect(snap?.status).toBe("host-key-changed");
    expect(snap?.lastError?.code).toBe("HOST_KEY_CHANGED");
    expect(snap?.data?.peers).toHaveLength(3);
    p.close();
  });
});
