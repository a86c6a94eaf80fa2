// Captures the lab's real vtysh, birdc and `calicoctl node status` outputs over SSH, byte for byte, into fixtures/
// as <command>.<scenario>.<version>.json|txt — healthy and degraded. As root: pnpm -s --filter @k3s-ha/lab capture [--name L]
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { vtysh } from "../src/daemons/frr.js";
import { run, sleep } from "../src/exec.js";
import { killBird, startBirdAgain, startK3s, stopBirdGracefully, stopK3s } from "../src/faults.js";
import { isUp, labDown, labUp } from "../src/lab.js";
import { requireRoot } from "../src/packages.js";
import { peerStates, waitForConverged, waitForFib } from "../src/routes.js";
import { sshExec } from "../src/ssh.js";
import { planFile } from "../src/state.js";
import { readPlan, sshTarget } from "../src/testing.js";
import { labTopology } from "../src/topology.js";

const OUT = fileURLToPath(new URL("../fixtures/", import.meta.url));
// The default lab's name gives the fixtures examples/lab.yaml's addresses.
const { values } = parseArgs({ options: { name: { type: "string", default: "lab" } } });
const name = values.name;
const t = labTopology(name);

const ROUTER_COMMANDS: Record<string, string> = {
  "show-bgp-summary": "show bgp summary json",
  "show-bgp-ipv6-unicast": "show bgp ipv6 unicast json",
  "show-bgp-neighbors": "show bgp neighbors json",
  "show-ipv6-route": "show ipv6 route json",
  "show-bfd-peers": "show bfd peers json",
};
const NODE_COMMANDS: Record<string, string> = {
  "birdc-show-protocols": "birdc show protocols",
  "birdc-show-protocols-all": "birdc show protocols all",
  "calicoctl-node-status": "calicoctl node status",
};

async function versions(): Promise<{ frr: string; bird: string }> {
  const frr = /FRRouting (\S+)/.exec(await vtysh(t, "show version"))?.[1] ?? "unknown";
  const b = await run("bird", ["--version"], { allowFail: true });
  const bird = /version (\S+)/.exec(b.stdout + b.stderr)?.[1] ?? "unknown";
  return { frr: `frr-${frr}`, bird: `bird-${bird}` };
}

async function capture(scenario: string, nodes: string[]): Promise<void> {
  const plan = readPlan(planFile(t));
  const v = await versions();
  const save = async (file: string, text: string) => {
    await writeFile(path.join(OUT, file), text);
    process.stderr.write(`capture: ${file} (${text.length} bytes)\n`);
  };
  for (const [id, command] of Object.entries(ROUTER_COMMANDS)) {
    const r = await sshExec(sshTarget(plan, "router"), `vtysh -c '${command}'`);
    await save(`${id}.${scenario}.${v.frr}.json`, r.stdout);
  }
  for (const node of nodes) {
    for (const [id, command] of Object.entries(NODE_COMMANDS)) {
      const r = await sshExec(sshTarget(plan, node), command);
      const version = id.startsWith("calicoctl") ? "calico-v3.31-lab" : v.bird;
      await save(`${id}.${scenario}-${node}.${version}.txt`, r.stdout + r.stderr);
    }
  }
}

/** Mesh and add-path updates keep flowing for a moment after the FIB converges. */
async function settle(): Promise<void> {
  await waitForConverged(t);
  await sleep(3_000);
}

async function main(): Promise<void> {
  requireRoot("capture");
  await mkdir(OUT, { recursive: true });
  if (await isUp(t))
    throw new Error(`lab ${name} is up: take it down first (it is brought up and down here), or pass --name`);
  await labDown(name);
  await labUp(name, { bgp: "bfd", preset: "vip" });
  try {
    await settle();
    await capture("healthy", ["node01"]);

    await stopBirdGracefully(t, "node02");
    await waitForFib(t, `${t.vip}/128`, (n) => n === 2);
    await sleep(2_000);
    process.stderr.write(`capture: peers ${JSON.stringify(await peerStates(t))}\n`);
    await capture("peer-down", ["node01", "node02"]);
    await startBirdAgain(t, "node02");
    await settle();

    await stopK3s(t, "node03");
    await sleep(1_000);
    await capture("k3s-stopped", ["node03"]);
    await startK3s(t, "node03");

    await killBird(t, "node01");
    await sleep(2_000);
    await capture("bird-killed-gr", ["node01", "node02"]);
    await startBirdAgain(t, "node01");
    await settle();
  } finally {
    await labDown(name);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`capture: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
