// The calico-node stand-in of one lab node: watches the Calico and Kubernetes objects in the lab's shared store
// (as calico-node talks to the API, not through its own node's k3s), renders BIRD's configuration, reloads BIRD,
// and reports the node's BGP peers in a CalicoNodeStatus.
//   tsx src/calico/main.ts --lab NAME --node NODE
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { birdPidFile, birdSocket, startBird } from "../daemons/bird.js";
import { run } from "../exec.js";
import { createKubeApi, type KubeApi, type KubeObject, R } from "../kube/index.js";
import { jsonEqual } from "../kube/meta.js";
import { kubeDbFile } from "../kube-state.js";
import { alive, readPid } from "../netns.js";
import { queryBirdProtocols } from "../standin/calico-status.js";
import { findNode, labTopology, type NodeSpec } from "../topology.js";
import { CALICO, inputFromObjects, staticCalicoInput } from "./inputs.js";
import {
  birdConfFile,
  birdDownFile,
  calicoKnobsFile,
  calicoPidFile,
  calicoRenderedFile,
  type LabKnobs,
} from "./paths.js";
import { renderCalicoBird } from "./render.js";
import {
  desiredStatus,
  dueStatuses,
  lastUpdated,
  type NodeObservation,
  parseBgpStates,
  parseBirdStatus,
} from "./status.js";

const DEBOUNCE_MS = 150;
const STORE_POLL_MS = 500;
const RESYNC_MS = 5_000;
/** How often the reporter looks for CalicoNodeStatus objects that are due (each has its own period). */
const STATUS_TICK_S = 1;
const BIRD_TIMEOUT_MS = 5_000;
/** How often runit looks at BIRD (it notices an exit at once; half a second is the lab's "at once"). */
const SUPERVISE_MS = 500;

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) throw new Error(`usage: calico-node --lab NAME --node NODE (missing --${name})`);
  return v;
}

/** What SIGHUP does (re-render soon); the handler is installed first thing, so an early SIGHUP never kills us. */
let hup: () => void = () => {};
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

function readKnobs(node: NodeSpec): LabKnobs {
  try {
    return JSON.parse(readFileSync(calicoKnobsFile(node), "utf8")) as LabKnobs;
  } catch {
    return { bfd: false };
  }
}

const WATCHED = [
  R.nodes,
  R.services,
  R.endpointslices,
  CALICO.bgpConfigurations,
  CALICO.bgpPeers,
  CALICO.bgpFilters,
  R.crds,
] as const;

