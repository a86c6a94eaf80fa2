// Starting and stopping a node's calico-node stand-in (a detached process inside the node's namespace).
import { spawn } from "node:child_process";
import { existsSync, openSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { waitFor } from "../exec.js";
import { alive, readPid, stopByPidFile } from "../netns.js";
import { standinConfig } from "../standin/wrappers.js";
import type { LabTopology, NodeSpec } from "../topology.js";
import { calicoDir, calicoLogFile, calicoPidFile, calicoRenderedFile } from "./paths.js";
import { type CalicoVersion, DEFAULT_CALICO } from "./versions.js";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

export function calicoNodeRunning(node: NodeSpec): boolean {
  const pid = readPid(calicoPidFile(node));
  return pid !== undefined && alive(pid);
}

/** Starts calico-node for `node` (no-op when it runs); it renders BIRD's config once the API has Calico's objects. */
export async function startCalicoNode(
  t: LabTopology,
  node: NodeSpec,
  version: CalicoVersion = DEFAULT_CALICO,
): Promise<void> {
  if (calicoNodeRunning(node)) return;
  await mkdir(calicoDir(node), { recursive: true });
  const c = standinConfig(t, node);
  const log = openSync(calicoLogFile(node), "a");
  // `ip netns exec` execs the program: the child's PID is calico-node's.
  const child = spawn(
    "ip",
    [
      "netns",
      "exec",
      node.ns,
      c.nodeBin,
      "--import",
      c.tsxLoader,
      MAIN,
      "--lab",
      t.name,
      "--node",
      node.name,
      "--calico",
      version,
    ],
    { detached: true, stdio: ["ignore", log, log], env: { ...process.env } },
  );
  if (!child.pid) throw new Error(`could not start calico-node on ${node.name}`);
  await writeFile(calicoPidFile(node), `${child.pid}\n`);
  child.unref();
}

export async function stopCalicoNode(node: NodeSpec): Promise<void> {
  await stopByPidFile(calicoPidFile(node));
}

/** Waits (bounded) until every node's calico-node has rendered BIRD's configuration from the API. */
export async function waitForCalicoNodes(t: LabTopology, timeoutMs = 10_000): Promise<void> {
  await waitFor(
    "calico-node to render BIRD's configuration from the API on every node",
    async () => (t.nodes.every((n) => existsSync(calicoRenderedFile(n))) ? true : undefined),
    { timeoutMs, intervalMs: 50 },
  );
}
