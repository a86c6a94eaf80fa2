// The calico-node stand-in of one lab node: watches the Calico and Kubernetes objects in the lab's shared store
// (as calico-node talks to the API, not through its own node's k3s), renders BIRD's configuration, reloads BIRD,
// and reports the node's BGP peers in a CalicoNodeStatus.
//   tsx src/calico/main.ts --lab NAME --node NODE [--calico VERSION]
import { randomBytes } from "node:crypto";
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
import { type CalicoModel, calicoModel, DEFAULT_CALICO, isCalicoVersion } from "./versions.js";

const DEBOUNCE_MS = 150;
const STORE_POLL_MS = 500;
const RESYNC_MS = 5_000;
/** How often the reporter looks for CalicoNodeStatus objects that are due (each has its own period). */
const STATUS_TICK_S = 1;
const BIRD_TIMEOUT_MS = 5_000;
/** How often runit looks at BIRD (it notices an exit at once; half a second is the lab's "at once"). */
const SUPERVISE_MS = 500;

function optionalArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function arg(name: string): string {
  const v = optionalArg(name);
  if (!v) throw new Error(`usage: calico-node --lab NAME --node NODE [--calico VERSION] (missing --${name})`);
  return v;
}

/**
 * What calico-node's startup does with ClusterInformation `default` (node/pkg/lifecycle/startup): creates it
 * with a cluster GUID, or brings its calicoVersion to this calico-node's; the datastore is ready.
 */
export function clusterInformation(
  existing: KubeObject | undefined,
  model: CalicoModel,
): KubeObject | undefined {
  const spec = (existing?.spec ?? {}) as Record<string, unknown>;
  const want = {
    clusterGUID: typeof spec.clusterGUID === "string" ? spec.clusterGUID : randomBytes(16).toString("hex"),
    clusterType: typeof spec.clusterType === "string" ? spec.clusterType : "typha,kdd,k8s,operator,bgp",
    calicoVersion: model.version,
    datastoreReady: true,
  };
  if (existing && jsonEqual({ ...spec, ...want }, spec)) return undefined;
  return {
    apiVersion: "crd.projectcalico.org/v1",
    kind: "ClusterInformation",
    metadata: existing?.metadata ?? { name: "default" },
    spec: { ...spec, ...want },
  };
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

export async function runCalicoNode(
  labName: string,
  nodeName: string,
  model: CalicoModel = calicoModel(DEFAULT_CALICO),
): Promise<void> {
  const t = labTopology(labName);
  let announced = false;
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

  /** ClusterInformation at start (once it succeeded; the CRD may arrive after calico-node). */
  function announce(): void {
    if (!kube || announced) return;
    const client = kube.client.as("calico-node");
    const gvr = CALICO.clusterInformations;
    const existing = client.get(gvr, undefined, "default");
    const next = clusterInformation(existing, model);
    if (next) existing ? client.update(gvr, next) : client.create(gvr, next);
    announced = true;
  }

  async function render(): Promise<void> {
    if (!kube || stopped) return;
    try {
      announce();
    } catch {
      // not installed yet, or another node's calico-node wrote it first: the next render tries again
    }
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
    const text = renderCalicoBird({
      ...input,
      etpLocalEndpoints: model.etpLocalEndpoints,
      birdOrder: model.birdOrder,
    });
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
      await startBird(t, node, readKnobs(node).bfd, true, model.birdOrder);
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
  log(
    `calico-node ${optionalArg("calico") ?? DEFAULT_CALICO} for ${node} of lab ${lab} (pid ${process.pid})`,
  );
  const version = optionalArg("calico") ?? DEFAULT_CALICO;
  if (!isCalicoVersion(version)) throw new Error(`unknown Calico version ${version}`);
  await runCalicoNode(lab, node, calicoModel(version));
  log("stopped");
  process.exit(0);
}