export async function runCalicoNode(labName: string, nodeName: string): Promise<void> {
  const t = labTopology(labName);
  const node = findNode(t, nodeName);
  const dbFile = kubeDbFile(t);
  const confFile = birdConfFile(node);
  let kube: KubeApi | undefined;
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let rendering = false;
  let again = false;
  let stopped = false;
  let lastError = "";

  const list = (gvr: (typeof WATCHED)[number]): KubeObject[] => {
    try {
      return kube?.client.list(gvr) ?? [];
    } catch {
      return []; // the CRD is not installed (yet)
    }
  };

  async function render(): Promise<void> {
    if (!kube || stopped) return;
    const bfd = readKnobs(node).bfd;
    const fromApi = inputFromObjects(
      t,
      node,
      {
        nodes: list(R.nodes),
        bgpConfigurations: list(CALICO.bgpConfigurations),
        bgpPeers: list(CALICO.bgpPeers),
        bgpFilters: list(CALICO.bgpFilters),
        services: list(R.services),
        endpointSlices: list(R.endpointslices),
      },
      bfd,
    );
    // Until `lab up` has applied BGPConfiguration default, BIRD gets the lab's static configuration.
    const input = fromApi ?? staticCalicoInput(t, node, bfd);
    const text = renderCalicoBird(input);
    const current = existsSync(confFile) ? readFileSync(confFile, "utf8") : "";
    if (text === current) {
      if (fromApi) await markRendered();
      return;
    }
    await mkdir(path.dirname(confFile), { recursive: true });
    await writeFile(`${confFile}.new`, text);
    await rename(`${confFile}.new`, confFile);
    const r = await run("birdc", ["-s", birdSocket(node), "configure"], {
      timeoutMs: BIRD_TIMEOUT_MS,
      allowFail: true,
    });
    log(`rendered ${confFile}; birdc configure: ${(r.stdout + r.stderr).trim().split("\n").pop() ?? ""}`);
    if (fromApi) await markRendered();
  }

  async function markRendered(): Promise<void> {
    if (!existsSync(calicoRenderedFile(node)))
      await writeFile(calicoRenderedFile(node), new Date().toISOString());
  }

  /** Renders now, or once more after the running render when called during one. */
  async function renderLoop(): Promise<void> {
    if (rendering) {
      again = true;
      return;
    }
    rendering = true;
    try {
      for (let i = 0; i < 10; i++) {
        again = false;
        try {
          await render();
          lastError = "";
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          if (msg !== lastError) log(`render failed: ${msg}`);
          lastError = msg;
        }
        if (!again) break;
      }
    } finally {
      rendering = false;
    }
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void renderLoop(), DEBOUNCE_MS);
  };

  // When each CalicoNodeStatus was last looked at, by name (the per-object update period runs from there).
  const lastLook = new Map<string, number>();

  async function observe(): Promise<NodeObservation> {
    const peers = await queryBirdProtocols(birdSocket(node)).catch(() => undefined);
    const birdc = async (command: string) =>
      peers
        ? (
            await run("birdc", ["-s", birdSocket(node), ...command.split(" ")], {
              allowFail: true,
              timeoutMs: BIRD_TIMEOUT_MS,
            })
          ).stdout
        : "";
    return {
      peers,
      bgpStates: parseBgpStates(await birdc("show protocols all")),
      bird6: parseBirdStatus(await birdc("show status")),
      bird4Running: true,
    };
  }

  async function reportStatus(): Promise<void> {
    if (!kube || stopped) return;
    const client = kube.client.as("calico-node");
    let due: KubeObject[];
    try {
      due = dueStatuses(client.list(CALICO.calicoNodeStatuses), node.name, lastLook, Date.now());
    } catch {
      return; // CRD not installed
    }
    if (due.length === 0) return;
    const seen = await observe();
    for (const o of due) {
      lastLook.set(o.metadata.name ?? "", Date.now());
      const classes = ((o.spec as { classes?: string[] }).classes ?? []).map(String);
      const want = desiredStatus(classes, seen);
      const { lastUpdated: _l, ...have } = (o.status ?? {}) as Record<string, unknown>;
      if (jsonEqual(have, want)) continue;
      try {
        // The CRD has no status subresource: calico-node updates the whole object.
        client.update(CALICO.calicoNodeStatuses, {
          ...o,
          status: { lastUpdated: lastUpdated(new Date()), ...want },
        });
      } catch {
        // a concurrent write: the next period retries
      }
    }
  }

  function open(): boolean {
    if (kube) return true;
    if (!existsSync(dbFile)) return false;
    kube = createKubeApi({
      dbFile,
      config: { serviceCidr: t.serviceCidr },
      compactIntervalMs: 0,
      pollMs: 100,
    });
    unsubscribe = kube.client.onChanges(WATCHED, schedule);
    log(`opened ${dbFile}`);
    schedule();
    return true;
  }

  const opener = setInterval(() => {
    if (open()) clearInterval(opener);
  }, STORE_POLL_MS);
  open();
  // A periodic resync also restores the rendered config if something rewrote bird.conf (e.g. BIRD restarted).
  const resync = setInterval(() => void renderLoop(), RESYNC_MS);
  const status = setInterval(() => void reportStatus(), STATUS_TICK_S * 1_000);
  // runit in calico-node: a BIRD that exits is started again at once with -R (graceful restart recovery), unless
  // it was taken down on purpose (`sv down bird6`, the lab's stop-bird).
  let restarting = false;
  async function superviseBird(): Promise<void> {
    if (stopped || restarting || existsSync(birdDownFile(node))) return;
    const pid = readPid(birdPidFile(node));
    if (pid !== undefined && alive(pid)) return;
    restarting = true;
    try {
      await startBird(t, node, readKnobs(node).bfd, true);
      log("bird6 exited; runit started it again with -R (graceful restart)");
    } catch (err) {
      log(`restarting bird6 failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      restarting = false;
    }
  }
  const supervisor = setInterval(() => void superviseBird(), SUPERVISE_MS);
  hup = schedule;

  await new Promise<void>((resolve) => {
    const stop = () => {
      stopped = true;
      clearInterval(opener);
      clearInterval(resync);
      clearInterval(status);
      clearInterval(supervisor);
      clearTimeout(timer);
      unsubscribe?.();
      kube?.close();
      resolve();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.on("SIGHUP", () => hup());
  const lab = arg("lab");
  const node = arg("node");
  const t = labTopology(lab);
  await mkdir(path.dirname(calicoPidFile(findNode(t, node))), { recursive: true });
  await writeFile(calicoPidFile(findNode(t, node)), `${process.pid}\n`);
  log(`calico-node for ${node} of lab ${lab} (pid ${process.pid})`);
  await runCalicoNode(lab, node);
  log("stopped");
  process.exit(0);
}
