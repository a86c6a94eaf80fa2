// The router collector against labs of real daemons (root), one per router kind: the console's own SSH adapter,
// registry and parsers read the lab's FRR over sshd with pinned keys — as root with `vtysh` (linux-frr), as admin with
// `sudo -n /usr/local/bin/vtysh` (pfsense); stopping BIRD on a node shows on /api/bgp/peers and the VIP's path.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  labDown,
  labTopology,
  labUp,
  listNamespaces,
  planFile,
  type RouterKind,
  regenerateRouter,
  setCarpState,
  startBirdAgain,
  stopBirdGracefully,
  uniqueLabName,
  waitForConverged,
} from "@k3s-ha/lab";
import { bgpPeersResponseSchema, bgpRoutesResponseSchema, routeAuditResponseSchema } from "@k3s-ha/shared";
import { Client } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPlanFile } from "../plugins/plan.js";
import { hostsFromPlan } from "../plugins/ssh.js";
import { keyBlob } from "../plugins/ssh-connection.js";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

let h: Harness;
let t: ReturnType<typeof labTopology>;

const get = async (url: string) => {
  const res = await h.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${API_TOKEN}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** Polls the router (bounded) until `accept` holds for the peers and the VIP's FIB next hops. */
async function pollUntil(accept: (peers: Map<string, string>, vipHops: string[]) => boolean): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await h.app.collectors.router.pollNow();
    // The router's sessions only: the nodes' own views of node02 are another source.
    const peers = bgpPeersResponseSchema
      .parse(await get("/api/bgp/peers"))
      .peers.filter((p) => p.source === "router");
    const routes = bgpRoutesResponseSchema.parse(
      await get(`/api/bgp/routes?prefix=${encodeURIComponent(`${t.vip}/128`)}`),
    );
    const hops = routes.routes[0]?.fib.nextHops.map((x) => x.node ?? x.address).sort() ?? [];
    if (accept(new Map(peers.map((p) => [p.name ?? p.address, p.state])), hops)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `the router never showed the expected state: ${JSON.stringify(h.app.hub.source("router"))}`,
  );
}

