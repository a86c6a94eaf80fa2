// Captures the lab's vtysh, birdc and `calicoctl node status` outputs over SSH, byte for byte, as
// <command-id>.<scenario>.<version>.json|txt — healthy and degraded, in the BGP mode Calico renders (no BFD), plus
// BFD-mode captures named `whatif-bfd-…`. The commands are the console's registry entries, run as the console runs
// them; FRR outputs go beside their parsers (packages/shared/src/frr/fixtures/), calicoctl's to
// packages/shared/src/calico/fixtures/, the lab-only birdc outputs to fixtures/. As root:
//   pnpm -s --filter @k3s-ha/lab capture [--name L]
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  buildCommand,
  type CommandParams,
  type NodeCommandId,
  type RouterCommandId,
  routerCommandIds,
} from "@k3s-ha/shared";
import { vtysh } from "../src/daemons/frr.js";
import { run, sleep } from "../src/exec.js";
import {
  killBird,
  setBgpMode,
  startBirdAgain,
  startK3s,
  stopBirdGracefully,
  stopK3s,
} from "../src/faults.js";
import { isUp, labDown, labUp } from "../src/lab.js";
import { requireRoot } from "../src/packages.js";
import { peerStates, waitForConverged, waitForFib } from "../src/routes.js";
import { sshExec } from "../src/ssh.js";
import { planFile } from "../src/state.js";
import { readPlan, sshTarget } from "../src/testing.js";
import { labTopology } from "../src/topology.js";

const LAB_OUT = fileURLToPath(new URL("../fixtures/", import.meta.url));
const SHARED = new URL("../../shared/src/", import.meta.url);
const FRR_OUT = fileURLToPath(new URL("frr/fixtures/", SHARED));
const CALICO_OUT = fileURLToPath(new URL("calico/fixtures/", SHARED));
// The default lab's name gives the fixtures examples/lab.yaml's addresses.
// `--only before-pod-leak` captures just that scenario (the others keep their files).
const { values } = parseArgs({
  options: { name: { type: "string", default: "lab" }, only: { type: "string" } },
});
const name = values.name;
const t = labTopology(name);

/**
 * Node commands with their fixture id and the version tag that says what produced them: calicoctl's output comes
 * from the lab's stand-in (not a capture of calicoctl), and BIRD is Debian's BIRD 2, not calico-node's BIRD 1.6 fork,
 * so the console never reads `birdc` on a real node (lab-only ids).
 */
const NODE_COMMANDS: { id: string; command: string; version: (bird: string) => string }[] = [
  { id: "lab-birdc-show-protocols", command: "birdc show protocols", version: (bird) => `lab-${bird}` },
  {
    id: "lab-birdc-show-protocols-all",
    command: "birdc show protocols all",
    version: (bird) => `lab-${bird}`,
  },
  {
    id: "calicoctl-node-status" satisfies NodeCommandId,
    command: "calicoctl node status",
    version: () => "lab-standin-calico-v3.31",
  },
];

async function versions(): Promise<{ frr: string; bird: string }> {
  const frr = /FRRouting (\S+)/.exec(await vtysh(t, "show version"))?.[1] ?? "unknown";
  const b = await run("bird", ["--version"], { allowFail: true });
  const bird = /version (\S+)/.exec(b.stdout + b.stderr)?.[1] ?? "unknown";
  return { frr: `frr-${frr}`, bird: `bird-${bird}` };
}

async function save(file: string, text: string): Promise<void> {
  const dir = file.startsWith("frr-") ? FRR_OUT : file.startsWith("calicoctl-") ? CALICO_OUT : LAB_OUT;
  await writeFile(path.join(dir, file), text);
  process.stderr.write(`capture: ${file} (${text.length} bytes)\n`);
}

/** Router commands that change the router (the setup's): never run by a capture. */
type ChangingRouterCommand = "frr-configure-bgp" | "frr-clear-bgp-neighbor";
type ReadRouterCommand = Exclude<RouterCommandId, ChangingRouterCommand>;
const CHANGING: readonly RouterCommandId[] = ["frr-configure-bgp", "frr-clear-bgp-neighbor"];

