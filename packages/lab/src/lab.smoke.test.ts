// Smoke test of a real lab (root): BGP, ECMP, pod filter, DNS, SSH with pinned keys, k3s stand-in TLS and rotation.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { caFiles } from "./ca.js";
import { dig } from "./daemons/bind.js";
import { vtyshJson } from "./daemons/frr.js";
import { hostKey } from "./daemons/sshd.js";
import { run, waitFor } from "./exec.js";
import { startK3s, stopK3s } from "./faults.js";
import { createKubeApi, type KubeClient, R } from "./kube/index.js";
import { adminCertFiles } from "./kube-lab.js";
import { kubeDbFile } from "./kube-state.js";
import { labDown, labStatusOf, labUp } from "./lab.js";
import { listNamespaces } from "./netns.js";
import { fibNextHops, fibRoutesWithin, peerStates, waitForConverged } from "./routes.js";
import { HostKeyMismatchError, sshExec } from "./ssh.js";
import { dynamicCertFile } from "./standin/dynamic-cert.js";
import { standinConfig } from "./standin/wrappers.js";
import type { LabStatus } from "./state.js";
import { readPlan, sshTarget, tlsProbe, uniqueLabName } from "./testing.js";
import { labTopology, namespaces } from "./topology.js";

const exec = promisify(execFile);
const REPO = new URL("../../../", import.meta.url).pathname;

/** The lab's shared store, opened for one look or write (as calico-node opens it). */
function withStore<T>(fn: (client: KubeClient) => T): T {
  const kube = createKubeApi({
    dbFile: kubeDbFile(t),
    config: { serviceCidr: t.serviceCidr },
    compactIntervalMs: 0,
  });
  try {
    return fn(kube.client);
  } finally {
    kube.close();
  }
}
const name = uniqueLabName("smoke");
const t = labTopology(name);
let status: LabStatus;

type BgpRoute = { routes?: Record<string, { peerId: string; bestpath?: boolean; multipath?: boolean }[]> };

beforeAll(async () => {
  // The HA configuration (option 1): calico-node advertises the VIP and filters the pod routes.
  status = await labUp(name, { preset: "vip" });
}, 120_000);

