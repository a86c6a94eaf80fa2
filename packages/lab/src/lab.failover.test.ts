// Fault drills on a real lab (root), timed from the router's FIB, asserted with generous margins.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { birdPidFile } from "./daemons/bird.js";
import { vtyshJson } from "./daemons/frr.js";
import { findDrill, median, runDrill } from "./drills.js";
import { sleep, waitFor } from "./exec.js";
import { killBird, killCalicoNode, setBgpMode, startCalicoNodeAgain, startK3s, stopK3s } from "./faults.js";
import { labDown, labUp } from "./lab.js";
import { alive, listNamespaces, readPid } from "./netns.js";
import { fibNextHops, waitForConverged } from "./routes.js";
import { sshExec } from "./ssh.js";
import { portOpen } from "./standin/k3s-service.js";
import { planFile } from "./state.js";
import { readPlan, sshTarget, uniqueLabName } from "./testing.js";
import { labTopology } from "./topology.js";

const name = uniqueLabName("drill");
const t = labTopology(name);
const vip = `${t.vip}/128`;

beforeAll(async () => {
  // The HA configuration (option 1): calico-node advertises the VIP from the nodes.
  await labUp(name, { preset: "vip" });
}, 120_000);

afterAll(async () => {
  await labDown(name);
  expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
}, 60_000);

describe(`fault drills (${name})`, () => {
  it("graceful withdraw (birdc down): the router drops the node in < 1 s (median of 3), three paths again after", async () => {
    await setBgpMode(t, "default");
    const times: number[] = [];
    for (const node of ["node01", "node02", "node03"]) {
      const r = await runDrill(t, findDrill("graceful"), node);
      expect(r.failoverMs).toBeDefined();
      times.push(r.failoverMs ?? Number.POSITIVE_INFINITY);
      expect(await fibNextHops(t, vip)).toBe(3);
    }
    // Typically ~75 ms; one run in a dozen has been seen near 2 s, hence the median and a loose bound on each.
    expect(median(times)).toBeLessThan(1_000);
    expect(Math.max(...times)).toBeLessThan(5_000);
  });

  it("hard fault with keepalive 1 / hold 3: the router drops the node in < 5 s (not before the hold timer: > 1 s)", async () => {
    await setBgpMode(t, "fast");
    const r = await runDrill(t, findDrill("hard-fast"), "node03");
    expect(r.failoverMs).toBeGreaterThan(1_000);
    expect(r.failoverMs).toBeLessThan(5_000);
    expect(await fibNextHops(t, vip)).toBe(3);
  });

  it("hard fault with BFD 100 ms x 3: the router drops the node in < 1 s, and has three paths again after", async () => {
    await setBgpMode(t, "bfd");
    const bfd = await vtyshJson<
      { status: string; "detect-multiplier": number; "transmit-interval": number }[]
    >(t, "show bfd peers json");
    expect(bfd.map((p) => p.status)).toEqual(["up", "up", "up"]);
    expect(bfd.every((p) => p["detect-multiplier"] === 3 && p["transmit-interval"] === 100)).toBe(true);
    const r = await runDrill(t, findDrill("hard-bfd"), "node01");
    expect(r.failoverMs).toBeLessThan(1_000);
    expect(await fibNextHops(t, vip)).toBe(3);
  });

  it("a cut link is noticed through BGP only (keepalive 1 / hold 3: < 5 s)", async () => {
    await setBgpMode(t, "fast");
    const r = await runDrill(t, findDrill("link-fast"), "node02");
    expect(r.failoverMs).toBeGreaterThan(1_000);
    expect(r.failoverMs).toBeLessThan(5_000);
    expect(await fibNextHops(t, vip)).toBe(3);
  });

  type Route = { paths: { stale?: boolean; peer: { peerId: string } }[] };
  /** Waits until the router holds no stale path for the VIP (graceful restart finished with End-of-RIB). */
  const noStalePaths = () =>
    waitFor(
      "no stale path left",
      async () => {
        const paths = (await vtyshJson<Route>(t, `show bgp ipv6 unicast ${vip} json`)).paths;
        return paths.some((p) => p.stale) ? undefined : true;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );

  it("a killed BIRD is restarted at once by runit with -R: the router keeps the paths, stale only until End-of-RIB", async () => {
    await setBgpMode(t, "default");
    await waitForConverged(t);
    const node01 = t.nodes[0];
    if (!node01) throw new Error("no node01");
    const before = readPid(birdPidFile(node01));
    await killBird(t, "node01");
    // Never withdrawn: graceful restart keeps the paths while BIRD comes back.
    for (let i = 0; i < 10; i++) {
      expect(await fibNextHops(t, vip)).toBe(3);
      await sleep(200);
    }
    await waitFor(
      "BIRD on node01 running again (a new process)",
      async () => {
        const pid = readPid(birdPidFile(node01));
        return pid !== undefined && pid !== before && alive(pid) ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    await waitForConverged(t, { timeoutMs: 30_000 });
    await noStalePaths();
    expect(await fibNextHops(t, vip)).toBe(3);
  });

  it("when calico-node itself dies nothing restarts BIRD: the router holds its paths as stale (graceful restart)", async () => {
    await waitForConverged(t);
    await killCalicoNode(t, "node01");
    await sleep(3_000);
    expect(await fibNextHops(t, vip)).toBe(3);
    const stale = (await vtyshJson<Route>(t, `show bgp ipv6 unicast ${vip} json`)).paths.filter(
      (p) => p.stale,
    );
    expect(stale.length).toBeGreaterThan(0);
    expect(new Set(stale.map((p) => p.peer.peerId))).toEqual(new Set([t.nodes[0]?.address]));
    const node01 = t.nodes[0];
    if (!node01) throw new Error("no node01");
    expect(readPid(birdPidFile(node01)) !== undefined && alive(readPid(birdPidFile(node01)) ?? -1)).toBe(
      false,
    );
    await startCalicoNodeAgain(t, "node01");
    await waitForConverged(t, { timeoutMs: 30_000 });
    await noStalePaths();
  });

  it("stopping k3s leaves BGP alone (the VIP keeps three paths) while the node refuses HTTPS", async () => {
    const node = t.nodes[1];
    if (!node) throw new Error("no node02");
    const target = sshTarget(readPlan(planFile(t)), node.name);
    await stopK3s(t, node.name);
    expect((await sshExec(target, "systemctl is-active k3s")).stdout.trim()).toBe("inactive");
    expect(await portOpen(node.address, 6443)).toBe(false);
    await sleep(1_000);
    expect(await fibNextHops(t, vip)).toBe(3);
    await startK3s(t, node.name);
    expect((await sshExec(target, "systemctl is-active k3s")).stdout.trim()).toBe("active");
    expect(await portOpen(node.address, 6443)).toBe(true);
    expect(readFileSync(planFile(t), "utf8")).toContain(node.address);
  });
});