/** The parameters each router command is captured with: the full table, and the VIP for the one-prefix view. */
const routerParams = (): { [I in ReadRouterCommand]: CommandParams<I> } => ({
  "frr-show-version": {},
  "frr-show-bgp-summary": {},
  "frr-show-bgp-ipv6-unicast": {},
  "frr-show-bgp-ipv6-unicast-prefix": { prefix: `${t.vip}/128` },
  "frr-show-bgp-neighbors": {},
  "frr-show-ipv6-route": {},
  "frr-show-bfd-peers": {},
  "pfsense-ifconfig": {},
  "frr-show-running-config": {},
});

async function captureRouter(
  scenario: string,
  // pfSense's ifconfig only on a pfsense router (the lab's default is linux-frr).
  ids: readonly ReadRouterCommand[] = routerCommandIds.filter(
    (id): id is ReadRouterCommand => id !== "pfsense-ifconfig" && !CHANGING.includes(id),
  ),
): Promise<void> {
  const plan = readPlan(planFile(t));
  const v = await versions();
  const target = {
    kind: "router",
    platform: plan.bgp.router.platform,
    sudo: plan.bgp.router.ssh.sudo === true,
  } as const;
  for (const id of ids) {
    const built = buildCommand(id, routerParams()[id], target);
    if (!built.ok) throw new Error(built.message);
    const r = await sshExec(sshTarget(plan, "router"), built.command.line);
    const text = id === "frr-show-version" || id === "frr-show-running-config";
    await save(`${id}.${scenario}.${v.frr}.${text ? "txt" : "json"}`, r.stdout);
  }
}

async function capture(scenario: string, nodes: string[]): Promise<void> {
  await captureRouter(scenario);
  const plan = readPlan(planFile(t));
  const v = await versions();
  for (const node of nodes) {
    for (const { id, command, version } of NODE_COMMANDS) {
      const r = await sshExec(sshTarget(plan, node), command);
      await save(`${id}.${scenario}-${node}.${version(v.bird)}.txt`, r.stdout + r.stderr);
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
  for (const dir of [LAB_OUT, FRR_OUT, CALICO_OUT]) await mkdir(dir, { recursive: true });
  if (await isUp(t))
    throw new Error(`lab ${name} is up: take it down first (it is brought up and down here), or pass --name`);
  await labDown(name);
  if (values.only === "before-pod-leak") return captureBeforePodLeak();
  if (values.only)
    throw new Error(`--only ${values.only}: the one scenario to capture alone is before-pod-leak`);
  // Calico renders no BFD: the fixtures a parser learns from are captured in the default BGP mode.
  await labUp(name, { bgp: "default", preset: "vip" });
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

    // What-if only: BFD as the router could run it if Calico rendered it (it does not).
    await setBgpMode(t, "bfd");
    await settle();
    await captureRouter("whatif-bfd-healthy", ["frr-show-bfd-peers", "frr-show-bgp-neighbors"]);
  } finally {
    await labDown(name);
  }
}

/** The document's starting point: a BGPPeer without filters, so every node's pod block reaches the router. */
async function captureBeforePodLeak(): Promise<void> {
  await labUp(name, { bgp: "default", preset: "before" });
  try {
    // No VIP before HA: wait for the sessions, then for the mesh's add-path updates.
    for (let i = 0; i < 60; i++) {
      const states = Object.values(await peerStates(t));
      if (states.length === t.nodes.length && states.every((s) => s === "Established")) break;
      await sleep(500);
    }
    await sleep(4_000);
    await captureRouter("before-pod-leak", [
      "frr-show-bgp-summary",
      "frr-show-bgp-ipv6-unicast",
      "frr-show-ipv6-route",
    ]);
  } finally {
    await labDown(name);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`capture: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