afterAll(async () => {
  await labDown(name);
  const left = (await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`));
  expect(left).toEqual([]);
  expect(existsSync(t.stateDir)).toBe(false);
}, 60_000);

describe(`lab smoke (${name})`, () => {
  it("reports itself up with absolute paths, and `up` again changes nothing", async () => {
    expect(status).toMatchObject({ name, up: true, stateDir: t.stateDir });
    for (const p of [status.stateDir, status.plan, status.kubeconfig]) expect(p.startsWith("/")).toBe(true);
    const key = await hostKey(t.nodes[0] ?? t.router);
    const again = await labUp(name);
    expect(again.up).toBe(true);
    expect(await hostKey(t.nodes[0] ?? t.router)).toBe(key);
    expect((await labStatusOf(name)).up).toBe(true);
  });

  it("writes a plan the console's linter accepts with no error and no warning, with the real host keys", async () => {
    const { stdout } = await exec("pnpm", ["-s", "k3s-ha", "plan", "lint", status.plan, "--json"], {
      cwd: REPO,
    });
    const findings = JSON.parse(stdout) as { severity: string }[];
    expect(findings.filter((f) => f.severity !== "info")).toEqual([]);
    const plan = readPlan(status.plan);
    expect(plan.bgp.router.ssh.hostKey).toBe(await hostKey(t.router));
    expect(plan.dns.tsig?.secretFile).toBe(status.tsigKey);
    expect(readFileSync(status.tsigKey, "utf8")).toContain('key "ha-console"');
  });

  it("has three established BGP sessions on the router", async () => {
    const states = await peerStates(t);
    expect(states).toEqual(Object.fromEntries(t.nodes.map((n) => [n.address, "Established"])));
  });

  it("has three paths for the VIP and for the service range (FIB next hops and BGP multipath)", async () => {
    await waitForConverged(t);
    for (const prefix of [`${t.vip}/128`, t.serviceCidr]) {
      expect(await fibNextHops(t, prefix)).toBe(3);
      const r = await vtyshJson<{
        paths?: { peer: { peerId: string }; multipath?: boolean; bestpath?: unknown }[];
      }>(t, `show bgp ipv6 unicast ${prefix} json`);
      const selected = (r.paths ?? []).filter((p) => p.multipath || p.bestpath);
      expect(new Set(selected.map((p) => p.peer.peerId))).toEqual(new Set(t.nodes.map((n) => n.address)));
    }
  });

  it("lets no route inside the pod range reach the router", async () => {
    const bgp = await vtyshJson<BgpRoute>(t, `show bgp ipv6 unicast ${t.podCidr} longer-prefixes json`);
    expect(Object.keys(bgp.routes ?? {})).toEqual([]);
    expect(await fibRoutesWithin(t, t.podCidr)).toEqual([]);
    // …while each node does hold its /122 block (as Calico's BIRD does).
    const node = t.nodes[0];
    if (!node) throw new Error("no node");
    const held = await run(
      "birdc",
      ["-s", `${node.dir}/bird/bird.ctl`, "show", "route", "for", node.podBlock],
      { ns: node.ns },
    );
    expect(held.stdout).toContain(node.podBlock);
  });

  it("answers three AAAA records for the round-robin name and one for the VIP name", async () => {
    const rr = (await dig(t, "AAAA", t.dns.roundRobinName)).trim().split("\n").sort();
    expect(rr).toEqual(t.nodes.map((n) => n.address).sort());
    expect((await dig(t, "AAAA", t.dns.vipName)).trim()).toBe(t.vip);
  });

  it("runs vtysh over SSH with the pinned host key, as on pfSense", async () => {
    const plan = readPlan(status.plan);
    const r = await sshExec(sshTarget(plan, "router"), "vtysh -c 'show bgp summary json'");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      ipv6Unicast: { peers: Record<string, { state: string }>; as: number };
    };
    expect(summary.ipv6Unicast.as).toBe(65101);
    expect(Object.values(summary.ipv6Unicast.peers).map((p) => p.state)).toEqual([
      "Established",
      "Established",
      "Established",
    ]);
  });

  it("refuses a connection whose host key is not the pinned one", async () => {
    const plan = readPlan(status.plan);
    const wrong = { ...sshTarget(plan, "node01"), hostKey: await hostKey(t.router) };
    await expect(sshExec(wrong, "true")).rejects.toBeInstanceOf(HostKeyMismatchError);
  });

  it("prints `calicoctl node status` and `birdc show protocols` over SSH", async () => {
    const target = sshTarget(readPlan(status.plan), "node02");
    const calico = await sshExec(target, "calicoctl node status");
    expect(calico.stdout).toMatch(
      /^Calico process is running\.\n\nIPv4 BGP status\nNo IPv4 peers found\.\n\nIPv6 BGP status\n\+-+/,
    );
    expect(calico.stdout).toMatch(
      new RegExp(
        `\\| ${t.router.address.replaceAll(".", "\\.")} +\\| global +\\| up +\\| [0-9:]+ +\\| Established \\|`,
      ),
    );
    expect(calico.stdout.match(/node-to-node mesh/g)).toHaveLength(2);
    const bird = await sshExec(target, "birdc show protocols");
    expect(bird.stdout).toMatch(/Global_\S+ +BGP +--- +up/);
    // Calico v3.31's template order (the lab's default version): the mesh first, then the global peer.
    const kinds = [...bird.stdout.matchAll(/^(Global|Mesh|Node)_/gm)].map((m) => m[1]);
    expect(kinds).toEqual(["Mesh", "Mesh", "Global"]);
    // calicoctl lists BIRD's protocols in that order too.
    const peerRows = [...calico.stdout.matchAll(/\| (node-to-node mesh|global) +\|/g)].map((m) => m[1]);
    expect(peerRows).toEqual(["node-to-node mesh", "node-to-node mesh", "global"]);
  });

  it("serves /readyz, /livez, /healthz and /version on every node and on the VIP, with a certificate from the lab CA", async () => {
    const ca = readFileSync(caFiles(t.stateDir).cert);
    const admin = adminCertFiles(t);
    const client = { cert: readFileSync(admin.cert), key: readFileSync(admin.key) };
    for (const host of [...t.nodes.map((n) => n.address), t.vip]) {
      // Anonymous auth is off in k3s; the nodes' AuthenticationConfiguration opens /readyz and /livez only.
      for (const path of ["/readyz", "/livez"])
        expect(await fetchTls(host, path, ca)).toEqual({ status: 200, body: "ok" });
      expect((await fetchTls(host, "/healthz", ca)).status).toBe(401);
      expect(await fetchTls(host, "/healthz", ca, client)).toEqual({ status: 200, body: "ok" });
      // /version is the Kubernetes API's: it wants credentials (the kubeconfig's admin certificate).
      const version = JSON.parse((await fetchTls(host, "/version", ca, client)).body) as {
        gitVersion: string;
      };
      expect(version.gitVersion).toMatch(/\+k3s/);
      // k3s's supervisor answers /ping and /cacerts before any authentication (pkg/server/router.go).
      expect(await fetchTls(host, "/ping", ca)).toEqual({ status: 200, body: "pong" });
      const cacerts = await fetchTls(host, "/cacerts", ca);
      expect(cacerts.status).toBe(200);
      expect(cacerts.body).toBe(ca.toString());
    }
  });

  it("serves one certificate on every server and the VIP: every server's k3s defaults plus the tls-san", async () => {
    const target = sshTarget(readPlan(status.plan), "node01");
    const config = (await sshExec(target, "cat /etc/rancher/k3s/config.yaml")).stdout;
    const tlsSan = ((parse(config) as { "tls-san"?: string[] })["tls-san"] ?? []).map(String);
    expect(tlsSan).toContain(t.vip);
    const ca = caFiles(t.stateDir).cert;
    const probes = await Promise.all(
      [...t.nodes.map((n) => n.address), t.vip].map((a) => tlsProbe(a, 6443, ca, t.dns.vipName)),
    );
    const defaults = [
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "kubernetes.default.svc.cluster.local",
      "localhost",
      "127.0.0.1",
      "::1",
      t.serviceCidr.replace(/::\/112$/, "::1"),
      // dynamiclistener merges every server's names into the one kube-system/k3s-serving Secret.
      ...t.nodes.flatMap((n) => [n.name, n.address]),
    ];
    const detail = JSON.stringify(probes.map((p) => [p.fingerprint, p.sans.length]));
    for (const probe of probes) {
      expect(new Set(probe.sans), detail).toEqual(new Set([...defaults, ...tlsSan]));
      expect(probe.authorized).toBe(true);
      expect(probe.fingerprint).toBe(probes[0]?.fingerprint);
    }
    const secret = withStore((c) => c.get(R.secrets, "kube-system", "k3s-serving"));
    expect(secret?.type).toBe("kubernetes.io/tls");
    const cns = Object.entries(secret?.metadata.annotations ?? {})
      .filter(([k]) => k.startsWith("listener.cattle.io/cn-"))
      .map(([, v]) => v);
    expect(new Set(cns)).toEqual(new Set(probes[0]?.sans));
  });

  it("adds a tls-san name on restart and shares it with every server; rotate and removing it from the config keep it", async () => {
    const target = sshTarget(readPlan(status.plan), "node03");
    const [a1, , a3] = t.nodes.map((n) => n.address);
    const ca = caFiles(t.stateDir).cert;
    const newName = "k3s-new.k8s.example.org";
    const shows = async (address: string | undefined) =>
      (await tlsProbe(address ?? "", 6443, ca, newName)).authorized;
    const shownOn1 = () =>
      waitFor("node01 to serve the merged certificate", async () => ((await shows(a1)) ? true : undefined), {
        timeoutMs: 10_000,
        intervalMs: 200,
      });
    expect(await shows(a3)).toBe(false);
    const edit = await sshExec(
      target,
      `sed -i 's/^tls-san:$/tls-san:\\n  - ${newName}/' /etc/rancher/k3s/config.yaml && cat /etc/rancher/k3s/config.yaml`,
    );
    expect(edit.stdout).toContain(`  - ${newName}`);
    expect(await shows(a3)).toBe(false); // read at start only
    expect((await sshExec(target, "systemctl restart k3s")).code).toBe(0);
    expect(await shows(a3)).toBe(true);
    // node01's config never named it: the shared Secret brings it there without a restart.
    await shownOn1();
    // Taking the name out of config.yaml removes nothing: dynamiclistener never drops a name.
    await sshExec(target, `sed -i '/  - ${newName}/d' /etc/rancher/k3s/config.yaml`);
    expect((await sshExec(target, "systemctl restart k3s")).code).toBe(0);
    expect(await shows(a3)).toBe(true);
    // `k3s certificate rotate` runs while k3s runs: it only leaves the regenerate trigger for the next start,
    // which issues a new key with the same names.
    const before = (await tlsProbe(a3 ?? "", 6443, ca, newName)).fingerprint;
    const rotate = await sshExec(target, "k3s certificate rotate");
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toMatch(/please restart k3s server or agent to rotate certificates/);
    expect((await tlsProbe(a3 ?? "", 6443, ca, newName)).fingerprint).toBe(before);
    expect((await sshExec(target, "systemctl restart k3s")).code).toBe(0);
    const rotated = await tlsProbe(a3 ?? "", 6443, ca, newName);
    expect(rotated.fingerprint).not.toBe(before);
    expect(rotated.authorized).toBe(true);
    // Removing a name (k3s-io/k3s#2914): every server stopped, the Secret and each dynamic-cert.json deleted.
    for (const n of t.nodes) await stopK3s(t, n.name);
    withStore((c) => c.delete(R.secrets, "kube-system", "k3s-serving"));
    for (const n of t.nodes) await rm(dynamicCertFile(standinConfig(t, n)), { force: true });
    for (const n of t.nodes) await startK3s(t, n.name);
    expect(await shows(a3)).toBe(false);
    expect(await shows(a1)).toBe(false);
  });

  it("has a client namespace behind the router with sticky hashing that reaches the VIP", async () => {
    const rehash = await run("sysctl", ["-n", "net.core.txrehash"], { ns: t.client.ns });
    expect(rehash.stdout.trim()).toBe("0");
    const script = `require("https").get({host:"${t.vip}",port:6443,path:"/readyz",ca:require("fs").readFileSync("${caFiles(t.stateDir).cert}"),servername:"${t.dns.vipName}"},r=>{r.on("data",d=>process.stdout.write(d))}).on("error",e=>{console.error(e.message);process.exit(1)})`;
    const r = await run(process.execPath, ["-e", script], { ns: t.client.ns });
    expect(r.stdout).toBe("ok");
  });

  it("runs a second lab side by side, on its own /64, and takes it down without touching the first", async () => {
    const other = uniqueLabName("side");
    const o = labTopology(other);
    try {
      const s = await labUp(other, { preset: "vip" });
      expect(s.prefix).not.toBe(status.prefix);
      expect(await fibNextHops(o, `${o.vip}/128`)).toBe(3);
      const ca = readFileSync(caFiles(o.stateDir).cert);
      expect(await fetchTls(o.vip, "/readyz", ca)).toEqual({ status: 200, body: "ok" });
    } finally {
      await labDown(other);
    }
    expect((await listNamespaces()).filter((ns) => namespaces(o).includes(ns))).toEqual([]);
    expect(await fibNextHops(t, `${t.vip}/128`)).toBe(3);
    expect(await fetchTls(t.vip, "/readyz", readFileSync(caFiles(t.stateDir).cert))).toEqual({
      status: 200,
      body: "ok",
    });
  }, 120_000);
});

async function fetchTls(
  host: string,
  path: string,
  ca: Buffer,
  client: { cert?: Buffer; key?: Buffer } = {},
): Promise<{ status: number; body: string }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host, port: 6443, path, ca, ...client, servername: "k8s-api.k8s.example.org", timeout: 5_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (d: string) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`https://[${host}]:6443${path} timed out`)));
    req.on("error", reject);
  });
}
