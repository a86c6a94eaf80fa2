// BIRD2 on each node, rendered the way Calico's confd renders bird6.cfg (protocol names, filters, graceful restart).
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { staticCalicoInput } from "../calico/inputs.js";
import {
  birdConfFile,
  calicoDir,
  calicoKnobsFile,
  calicoPidFile,
  calicoRenderedFile,
  type LabKnobs,
} from "../calico/paths.js";
import { renderCalicoBird } from "../calico/render.js";
import type { CalicoModel } from "../calico/versions.js";
import { output, run, waitFor } from "../exec.js";
import { alive, readPid } from "../netns.js";
import type { LabTopology, NodeSpec } from "../topology.js";

export const birdSocket = (node: NodeSpec) => path.join(node.dir, "bird", "bird.ctl");
export const birdPidFile = (node: NodeSpec) => path.join(node.dir, "bird", "bird.pid");
const birdConf = birdConfFile;

/**
 * BIRD's configuration before the calico-node stand-in has rendered from the API: Calico's confd templates
 * (calico/render.ts) over the lab's static inputs — service range, LB range and VIP /128 from every node, the
 * router peer with the reject-pod-routes BGPFilter, the mesh, the node's pod /122 block.
 */
export function renderBirdConf(t: LabTopology, node: NodeSpec, bfd: boolean, order: BirdOrder): string {
  return renderCalicoBird({ ...staticCalicoInput(t, node, bfd), birdOrder: order });
}

/** The protocol order of the lab's Calico version (BIRD keeps the order it first read across reconfigures). */
type BirdOrder = CalicoModel["birdOrder"];

export function birdc(node: NodeSpec, command: string, ns = node.ns): Promise<string> {
  return output("birdc", ["-s", birdSocket(node), ...command.split(" ")], { ns, timeoutMs: 5_000 });
}

/**
 * Writes the lab knobs (BFD) for calico-node; while calico-node runs on the node it owns bird.conf and is told
 * to re-render (SIGHUP) once it has rendered from the API, otherwise the static configuration is written.
 */
export async function writeBirdConf(
  t: LabTopology,
  node: NodeSpec,
  bfd: boolean,
  order: BirdOrder = "template",
): Promise<void> {
  await mkdir(path.dirname(birdConf(node)), { recursive: true });
  await mkdir(calicoDir(node), { recursive: true });
  await writeFile(calicoKnobsFile(node), JSON.stringify({ bfd } satisfies LabKnobs));
  const calico = readPid(calicoPidFile(node));
  if (calico !== undefined && alive(calico) && existsSync(calicoRenderedFile(node))) {
    process.kill(calico, "SIGHUP");
    return;
  }
  await writeFile(birdConf(node), renderBirdConf(t, node, bfd, order));
}

/** Starts BIRD; `recover` is runit's restart in calico-node (`bird6 -R`: graceful restart recovery). */
export async function startBird(
  t: LabTopology,
  node: NodeSpec,
  bfd: boolean,
  recover = false,
  order: BirdOrder = "template",
): Promise<void> {
  await writeBirdConf(t, node, bfd, order);
  const args = ["-c", birdConf(node), "-s", birdSocket(node), "-P", birdPidFile(node)];
  await run("bird", recover ? ["-R", ...args] : args, { ns: node.ns });
  // BIRD exits 0 even on a fatal config error (e.g. no router id): ask it whether it is up.
  await waitFor(
    `BIRD on ${node.name}`,
    async () => ((await birdc(node, "show status")).includes("Daemon is up") ? true : undefined),
    {
      timeoutMs: 5_000,
      intervalMs: 50,
    },
  );
}

/** Re-reads bird.conf (e.g. after switching BFD). */
export async function reconfigureBird(t: LabTopology, node: NodeSpec, bfd: boolean): Promise<void> {
  await writeBirdConf(t, node, bfd);
  await birdc(node, "configure");
}