describe.each<[RouterKind, string]>([
  ["linux-frr", "col"],
  ["pfsense", "colpf"],
])("router collector on a lab with a %s router", (kind, prefix) => {
  const name = uniqueLabName(prefix);

  beforeAll(async () => {
    t = labTopology(name);
    await labUp(name, { preset: "vip", router: kind });
    h = await startHarness({ planFile: planFile(t) });
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await labDown(name);
    expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
  }, 60_000);

  const loadedPlan = () => {
    const loaded = loadPlanFile(planFile(t));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded));
    return loaded.plan;
  };

  it("has the plan the collector reads: the router's platform, user and sudo for this kind", () => {
    expect(loadedPlan().bgp.router).toMatchObject(
      kind === "pfsense"
        ? { platform: "pfsense-frr", ssh: { user: "admin", sudo: true } }
        : { platform: "linux-frr", ssh: { user: "root", sudo: false } },
    );
  });

  it("reads the lab router over SSH with pinned keys: three sessions, the VIP through all three nodes", async () => {
    await waitForConverged(t);
    await pollUntil(
      (peers, hops) => [...peers.values()].every((s) => s === "Established") && hops.length === 3,
    );
    const sources = await get("/api/sources");
    expect(sources.sources.find((s: { id: string }) => s.id === "router")).toMatchObject({ status: "ok" });
    const peers = bgpPeersResponseSchema
      .parse(await get("/api/bgp/peers"))
      .peers.filter((p) => p.source === "router");
    expect(peers.map((p) => p.name)).toEqual(["node01", "node02", "node03"]);
    expect(peers.every((p) => p.holdTimeMs !== undefined && (p.uptimeMs ?? -1) >= 0)).toBe(true);
  });

  it("reads each node's Calico view over SSH: node01's BIRD has the mesh and the router established", async () => {
    const poller = h.app.collectors.nodes.get("node01");
    if (!poller) throw new Error("no node01 poller");
    await poller.pollNow();
    const peers = bgpPeersResponseSchema
      .parse(await get("/api/bgp/peers"))
      .peers.filter((p) => p.source === "node:node01");
    expect(peers.map((p) => [p.name, p.state]).sort()).toEqual([
      ["node02", "Established"],
      ["node03", "Established"],
      ["router", "Established"],
    ]);
    expect(h.app.hub.source("node:node01")?.status).toBe("ok");
  });

  it("shows node02's session down and the VIP losing its path when BIRD stops there, and both back after", async () => {
    await stopBirdGracefully(t, "node02");
    try {
      await pollUntil(
        (peers, hops) => peers.get("node02") !== "Established" && hops.join() === "node01,node03",
      );
      // The audit names the node whose session is down.
      const audit = routeAuditResponseSchema.parse(await get("/api/route-audit"));
      const sessions = audit.checks.find((c) => c.id === "sessions-established");
      expect(sessions?.status).toBe("fail");
      expect(sessions?.message).toMatch(/^node02 (Active|Connect|Idle|OpenSent|OpenConfirm)$/);
      // node01's Calico sees its mesh session to node02 gone as well.
      const node01 = h.app.collectors.nodes.get("node01");
      let mesh: string | undefined;
      for (let i = 0; i < 20 && (mesh === undefined || mesh === "Established"); i++) {
        await node01?.pollNow();
        const all = bgpPeersResponseSchema.parse(await get("/api/bgp/peers")).peers;
        mesh = all.find((p) => p.source === "node:node01" && p.name === "node02")?.state;
        if (mesh === "Established") await new Promise((r) => setTimeout(r, 500));
      }
      expect(mesh).toBeDefined();
      expect(mesh).not.toBe("Established");
    } finally {
      await startBirdAgain(t, "node02");
    }
    await pollUntil((peers, hops) => peers.get("node02") === "Established" && hops.length === 3);
  });

  // ssh2 is patched (patches/ssh2@1.17.0.patch) to make each packet's cipher and MAC from KeyObjects: every cipher
  // and MAC family it offers must still read OpenSSH's bytes exactly, over many packets and window adjustments.
  if (kind === "linux-frr")
    it("reads the same bytes from the router's OpenSSH with every cipher family ssh2 offers", async () => {
      const host = hostsFromPlan(loadedPlan(), planFile(t)).get("router");
      if (!host || host instanceof Error) throw new Error(`no router host: ${String(host)}`);
      const pinned = [host.config.hostKey ?? []].flat().map(keyBlob);
      const file = "/usr/lib/frr/zebra";
      const want = createHash("sha256").update(readFileSync(file)).digest("hex");
      const families: [string, string][] = [
        ["aes128-gcm@openssh.com", "hmac-sha2-256"],
        ["aes256-gcm@openssh.com", "hmac-sha2-256"],
        ["chacha20-poly1305@openssh.com", "hmac-sha2-256"],
        ["aes128-ctr", "hmac-sha2-256"],
        ["aes256-ctr", "hmac-sha2-512-etm@openssh.com"],
      ];
      for (const [cipher, hmac] of families) {
        const got = await new Promise<string>((resolve, reject) => {
          const client = new Client();
          const hash = createHash("sha256");
          const timer = setTimeout(() => {
            client.end();
            reject(new Error(`${cipher}: no answer in 20 s`));
          }, 20_000);
          client.on("error", (err) => {
            clearTimeout(timer);
            reject(new Error(`${cipher}/${hmac}: ${err.message}`));
          });
          client.on("ready", () =>
            client.exec(`cat ${file}`, (err, stream) => {
              if (err) {
                clearTimeout(timer);
                client.end();
                return reject(err);
              }
              stream.on("data", (chunk: Buffer) => hash.update(chunk));
              stream.on("close", () => {
                clearTimeout(timer);
                client.end();
                resolve(hash.digest("hex"));
              });
            }),
          );
          client.connect({
            host: host.config.host,
            port: host.config.port,
            username: host.config.user,
            privateKey: host.config.privateKey,
            hostVerifier: (key: Buffer) => pinned.some((p) => p.equals(key)),
            algorithms: { cipher: [cipher as never], hmac: [hmac as never] },
          });
        });
        expect(got, `${cipher} / ${hmac}`).toBe(want);
      }
    });

  // CARP and the package's regeneration are pfSense's: these tests exist for that kind alone (not skips).
  if (kind === "pfsense")
    it("shows a CARP backup, whose package stops FRR, as standby — not as failing — and recovers on master", async () => {
      await setCarpState(t, "BACKUP");
      try {
        let source = h.app.hub.source("router");
        for (let i = 0; i < 20 && source?.status !== "standby"; i++) {
          await h.app.collectors.router.pollNow();
          source = h.app.hub.source("router");
          if (source?.status !== "standby") await new Promise((r) => setTimeout(r, 250));
        }
        expect(source).toMatchObject({ status: "standby", lastError: { code: "ROUTER_STANDBY" } });
        expect(source?.lastError?.message).toMatch(/CARP backup \(vhid 1 BACKUP on vtnet0\)/);
        const audit = await get("/api/route-audit");
        expect(audit.checks[0]).toMatchObject({ status: "unknown" });
        expect(audit.checks[0].message).toContain("standby");
      } finally {
        await setCarpState(t, "MASTER");
      }
      await pollUntil(
        (peers, hops) => [...peers.values()].every((x) => x === "Established") && hops.length === 3,
      );
      expect(h.app.hub.source("router")?.status).toBe("ok");
    });

  // Only pfSense's package regenerates frr.conf: the test exists for that kind alone (not a skip).
  if (kind === "pfsense")
    it("reads the router again after the package regenerates frr.conf and restarts FRR", async () => {
      await regenerateRouter(t);
      await pollUntil(
        (peers, hops) => [...peers.values()].every((s) => s === "Established") && hops.length === 3,
      );
      expect(h.app.hub.source("router")?.status).toBe("ok");
    });
});
